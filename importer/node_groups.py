"""`managedNodeGroups` become `eks-platform:nodeGroups`, with eksctl's defaults where a group is
silent (instance type, sizes, volume size, AMI family, public subnets).
"""

from __future__ import annotations

import re

from settings.instance_types import ARM64, X86_64, architecture_of
from settings.problems import key_path, show

from . import capabilities, refusals
from . import eksctl_defaults as default
from .lifecycle import map_node_repair
from .outcome import Outcome, join
from .platform_addons import map_addon_policies
from .reader import Fields

# amiFamily -> {(architecture, accelerator): amiType}, as eksctl's GetAMIType (amitype.go) picks
# them for managed node groups; an accelerator the family lacks falls back to its plain AMI.
AMI_TYPES = {
    "AmazonLinux2023": {
        (X86_64, None): "AL2023_x86_64_STANDARD",
        (ARM64, None): "AL2023_ARM_64_STANDARD",
        (X86_64, "nvidia"): "AL2023_x86_64_NVIDIA",
        (ARM64, "nvidia"): "AL2023_ARM_64_NVIDIA",
        (X86_64, "neuron"): "AL2023_x86_64_NEURON",
    },
    "AmazonLinux2": {
        (X86_64, None): "AL2_x86_64",
        (ARM64, None): "AL2_ARM_64",
        (X86_64, "nvidia"): "AL2_x86_64_GPU",
        (X86_64, "neuron"): "AL2_x86_64_GPU",
    },
    "Bottlerocket": {
        (X86_64, None): "BOTTLEROCKET_x86_64",
        (ARM64, None): "BOTTLEROCKET_ARM_64",
        (X86_64, "nvidia"): "BOTTLEROCKET_x86_64_NVIDIA",
        (ARM64, "nvidia"): "BOTTLEROCKET_ARM_64_NVIDIA",
    },
}
# Families eksctl accepts that this platform does not run (types.go, "Values for NodeAMIFamily").
OTHER_FAMILIES = {
    **{f"{pro}{v}": "Ubuntu" for pro in ("Ubuntu", "UbuntuPro") for v in ("2004", "2204", "2404", "2604")},
    "BottlerocketFips": "FIPS Bottlerocket",
    **{f"WindowsServer{y}{k}Container": "Windows" for y in ("2019", "2022", "2025") for k in ("Core", "Full")},
}
_FAMILY = re.compile(r"^(?P<family>[a-z]+)\d+(?P<options>[a-z-]*)\.")


def accelerator_of(instance_type: str) -> str | None:
    """NVIDIA GPU families (p*, g* but AMD's g4ad, gr*) and AWS Neuron (inf*, trn*)."""
    match = _FAMILY.match(instance_type)
    if not match:
        return None
    family, options = match["family"], match["options"]
    if family in ("p", "gr") or (family == "g" and not options.startswith("a")):
        return "nvidia"
    if family in ("inf", "trn"):
        return "neuron"
    return None


def ami_type_for(family: str, instance_type: str) -> str:
    try:
        arch = architecture_of(instance_type)
    except ValueError:  # not an instance type: the settings layer names it; any AMI type will do here
        arch = X86_64
    by_kind = AMI_TYPES[family]
    return by_kind.get((arch, accelerator_of(instance_type))) or by_kind[(arch, None)]


def map_node_groups(top: Fields, out: Outcome) -> None:
    groups = [_node_group(ng, i, out) for i, ng in enumerate(top.each("managedNodeGroups"))]
    out.trace(key_path("nodeGroups"), "managedNodeGroups", same_shape=False)
    if groups:
        out.config[key_path("nodeGroups")] = groups
        out.note(
            "managedNodeGroups",
            f"eksctl labels every node {' and '.join(default.NODE_LABELS)}; the platform's nodes do not carry "
            "them: select nodes by your own labels or eks.amazonaws.com/nodegroup",
        )


