"""What `pulumi up` does to the resources that read a changed one: replacements that ripple.

The mock engine hands a replaced resource back with the id it had, so two renders alone show its
dependents unchanged. The engine does not: while a resource is replaced its computed outputs (id, ARN,
endpoint, ...) are unknown, so is every input that reads them (the plan's `reads`, render/reads.py),
and a dependent whose provider cannot update such an input in place is replaced in turn
(replace_on_change.py) — until nothing more changes. Some updates move an output too: new launch
template data is a new template version, and the node group that runs `latestVersion` rolls its
nodes. A resource managed by a replaced provider is replaced with it (pulumi/pulumi
pkg/resource/deploy/step_generator.go, `providerChanged`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from render.paths import leaves

from .changes import Cause, PropertyChange, ResourceChange, applied, counterparts, judge
from .values import Unknown

# An update that makes new outputs: type -> (inputs whose change does it, the outputs it moves).
MOVED_BY_UPDATE: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # terraform-provider-aws internal/service/ec2/ec2_launch_template.go @025e4f81cab8
    # resourceLaunchTemplateUpdate: a change to any of `updateKeys` is CreateLaunchTemplateVersion
    # (latest_version + 1; default_version too with update_default_version). Tags are not template data.
    "aws:ec2/launchTemplate:LaunchTemplate": (
        (
            "blockDeviceMappings", "capacityReservationSpecification", "cpuOptions", "creditSpecification",
            "description", "disableApiStop", "disableApiTermination", "ebsOptimized", "elasticGpuSpecifications",
            "elasticInferenceAccelerator", "enclaveOptions", "hibernationOptions", "iamInstanceProfile", "imageId",
            "instanceInitiatedShutdownBehavior", "instanceMarketOptions", "instanceRequirements", "instanceType",
            "kernelId", "keyName", "licenseSpecifications", "metadataOptions", "monitoring", "networkInterfaces",
            "placement", "privateDnsNameOptions", "ramDiskId", "securityGroupNames", "tagSpecifications", "userData",
            "vpcSecurityGroupIds",
        ),
        ("latestVersion", "defaultVersion"),
    ),
}  # fmt: skip
_EVERY = ("*",)  # a replaced resource: every computed output is new


# Names a reader knows better than the type's own words.
_KINDS = {
    "aws:ec2/vpc:Vpc": "VPC",
    "aws:kms/key:Key": "KMS key",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "OIDC provider",
    "aws:ec2/eip:Eip": "Elastic IP",
}


def kind(type_: str) -> str:
    """`aws:ec2/subnet:Subnet` -> `subnet`, `aws:eks/nodeGroup:NodeGroup` -> `node group`."""
    if type_ in _KINDS:
        return _KINDS[type_]
    if type_.startswith("pulumi:providers:"):
        return f"{type_.rsplit(':', 1)[-1]} provider"
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", type_.rsplit(":", 1)[-1]).lower()


def top(path: str) -> str:
    """The property a leaf path belongs to, for a sentence: `subnetIds[1]` -> `subnetIds`."""
    return re.sub(r"(\[\d+\])+$", "", path)


def _property(path: str) -> str:
    """The top-level input property of a path: `blockDeviceMappings[0].ebs.volumeSize` -> `blockDeviceMappings`."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def moved_outputs(changes: Mapping[str, ResourceChange], entries: Mapping[str, dict]) -> dict[str, tuple[str, ...]]:
    """URN -> the outputs `pulumi up` makes new. What a multi-language component returns comes from
    what it creates: a replaced child makes all of its parent's outputs new too."""
    moved: dict[str, tuple[str, ...]] = {}
    for urn, change in changes.items():
        if change.action == "replace":
            moved[urn] = _EVERY
            parent = entries.get(change.entry.get("parent") or "")
            if change.entry.get("createdBy") and parent:
                moved[parent["urn"]] = _EVERY
        elif change.action == "update" and change.type in MOVED_BY_UPDATE:
            triggers, outputs = MOVED_BY_UPDATE[change.type]
            if any(_property(p.path) in triggers for p in change.properties):
                moved[urn] = outputs
    return moved


def _why(change: ResourceChange) -> str:
    if change.action == "replace":
        return f"{kind(change.type)} {change.name} is replaced"
    return f"{kind(change.type)} {change.name} gets a new version"


