"""The load balancers the AWS Load Balancer Controller makes, priced: one ALB per Ingress group (one per Ingress
without `group.name`), at the hour plus one LCU-hour an hour; Services of type LoadBalancer shown, not priced;
figures written here, not read from the shipped table (dev's and prod's ALB and the review's delta: test_cost.py)."""

from __future__ import annotations

from datetime import date

import pytest

from pricing.cost import Resource, estimate
from pricing.table import parse_table

DAY = date(2026, 12, 6)
H = 730
# A made-up table: ALB USD 0.02 an hour + 1 LCU x USD 0.01 an hour = USD 0.03 an hour, USD 21.90 a month.
TABLE = parse_table(
    {
        "read": "2026-12-06",
        "sources": {"t": {"what": "w", "from": "test", "published": "2026-01-01", "read": "2026-12-06"}},
        "regions": {
            "r-1": {"albHour": {"usd": 0.02, "source": "t"}, "albLcuHour": {"usd": 0.01, "source": "t"}},
            "r-2": {"albHour": {"usd": 0.02, "source": "t"}},  # no LCU price: an ALB there is unknown
        },
    }
)
ONE_ALB = 21.9
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
SERVICE = "kubernetes:core/v1:Service"


def ingress(name: str, klass: str | None = "alb", group: str | None = None, namespace: str = "demo", **annotations):
    notes = {**annotations, **({"alb.ingress.kubernetes.io/group.name": group} if group else {})}
    spec = {"ingressClassName": klass} if klass else {}
    return Resource(
        INGRESS, name, {"metadata": {"name": name, "namespace": namespace, "annotations": notes}, "spec": spec}
    )


def ingress_class(name: str, controller: str, default: bool = False) -> Resource:
    notes = {"ingressclass.kubernetes.io/is-default-class": "true"} if default else {}
    return Resource(CLASS, name, {"metadata": {"name": name, "annotations": notes}, "spec": {"controller": controller}})


def service(name: str, kind: str = "LoadBalancer", **spec) -> Resource:
    return Resource(SERVICE, name, {"metadata": {"name": name, "namespace": "demo"}, "spec": {"type": kind, **spec}})


def lines(resources, region="r-1"):
    return [x for x in estimate(resources, region, TABLE, DAY).lines if x.component == "load balancers"]


LEGACY = {"kubernetes.io/ingress.class": "alb"}


@pytest.mark.parametrize(
    ("resources", "keys"),
    [
        ([ingress("web")], ["alb:ingress:demo/web"]),
        ([ingress("web"), ingress("api")], ["alb:ingress:demo/api", "alb:ingress:demo/web"]),
        ([ingress("web", group="shop"), ingress("api", group="shop")], ["alb:group:shop"]),
        # a group's name is cluster-wide: Ingresses of two namespaces share its ALB
        ([ingress("web", group="shop"), ingress("web", group="shop", namespace="other")], ["alb:group:shop"]),
        ([ingress("web", group="shop"), ingress("api", group="back")], ["alb:group:back", "alb:group:shop"]),
        ([ingress("web", group="shop"), ingress("api")], ["alb:group:shop", "alb:ingress:demo/api"]),
        ([ingress("web", klass="nginx")], []),  # another controller's Ingress
        ([ingress("web", klass=None)], []),  # no class and no default class: nobody's
        ([ingress("web", klass=None, **LEGACY)], ["alb:ingress:demo/web"]),  # the annotation the controller honours
        ([ingress("web", klass="edge"), ingress_class("edge", "ingress.k8s.aws/alb")], ["alb:ingress:demo/web"]),
        ([ingress("web", klass="edge"), ingress_class("edge", "k8s.io/ingress-nginx")], []),
        (
            [ingress("web", klass=None), ingress_class("edge", "ingress.k8s.aws/alb", default=True)],
            ["alb:ingress:demo/web"],
        ),
        ([service("db", "ClusterIP")], []),
        ([service("db")], ["service:demo/db"]),
    ],
)
def test_which_load_balancers_the_controller_makes(resources, keys):
    assert [x.key for x in lines(resources)] == keys


def test_each_alb_is_the_hour_plus_one_lcu_hour_an_hour():
    found = estimate([ingress("web", group="shop"), ingress("api", group="shop"), ingress("admin")], "r-1", TABLE, DAY)
    assert found.total("desired", "load balancers") == found.total("max", "load balancers") == 2 * ONE_ALB
    group = next(x for x in found.lines if x.key == "alb:group:shop")
    assert group.label == "load balancer for Ingress group shop (demo/api, demo/web): ALB, internal"
    assert group.note == "1 LCU an hour assumed: USD 0.02/h + 1 x USD 0.01/LCU-hour"


def test_the_scheme_is_in_the_label():
    scheme = {"alb.ingress.kubernetes.io/scheme": "internet-facing"}
    assert lines([ingress("web", **scheme)])[0].label == "load balancer for Ingress demo/web: ALB, internet-facing"


def test_a_service_of_type_load_balancer_is_shown_not_priced():
    (nlb,) = lines([service("db", loadBalancerClass="service.k8s.aws/nlb")])
    assert (nlb.desired, nlb.max, nlb.counted) == (None, None, False)
    assert nlb.note.startswith("NLB: not priced") and nlb.label == "load balancer for Service demo/db"
    assert lines([service("db")])[0].note.startswith("Classic or NLB: not priced")
    assert estimate([service("db")], "r-1", TABLE, DAY).unknown == []  # not counted, so not an unknown either


def test_an_alb_without_a_price_for_its_region_is_unknown():
    found = estimate([ingress("web")], "r-2", TABLE, DAY)
    assert [x.label for x in found.unknown] == ["load balancer for Ingress demo/web: ALB, internal"]
    assert found.lines[0].note == "1 LCU an hour assumed: ALB price unknown"
