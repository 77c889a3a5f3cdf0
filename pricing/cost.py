"""What a stack costs per month, at every node group's desiredSize and at its maxSize, from the
resources a plan registers (plan.json's resources, or what CrossGuard's analyzer sees).

The estimate reads the AWS resources themselves (the `aws:eks/cluster:Cluster` pulumi-eks creates,
node groups, launch templates, NAT gateways, Elastic IPs, KMS keys, StatefulSet volume claims) and the
Kubernetes objects that make the AWS Load Balancer Controller create load balancers (pricing/load_balancers.py),
so it is the same on both sides of a review and in the policy pack. Prices come from pricing/table.py;
a price the table lacks makes that line unknown (None), never a guess. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .load_balancers import INGRESS, INGRESS_CLASS, SERVICE, ingress_load_balancers, service_load_balancers
from .support import support_of
from .table import (
    GP3_BASELINE_IOPS,
    GP3_BASELINE_MIBPS,
    HOURS_PER_MONTH,
    STANDARD_TIER,
    PriceTable,
)

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
EIP = "aws:ec2/eip:Eip"
KMS_KEY = "aws:kms/key:Key"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
SUBNET = "aws:ec2/subnet:Subnet"
COSTED_TYPES = (
    *(CLUSTER, NODE_GROUP, LAUNCH_TEMPLATE, NAT_GATEWAY, EIP, KMS_KEY, STATEFUL_SET, STORAGE_CLASS, SUBNET),
    *(INGRESS, INGRESS_CLASS, SERVICE),
)
COMPONENTS = ("cluster", "node groups", "network", "load balancers", "storage", "logs")
# An ALB is billed per hour plus per LCU-hour, an LCU being the largest of: 25 new connections a second, 3,000
# active connections a minute, 1 GB an hour to instance/IP targets, 1,000 rule evaluations a second (Elastic
# Load Balancing pricing). Traffic is unknown before `pulumi up`, so each ALB is priced at this many LCUs.
ASSUMED_LCUS = 1
NOT_COUNTED = (
    "data transfer, NAT gateway data processing (per GB), control-plane log volume (per GB ingested), "
    "spot prices, Savings Plans and Reserved Instances, an ALB's capacity units above the "
    f"{ASSUMED_LCUS} LCU an hour assumed, Network and Classic Load Balancers (Services of type LoadBalancer), "
    "the public IPv4 addresses of internet-facing load balancers, load balancers and volumes that workloads "
    "create later"
)
EBS_CSI = "ebs.csi.aws.com"
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"


@dataclass(frozen=True)
class Line:
    """One priced thing. desired/max are USD per month, None when a price is unknown."""

    component: str
    key: str  # stable across renders: what a review matches base and head lines by
    label: str  # what is priced, e.g. "node group general: t3.medium x 1 (max 2)"
    desired: float | None
    max: float | None
    counted: bool = True  # False: shown, but not in the totals (SPOT groups, log volume)
    note: str = ""


@dataclass
class Estimate:
    region: str
    lines: list[Line] = field(default_factory=list)

    @property
    def unknown(self) -> list[Line]:
        return [line for line in self.lines if line.counted and (line.desired is None or line.max is None)]

    def total(self, at: str, component: str | None = None) -> float:
        """The known part of the total (see `unknown` for what it leaves out)."""
        return round(
            sum(
                getattr(line, at) or 0.0
                for line in self.lines
                if line.counted and (component is None or line.component == component)
            ),
            2,
        )


@dataclass(frozen=True)
class Resource:
    type: str
    name: str
    props: Mapping[str, Any]


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _times(price: float | None, count: float) -> float | None:
    return None if price is None else price * count


def _int(value: Any, default: int = 0) -> int:
    return int(value) if isinstance(value, int | float) else default


def _cluster_lines(cluster: Resource, region: str, prices: PriceTable, today: date) -> list[Line]:
    props = cluster.props
    version = str(props.get("version") or "")
    support_type = (props.get("upgradePolicy") or {}).get("supportType")
    tier = str((props.get("controlPlaneScalingConfig") or {}).get("tier") or STANDARD_TIER)
    support = support_of(version, support_type, today)
    hourly = prices.control_plane_hourly(region, support, tier)
    label = f"EKS control plane {version} ({support} support" + (f", {tier}" if tier != STANDARD_TIER else "") + ")"
    monthly = _money(_times(hourly, HOURS_PER_MONTH))
    lines = [Line("cluster", "cluster", label, monthly, monthly)]
    log_types = list(props.get("enabledClusterLogTypes") or [])
    if log_types:
        per_gb = prices.usd(region, "logsIngestGb")
        rate = f"USD {per_gb}/GB ingested" if per_gb is not None else "price per GB unknown"
        lines.append(
            Line(
                "logs",
                "logs",
                f"control-plane logs ({', '.join(log_types)})",
                0.0,
                0.0,
                False,
                f"{rate}; volume not counted",
            )
        )
    return lines


def _launch_template_volume(group: Resource, templates: Mapping[str, Resource]) -> Mapping[str, Any] | None:
    # The program names a node group's launch template "<group>-nodes" (components/managed_node_group.py);
    # its id is unknown before `pulumi up`, its name is not.
    template = templates.get(f"{group.name}-nodes") or (next(iter(templates.values())) if len(templates) == 1 else None)
    if template is None:
        return None
    for mapping in template.props.get("blockDeviceMappings") or []:
        if (mapping or {}).get("ebs"):
            return mapping["ebs"]
    return None


def _gp3_monthly(size_gib: float, iops: int, mibps: int, region: str, prices: PriceTable) -> float | None:
    parts = [_times(prices.usd(region, "gp3GbMonth"), size_gib)]
    if iops > GP3_BASELINE_IOPS:
        parts.append(_times(prices.usd(region, "gp3IopsMonth"), iops - GP3_BASELINE_IOPS))
    if mibps > GP3_BASELINE_MIBPS:
        parts.append(_times(prices.usd(region, "gp3MibpsMonth"), mibps - GP3_BASELINE_MIBPS))
    return None if any(p is None for p in parts) else sum(parts)


def _node_group_lines(
    group: Resource, templates: Mapping[str, Resource], region: str, prices: PriceTable
) -> list[Line]:
    props = group.props
    scaling = props.get("scalingConfig") or {}
    desired, top = _int(scaling.get("desiredSize")), _int(scaling.get("maxSize"))
    types = [str(t) for t in props.get("instanceTypes") or []]
    # An ON_DEMAND managed node group launches its instance types in the order given (EKS User Guide,
    # "Managed node group capacity types": allocation strategy "prioritized"), so the first one is priced.
    instance = types[0] if types else "t3.medium"  # EKS's default when none is given
    spot = props.get("capacityType") == "SPOT"
    hourly = prices.instance_hourly(region, instance)
    sizes = f"{desired} (max {top})"
    label = f"node group {group.name}: {' | '.join(types) or instance} x {sizes}"
    each = _times(hourly, HOURS_PER_MONTH)
    if spot:
        ceiling = f"up to USD {_money(_times(each, top))}/month at on-demand prices" if each is not None else ""
        note = "SPOT: not priced (spot prices vary by hour and zone)" + (f"; {ceiling}" if ceiling else "")
        line = Line("node groups", f"nodegroup:{group.name}", label, None, None, False, note)
    else:
        note = f"priced as {instance}, the first type (EKS launches them in order)" if len(types) > 1 else ""
        line = Line(
            "node groups",
            f"nodegroup:{group.name}",
            label,
            _money(_times(each, desired)),
            _money(_times(each, top)),
            True,
            note,
        )
    lines = [line]
    volume = _launch_template_volume(group, templates)
    size = _int((volume or {}).get("volumeSize"), _int(props.get("diskSize"), 20))
    kind = str((volume or {}).get("volumeType") or "gp3")
    if kind == "gp3":
        per_node = _gp3_monthly(
            size, _int((volume or {}).get("iops")), _int((volume or {}).get("throughput")), region, prices
        )
        lines.append(
            Line(
                "storage",
                f"disks:{group.name}",
                f"node disks {group.name}: {size} GiB gp3 x {sizes}",
                _money(_times(per_node, desired)),
                _money(_times(per_node, top)),
            )
        )
    else:
        lines.append(Line("storage", f"disks:{group.name}", f"node disks {group.name}: {size} GiB {kind}", None, None))
    return lines


def _network_lines(resources: Sequence[Resource], region: str, prices: PriceTable) -> list[Line]:
    lines = []
    nats = sum(1 for r in resources if r.type == NAT_GATEWAY)
    if nats:
        each = _times(prices.usd(region, "natGatewayHour"), HOURS_PER_MONTH)
        total = _money(_times(each, nats))
        lines.append(Line("network", "nat", f"NAT gateways x {nats}", total, total))
    addresses = sum(1 for r in resources if r.type == EIP)
    if addresses:
        each = _times(prices.usd(region, "publicIpv4Hour"), HOURS_PER_MONTH)
        total = _money(_times(each, addresses))
        lines.append(Line("network", "ipv4", f"public IPv4 addresses (Elastic IPs) x {addresses}", total, total))
    return lines


def _load_balancer_lines(resources: Sequence[Resource], region: str, prices: PriceTable) -> list[Line]:
    """The ALBs the controller makes for the plan's Ingresses, at the hour plus ASSUMED_LCUS LCU-hours each;
    Services of type LoadBalancer shown, not priced."""
    of = {t: [(r.name, r.props) for r in resources if r.type == t] for t in (INGRESS, INGRESS_CLASS, SERVICE)}
    hour, lcu = prices.usd(region, "albHour"), prices.usd(region, "albLcuHour")
    hourly = None if hour is None or lcu is None else hour + ASSUMED_LCUS * lcu
    rate = f"USD {hour}/h + {ASSUMED_LCUS} x USD {lcu}/LCU-hour" if hourly is not None else "ALB price unknown"
    lines = []
    for lb in ingress_load_balancers(of[INGRESS], (props for _, props in of[INGRESS_CLASS])):
        each = _money(_times(hourly, HOURS_PER_MONTH))
        note = f"{ASSUMED_LCUS} LCU an hour assumed: {rate}"
        lines.append(
            Line("load balancers", lb.key, f"load balancer for {lb.made_for}: ALB, {lb.scheme}", each, each, True, note)
        )
    for lb in service_load_balancers(of[SERVICE]):
        note = f"{lb.kind}: not priced (the price table has no Network or Classic Load Balancer prices)"
        lines.append(Line("load balancers", lb.key, f"load balancer for {lb.made_for}", None, None, False, note))
    return lines


def _claim_lines(resources: Sequence[Resource], region: str, prices: PriceTable) -> list[Line]:
    """Volumes StatefulSets claim through an EBS CSI gp3 StorageClass: size x replicas."""
    classes = {
        str((r.props.get("metadata") or {}).get("name")): r.props
        for r in resources
        if r.type == STORAGE_CLASS and r.props.get("provisioner") == EBS_CSI
    }
    default = next(
        (
            n
            for n, p in classes.items()
            if ((p.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CLASS) == "true"
        ),
        None,
    )
    lines = []
    for r in resources:
        if r.type != STATEFUL_SET:
            continue
        spec = r.props.get("spec") or {}
        replicas = _int(spec.get("replicas"), 1)
        for claim in spec.get("volumeClaimTemplates") or []:
            claim_spec = claim.get("spec") or {}
            klass = claim_spec.get("storageClassName") or default
            if klass not in classes or (classes[klass].get("parameters") or {}).get("type", "gp3") != "gp3":
                continue
            gib = _gib(((claim_spec.get("resources") or {}).get("requests") or {}).get("storage"))
            if gib is None:
                continue
            name = (claim.get("metadata") or {}).get("name", "data")
            total = _money(_times(prices.usd(region, "gp3GbMonth"), gib * replicas))
            lines.append(
                Line(
                    "storage",
                    f"claim:{r.name}:{name}",
                    f"volume claims {r.name}/{name}: {gib:g} GiB gp3 x {replicas}",
                    total,
                    total,
                )
            )
    return lines


_UNITS = {"Ki": 1 / 1024**2, "Mi": 1 / 1024, "Gi": 1, "Ti": 1024, "G": 1e9 / 1024**3, "T": 1e12 / 1024**3}


def _gib(quantity: Any) -> float | None:
    text = str(quantity or "")
    for suffix, factor in _UNITS.items():
        if text.endswith(suffix) and text[: -len(suffix)].replace(".", "", 1).isdigit():
            return float(text[: -len(suffix)]) * factor
    return None


def estimate(resources: Iterable[Resource], region: str, prices: PriceTable, today: date) -> Estimate:
    """The monthly cost of a stack's resources in `region`, at desiredSize and at maxSize."""
    resources = [r for r in resources if r.type in COSTED_TYPES]
    templates = {r.name: r for r in resources if r.type == LAUNCH_TEMPLATE}
    result = Estimate(region)
    for r in resources:
        if r.type == CLUSTER:
            result.lines += _cluster_lines(r, region, prices, today)
    keys = sum(1 for r in resources if r.type == KMS_KEY)
    if keys:
        total = _money(_times(prices.usd(region, "kmsKeyMonth"), keys))
        result.lines.append(Line("cluster", "kms", f"KMS keys x {keys}", total, total))
    for r in sorted((r for r in resources if r.type == NODE_GROUP), key=lambda r: r.name):
        result.lines += _node_group_lines(r, templates, region, prices)
    result.lines += _network_lines(resources, region, prices)
    result.lines += _load_balancer_lines(resources, region, prices)
    result.lines += _claim_lines(resources, region, prices)
    return result


def region_of(resources: Iterable[Resource]) -> str | None:
    """The region the subnets the stack creates are in (ap-northeast-2a -> ap-northeast-2)."""
    for r in resources:
        zone = r.props.get("availabilityZone") if r.type == SUBNET else None
        if isinstance(zone, str) and zone[-1:].isalpha():
            return zone[:-1]
    return None