def _caused(
    entry: dict, change: ResourceChange | None, moved: Mapping[str, tuple[str, ...]], found: Mapping[str, Any]
) -> tuple[list[PropertyChange], list[Cause]]:
    """The inputs of `entry` that read an output the change makes new (and were not changed already)."""
    done = {p.path for p in change.properties} if change else set()
    values = dict(leaves(entry.get("inputs") or {}))
    properties, causes = [], []
    for path, sources in sorted((entry.get("reads") or {}).items()):
        hit = [s for s in sources if s["output"] in moved.get(s["from"], ()) or moved.get(s["from"]) == _EVERY]
        if not hit or path in done:
            continue
        first = source_change(hit[0]["from"], found)
        properties.append(PropertyChange(path, values.get(path), Unknown(_why(first))))
        causes += [Cause(top(path), s["from"], s["output"]) for s in hit]
    provider = entry.get("provider")
    if provider in found and found[provider].action == "replace" and not (change and _has_provider_cause(change)):
        causes.append(Cause("provider", provider, ""))
    return properties, causes


def source_change(urn: str, found: Mapping[str, ResourceChange]) -> ResourceChange:
    """The change that makes a source's outputs new: its own, or for a multi-language component, the
    replacement of what it creates."""
    if urn in found:
        return found[urn]
    return next(c for c in found.values() if c.action == "replace" and (c.entry.get("parent") == urn))


def _has_provider_cause(change: ResourceChange) -> bool:
    return any(c.output == "" for c in change.causes)


def ripple(changes: list[ResourceChange], base: Mapping[str, Any], head: Mapping[str, Any]) -> list[ResourceChange]:
    """`changes` (diff_plans) with what they force on the resources that read them, to a fixed point."""
    entries = {r["urn"]: r for r in head.get("resources", [])}
    olds = counterparts(base, head)
    found = {c.urn: c for c in changes}
    grew = True
    while grew:
        grew = False
        moved = moved_outputs(found, entries)
        for urn, entry in entries.items():
            change = found.get(urn)
            if urn not in olds or (change and change.action in ("create", "delete")):
                continue
            properties, causes = _caused(entry, change, moved, found)
            properties = applied(properties, entry)
            causes = [c for c in causes if c.output == "" or any(top(p.path) == c.path for p in properties)]
            if not causes:
                continue
            if change is None:
                change = found[urn] = ResourceChange(urn, entry["type"], entry["name"], "update", olds[urn], entry)
            change.properties += properties
            change.causes += causes
            change.action, change.forced_by, change.refused = judge(entry, change.properties, entries)
            if _has_provider_cause(change):
                change.action = "replace"
            grew = True
    for change in found.values():
        change.because = because(change, found)
        forcing = (*(top(p) for p in change.forced_by), "provider")
        change.forced_because = because(change, found, only=forcing) if change.action == "replace" else ""
    return list(found.values())


def paths_text(paths: list[str]) -> str:
    """`subnetIds[0], subnetIds[1], cidrBlock` -> `subnetIds, cidrBlock`."""
    return ", ".join(dict.fromkeys(top(p) for p in paths))


def because(
    change: ResourceChange, found: Mapping[str, ResourceChange], only: tuple[str, ...] = (), depth: int = 0
) -> str:
    """`its subnetIds come from subnets network-private-az1 and network-private-az2, which are replaced
    (cidrBlock)` — for the causes on `only` those inputs, when given."""
    by_path: dict[str, dict[str, ResourceChange]] = {}
    for cause in change.causes:
        if not only or cause.path in only:
            by_path.setdefault(cause.path, {})[cause.source] = source_change(cause.source, found)
    parts = []
    for path, sources in by_path.items():
        # Sources of one kind in one state read as one: `subnets a and b, which are replaced (cidrBlock)`.
        alike: dict[tuple[str, str], list[str]] = {}
        for other in sources.values():
            alike.setdefault((other.type, _state(other, found, depth)), []).append(other.name)
        said = []
        for (type_, state), names in alike.items():
            many = len(names) > 1
            said.append(
                f"{kind(type_)}{'s' if many else ''} {_and(names)}, "
                + state.replace("which is", "which are" if many else "which is", 1)
            )
        if path == "provider":
            parts.append(f"its provider is {', and '.join(said)}")
        else:
            parts.append(f"its {path} {'come' if path.endswith('s') else 'comes'} from {', and '.join(said)}")
    return "; ".join(parts)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _state(change: ResourceChange, found: Mapping[str, ResourceChange], depth: int) -> str:
    """`which is replaced (cidrBlock)`; when only other changes force it, why they do (two levels)."""
    if change.action == "replace":
        forced = paths_text(change.forced_by) or "provider"
        own = [p for p in change.forced_by if top(p) not in {c.path for c in change.causes}]
        deeper = f" — {because(change, found, depth=depth + 1)}" if not own and change.causes and depth < 1 else ""
        return f"which is replaced ({forced}{deeper})"
    return f"which gets a new version ({paths_text([p.path for p in change.properties])})"