def _node_group(ng: Fields, i: int, out: Outcome) -> dict:
    group: dict = {}
    out.trace(key_path("nodeGroups", i), ng.path, same_shape=False)
    if not ng.is_mapping:
        return group
    name = ng.string("name")
    if name is None and ng.value.get("name") is None:
        out.problem(ng.at("name"), "is required (eksctl refuses a node group without a name)")
    group["name"] = name
    out.trace(key_path("nodeGroups", i, "name"), ng.at("name"))
    group["instanceTypes"] = _instance_types(ng, key_path("nodeGroups", i, "instanceTypes"), out)
    _sizes(ng, i, group, out)
    _machines(ng, i, group, out)
    _labels_and_taints(ng, i, group, out)
    _updates(ng, i, group, out)
    _tags(ng, i, group, out)
    _leave_behind(ng, out)
    return group


def _from_default(ng: Fields, key: str, what: str) -> str:
    return f"{ng.at(key)} (eksctl's default: {what})"


def _sizes(ng: Fields, i: int, group: dict, out: Outcome) -> None:
    """minSize, maxSize and desiredSize, with eksctl's defaults for those the group leaves out."""
    given = {key: ng.integer(key) for key in ("minSize", "maxSize", "desiredCapacity")}
    sizes = default.node_group_sizes(given["minSize"], given["maxSize"], given["desiredCapacity"])
    for key, stack_key, value, rule in zip(
        ("minSize", "maxSize", "desiredCapacity"),
        ("minSize", "maxSize", "desiredSize"),
        sizes,
        ("desiredCapacity, else 2", "desiredCapacity, else minSize", "minSize"),
        strict=True,
    ):
        group[stack_key] = value
        source = ng.at(key) if given[key] is not None else _from_default(ng, key, rule)
        out.trace(key_path("nodeGroups", i, stack_key), source, same_shape=False)


def _machines(ng: Fields, i: int, group: dict, out: Outcome) -> None:
    """The AMI type, spot or on-demand, the volume size and the subnets the nodes run in."""
    group["amiType"] = _ami_type(ng, group["instanceTypes"][0], out)
    out.trace(key_path("nodeGroups", i, "amiType"), ng.at("amiFamily"), same_shape=False)

    spot = ng.boolean("spot")
    group["capacityType"] = "SPOT" if spot else "ON_DEMAND"
    out.trace(key_path("nodeGroups", i, "capacityType"), ng.at("spot"), same_shape=False)

    volume_size = ng.integer("volumeSize")
    group["diskSize"] = default.VOLUME_SIZE if volume_size is None else volume_size
    out.trace(
        key_path("nodeGroups", i, "diskSize"),
        ng.at("volumeSize")
        if volume_size is not None
        else _from_default(ng, "volumeSize", f"{default.VOLUME_SIZE} GiB"),
        same_shape=False,
    )

    private = ng.boolean("privateNetworking")
    group["subnets"] = "private" if private else "public"
    source = ng.at("privateNetworking") if private is not None else _from_default(ng, "privateNetworking", "false")
    out.trace(key_path("nodeGroups", i, "subnets"), source, same_shape=False)


def _labels_and_taints(ng: Fields, i: int, group: dict, out: Outcome) -> None:
    labels = ng.string_map("labels")
    if labels:
        group["labels"] = labels
        out.trace(key_path("nodeGroups", i, "labels"), ng.at("labels"))
    taints = _taints(ng, i, out)
    if taints:
        group["taints"] = taints


def _updates(ng: Fields, i: int, group: dict, out: Outcome) -> None:
    """How the group is updated (maxUnavailable) and repaired (nodeRepairConfig)."""
    update = ng.fields("updateConfig")
    max_unavailable = update.integer("maxUnavailable")
    if max_unavailable is not None:
        group["maxUnavailable"] = max_unavailable
        out.trace(key_path("nodeGroups", i, "maxUnavailable"), update.at("maxUnavailable"))
    update.leave_behind(refusals.UPDATE_CONFIG)
    map_node_repair(ng, group, i, out)


