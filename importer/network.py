"""`vpc` (CIDR, NAT, an existing VPC and its subnets) and `availabilityZones` become
`eks-platform:network`.

A VPC the platform creates is split into subnets by the platform itself (settings/subnets.py),
so subnet layouts given by CIDR cannot be carried; an existing VPC is carried as its id and the
ids of its subnets.
"""

from __future__ import annotations

from settings.problems import key_path

from . import eksctl_defaults as default
from . import refusals
from .outcome import Outcome, join
from .reader import Fields

NAT_GATEWAYS = {"Single": "single", "HighlyAvailable": "perAz"}


def map_network(top: Fields, vpc: Fields, region: str | None, out: Outcome) -> None:
    out.trace(key_path("network"), "vpc", same_shape=False)
    vpc_id = vpc.string("id")
    subnet_ids = _subnet_ids(vpc, out)
    zones = top.strings("availabilityZones")
    nat = vpc.fields("nat")
    gateway = nat.string("gateway")
    nat.leave_behind({})
    if vpc_id is not None or any(subnet_ids.values()):
        network = _existing_vpc(vpc, vpc_id, subnet_ids, out)
        if gateway is not None:
            out.note(nat.at("gateway"), "an existing VPC keeps its own routing; the platform creates no NAT in it")
        if zones:
            out.note(top.at("availabilityZones"), "an existing VPC's zones are those of its subnets")
    else:
        cidr = vpc.raw("cidr")
        network = {"vpcCidr": default.VPC_CIDR if cidr is None else cidr}
        out.trace(
            key_path("network", "vpcCidr"),
            vpc.at("cidr") if cidr is not None else f"vpc.cidr (eksctl's default: {default.VPC_CIDR})",
        )
        _zones(top, zones, region, network, out)
        _nat_gateways(nat, gateway, network, out)
    out.config[key_path("network")] = network


def _existing_vpc(vpc: Fields, vpc_id: str | None, ids: dict[str, list[tuple[str, str]]], out: Outcome) -> dict:
    """An existing VPC: its id and the ids of its subnets (its CIDR stays its own)."""
    network: dict = {}
    if vpc_id is not None:
        network["vpcId"] = vpc_id
        out.trace(key_path("network", "vpcId"), vpc.at("id"))
    for stack_key, topology in (("privateSubnetIds", "private"), ("publicSubnetIds", "public")):
        if ids[topology]:
            network[stack_key] = [subnet_id for subnet_id, _ in ids[topology]]
            for i, (_, path) in enumerate(ids[topology]):
                out.trace(key_path("network", stack_key, i), path)
            out.trace(key_path("network", stack_key), join(vpc.at("subnets"), topology), same_shape=False)
    if vpc.raw("cidr") is not None:
        out.note(vpc.at("cidr"), "an existing VPC keeps its own CIDR; the stack names the VPC by id only")
    return network


def _zones(top: Fields, zones: list[str], region: str | None, network: dict, out: Outcome) -> None:
    """How many zones: the count of those named (the platform picks its own), or eksctl's default."""
    if zones:
        network["availabilityZones"] = len(set(zones))
        out.trace(key_path("network", "availabilityZones"), top.at("availabilityZones"), same_shape=False)
        out.leave(
            top.at("availabilityZones"),
            refusals.NETWORK,
            f"the zone names {', '.join(zones)}: the platform takes the region's first {len(set(zones))} zones in "
            f"alphabetical order among those that need no opt-in ({region or '<region>'}a, "
            f"{region or '<region>'}b, ...); only the count is carried",
        )
    else:
        network["availabilityZones"] = default.availability_zones(region)
        out.trace(
            key_path("network", "availabilityZones"),
            f"availabilityZones (eksctl's default: {network['availabilityZones']} zones picked at random)",
            same_shape=False,
        )


def _nat_gateways(nat: Fields, gateway: str | None, network: dict, out: Outcome) -> None:
    """vpc.nat.gateway as natGateways; Disable becomes one NAT gateway (nodes pull images through it)."""
    if gateway is None:
        network["natGateways"] = NAT_GATEWAYS[default.NAT_GATEWAY]
        out.trace(
            key_path("network", "natGateways"),
            f"vpc.nat.gateway (eksctl's default: {default.NAT_GATEWAY})",
            same_shape=False,
        )
    elif gateway in NAT_GATEWAYS:
        network["natGateways"] = NAT_GATEWAYS[gateway]
        out.trace(key_path("network", "natGateways"), nat.at("gateway"), same_shape=False)
    elif gateway == "Disable":
        network["natGateways"] = "single"
        out.leave(
            nat.at("gateway"),
            refusals.NETWORK,
            "no NAT: the platform's private subnets always get a NAT gateway (nodes pull images through it); "
            "the stack has one (natGateways: single)",
        )
    else:
        out.problem(nat.at("gateway"), f'"{gateway}" must be one of HighlyAvailable, Single, Disable')


def _subnet_ids(vpc: Fields, out: Outcome) -> dict[str, list[tuple[str, str]]]:
    """private and public: (subnet id, eksctl path) of each subnet given by id, in file order."""
    subnets = vpc.fields("subnets")
    found: dict[str, list[tuple[str, str]]] = {"private": [], "public": []}
    for topology in found:
        by_name = subnets.fields(topology)
        for name in list(by_name.value):
            if not isinstance(name, str):
                out.problem(join(by_name.path, str(name)), "a subnet's name (or zone) must be a string")
                by_name.handled.add(name)
                continue
            spec = by_name.fields(name)
            subnet_id = spec.string("id")
            spec.raw("az")
            spec.raw("cidr")
            if subnet_id is not None:
                found[topology].append((subnet_id, spec.at("id")))
            elif spec.value:
                out.leave(
                    spec.path,
                    refusals.NETWORK,
                    "a subnet given by zone or CIDR: the platform splits vpcCidr into its own subnets (one private "
                    "and one public per zone); name existing subnets by id",
                )
            spec.leave_behind({})
        by_name.leave_behind({})
    subnets.leave_behind({})
    return found
