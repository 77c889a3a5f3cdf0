"""What the Kubernetes API server refuses in a pod spec that the OpenAPI schema lets through.

Two halves that do not share code: table rows for the settings layer (the error names the key
path), and an independent reading of every manifest the render writes, against the API server's
own rules (k8s.io/kubernetes pkg/apis/core/validation: ValidateNodeSelectorRequirement,
ValidateTolerations, ValidateResourceRequirements).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from render.manifests import manifest_files
from tests.conftest import check_rule, config_with

NODE_GROUPS = [{"name": "general", "labels": {"example.com/pool": "general"}}]


def with_deployment(**deployment) -> dict:
    return config_with(nodeGroups=NODE_GROUPS, workloads={"enabled": True, "deployment": deployment})


def preferred(*expressions: dict) -> dict:
    return {"preferred": [{"weight": 10, "matchExpressions": list(expressions)}]}


EXPRESSION = "eks-platform:workloads.deployment.nodeAffinity.preferred[0].matchExpressions[0]"

RULES = [
    (
        "In needs a value",
        with_deployment(nodeAffinity=preferred({"key": "example.com/pool", "operator": "In", "values": ["general"]})),
        with_deployment(nodeAffinity=preferred({"key": "example.com/pool", "operator": "In"})),
        f"{EXPRESSION}.values",
        "operator In needs at least one value",
    ),
    (
        "NotIn needs a value",
        with_deployment(nodeAffinity=preferred({"key": "example.com/pool", "operator": "NotIn", "values": ["db"]})),
        with_deployment(nodeAffinity=preferred({"key": "example.com/pool", "operator": "NotIn", "values": []})),
        f"{EXPRESSION}.values",
        "operator NotIn needs at least one value",
    ),
    (
        "Exists takes no value",
        with_deployment(nodeAffinity=preferred({"key": "example.com/pool", "operator": "Exists"})),
        with_deployment(nodeAffinity=preferred({"key": "example.com/pool", "operator": "Exists", "values": ["a"]})),
        f"{EXPRESSION}.values",
        "must be empty with operator Exists",
    ),
    (
        "DoesNotExist takes no value",
        with_deployment(nodeAffinity=preferred({"key": "example.com/gpu", "operator": "DoesNotExist"})),
        with_deployment(
            nodeAffinity=preferred({"key": "example.com/gpu", "operator": "DoesNotExist", "values": ["a"]})
        ),
        f"{EXPRESSION}.values",
        "must be empty with operator DoesNotExist",
    ),
    (
        "Gt takes one integer",
        with_deployment(nodeAffinity=preferred({"key": "example.com/cores", "operator": "Gt", "values": ["3"]})),
        with_deployment(nodeAffinity=preferred({"key": "example.com/cores", "operator": "Gt", "values": ["three"]})),
        f"{EXPRESSION}.values",
        "exactly one integer",
    ),
    (
        "Lt takes exactly one value",
        with_deployment(nodeAffinity=preferred({"key": "example.com/cores", "operator": "Lt", "values": ["8"]})),
        with_deployment(nodeAffinity=preferred({"key": "example.com/cores", "operator": "Lt", "values": ["8", "9"]})),
        f"{EXPRESSION}.values",
        "exactly one integer",
    ),
    (
        "a toleration with Exists takes no value",
        with_deployment(tolerations=[{"key": "example.com/dedicated", "operator": "Exists"}]),
        with_deployment(tolerations=[{"key": "example.com/dedicated", "operator": "Exists", "value": "db"}]),
        "eks-platform:workloads.deployment.tolerations[0].value",
        "must be empty with operator Exists",
    ),
    (
        "a toleration without a key must use Exists",
        with_deployment(tolerations=[{"operator": "Exists"}]),
        with_deployment(tolerations=[{"effect": "NoSchedule"}]),
        "eks-platform:workloads.deployment.tolerations[0].operator",
        "must use operator Exists",
    ),
    (
        "requests must not exceed limits",
        with_deployment(
            resources={"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "250m", "memory": "128Mi"}}
        ),
        with_deployment(
            resources={"requests": {"cpu": "300m", "memory": "64Mi"}, "limits": {"cpu": "250m", "memory": "128Mi"}}
        ),
        "eks-platform:workloads.deployment.resources.limits.cpu",
        'below the request "300m"',
    ),
]


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule, good, bad, path, fragment):
    check_rule(rule, good, bad, path, fragment)


# --- the independent reading of what the render writes --------------------------------------

_UNITS = {"": 1, "m": Decimal("0.001"), "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 10**3, "M": 10**6, "G": 10**9}


def _amount(text: str) -> Decimal:
    number = text.rstrip("".join({c for unit in _UNITS for c in unit}))
    return Decimal(number) * _UNITS[text[len(number) :]]


def _pod_specs(document: dict):
    spec = document.get("spec", {})
    if document["kind"] == "Pod":
        yield spec
    elif document["kind"] == "CronJob":
        yield spec["jobTemplate"]["spec"]["template"]["spec"]
    elif "template" in spec:
        yield spec["template"]["spec"]


def api_server_refusals(document: dict) -> list[str]:
    found = []
    for spec in _pod_specs(document):
        affinity = spec.get("affinity", {}).get("nodeAffinity", {})
        terms = affinity.get("requiredDuringSchedulingIgnoredDuringExecution", {}).get("nodeSelectorTerms", [])
        terms += [p["preference"] for p in affinity.get("preferredDuringSchedulingIgnoredDuringExecution", [])]
        for term in terms:
            for e in term.get("matchExpressions", []):
                values = e.get("values", [])
                if e["operator"] in ("In", "NotIn") and not values:
                    found.append(f"{e['key']} {e['operator']} without values")
                if e["operator"] in ("Exists", "DoesNotExist") and values:
                    found.append(f"{e['key']} {e['operator']} with values")
                if e["operator"] in ("Gt", "Lt") and (len(values) != 1 or not values[0].lstrip("-").isdigit()):
                    found.append(f"{e['key']} {e['operator']} needs one integer")
        for t in spec.get("tolerations", []):
            if t.get("operator") == "Exists" and t.get("value"):
                found.append(f"toleration {t} has a value with Exists")
            if not t.get("key") and t.get("operator", "Equal") != "Exists":
                found.append(f"toleration {t} has no key and is not Exists")
        for c in spec.get("initContainers", []) + spec.get("containers", []):
            resources = c.get("resources", {})
            for name, request in resources.get("requests", {}).items():
                limit = resources.get("limits", {}).get(name)
                if limit is not None and _amount(request) > _amount(limit):
                    found.append(f"container {c['name']} requests {name} {request} above its limit {limit}")
    return found


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_no_rendered_manifest_would_be_refused_by_the_api_server(request, stack):
    # the manifests exactly as the render writes them (render_files in render/__main__.py)
    pods = 0
    for name, text in manifest_files(request.getfixturevalue(stack)):
        document = yaml.safe_load(text)
        pods += sum(1 for _ in _pod_specs(document))
        assert api_server_refusals(document) == [], name
    assert pods >= 6  # every sample kind was read


def test_the_independent_reading_catches_each_refusal():
    bad = {
        "kind": "Deployment",
        "spec": {
            "template": {
                "spec": {
                    "affinity": {
                        "nodeAffinity": {
                            "preferredDuringSchedulingIgnoredDuringExecution": [
                                {"weight": 1, "preference": {"matchExpressions": [{"key": "a", "operator": "In"}]}}
                            ]
                        }
                    },
                    "tolerations": [{"key": "b", "operator": "Exists", "value": "x"}, {"effect": "NoSchedule"}],
                    "containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}, "limits": {"cpu": "500m"}}}],
                }
            }
        },
    }
    assert len(api_server_refusals(bad)) == 4