def _tags(ng: Fields, i: int, group: dict, out: Outcome) -> None:
    tags = ng.string_map("tags")
    if tags and capabilities.has_node_group_tags():
        group["tags"] = tags
        out.trace(key_path("nodeGroups", i, "tags"), ng.at("tags"))
    elif tags:
        out.leave(
            ng.at("tags"),
            refusals.NOT_YET,
            "per-group tags: this platform has no nodeGroups[].tags yet (the cluster's tags go on every resource)",
        )


def _leave_behind(ng: Fields, out: Outcome) -> None:
    """What the platform does not carry: SSH, the group's own IAM (its add-on policies become the platform's
    add-ons where they can), security groups and every other field eksctl has."""
    ng.fields("ssh").leave_behind(refusals.NODE_GROUP_SSH)
    iam = ng.fields("iam")
    policies = iam.fields("withAddonPolicies")
    map_addon_policies(policies, out)
    policies.leave_behind(refusals.ADDON_POLICIES)
    iam.leave_behind(refusals.NODE_GROUP_IAM)
    ng.fields("securityGroups").leave_behind(refusals.NODE_GROUP_SECURITY_GROUPS)
    ng.leave_behind(refusals.MANAGED_NODE_GROUP)


def _instance_types(ng: Fields, stack_path: str, out: Outcome) -> list[str]:
    single, several = ng.string("instanceType"), ng.strings("instanceTypes")
    if single is not None and several:
        out.problem(ng.path, "sets both instanceType and instanceTypes; eksctl allows only one of them")
    if several:
        out.trace(stack_path, ng.at("instanceTypes"))
        return several
    if single is not None:
        out.trace(stack_path, ng.at("instanceType"), same_shape=False)
        return [single]
    out.trace(stack_path, f"{ng.at('instanceType')} (eksctl's default: {default.INSTANCE_TYPE})", same_shape=False)
    return [default.INSTANCE_TYPE]


def _ami_type(ng: Fields, instance_type: str, out: Outcome) -> str:
    given = ng.string("amiFamily")
    family = default.AMI_FAMILY
    if given is not None:
        canonical = {name.lower(): name for name in [*AMI_TYPES, *OTHER_FAMILIES]}.get(given.lower())
        if canonical is None:
            known = ", ".join([*AMI_TYPES, *OTHER_FAMILIES])
            out.problem(ng.at("amiFamily"), f"{show(given)} is not an eksctl AMI family ({known})")
        elif canonical in OTHER_FAMILIES:
            out.leave(
                ng.at("amiFamily"),
                refusals.NODE_GROUPS,
                f"{OTHER_FAMILIES[canonical]} nodes: the platform runs EKS-optimized Amazon Linux and Bottlerocket "
                f"AMIs; the group gets {ami_type_for(default.AMI_FAMILY, instance_type)}",
            )
        else:
            family = canonical
    return ami_type_for(family, instance_type)


def _taints(ng: Fields, i: int, out: Outcome) -> list[dict]:
    """Both of eksctl's forms: a list of {key, value, effect}, or the older map `key: "value:Effect"`."""
    raw = ng.raw("taints")
    taints: list[dict] = []
    if raw is None:
        return taints
    if isinstance(raw, dict):
        for key, value_effect in raw.items():
            path = join(ng.at("taints"), str(key))
            if not isinstance(value_effect, str) or value_effect.count(":") > 1:
                out.problem(path, f'{show(value_effect)} must be "value:Effect", ":Effect" or "Effect"')
                continue
            value, _, effect = value_effect.rpartition(":")
            taint = (
                {"key": str(key), "value": value, "effect": effect} if value else {"key": str(key), "effect": effect}
            )
            out.trace(key_path("nodeGroups", i, "taints", len(taints)), path, same_shape=False)
            taints.append(taint)
        return taints
    if not isinstance(raw, list):
        out.problem(
            ng.at("taints"), f'{show(raw)} must be a list of {{key, value, effect}} or a map key: "value:Effect"'
        )
        return taints
    for item in ng.each("taints"):
        fields = {key: item.raw(key) for key in ("key", "value", "effect")}
        item.leave_behind({})
        out.trace(key_path("nodeGroups", i, "taints", len(taints)), item.path)
        taints.append({key: value for key, value in fields.items() if value is not None})
    return taints
