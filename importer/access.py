"""`iamIdentityMappings` and `accessConfig` become `eks-platform:access`: aws-auth mappings
(`mapRoles` / `mapUsers`), access entries with their policies, and the authentication mode.

eksctl leaves RBAC to kubectl, so nothing in its file says what a mapped group may do; the
platform requires a binding for every group it maps. `bindings` (from `--bind GROUP=ROLE`)
supply them, and a group without one is a settings problem the import reports.
"""

from __future__ import annotations

from collections.abc import Mapping

from settings.problems import key_path, show

from . import eksctl_defaults as default
from . import refusals
from .outcome import Outcome, join
from .reader import Fields


def map_access(top: Fields, out: Outcome, bindings: Mapping[str, dict]) -> None:
    access: dict = {}
    out.trace(key_path("access"), "accessConfig", same_shape=False)
    config = top.fields("accessConfig")
    mode = config.raw("authenticationMode")
    access["authenticationMode"] = default.AUTHENTICATION_MODE if mode is None else mode
    source = (
        config.at("authenticationMode")
        if mode is not None
        else f"accessConfig.authenticationMode (eksctl's default: {default.AUTHENTICATION_MODE})"
    )
    out.trace(key_path("access", "authenticationMode"), source, same_shape=False)

    _identity_mappings(top, access, out)
    entries: list[dict] = []
    for item in config.each("accessEntries"):
        entry = _access_entry(item, len(entries), out)
        if entry is not None:
            entries.append(entry)
    if entries:
        access["accessEntries"] = entries
        out.trace(key_path("access", "accessEntries"), config.at("accessEntries"), same_shape=False)
    config.leave_behind(refusals.ACCESS_CONFIG)

    if bindings:
        access["groupBindings"] = {group: dict(spec) for group, spec in bindings.items()}
        for group, spec in bindings.items():
            out.trace(key_path("access", "groupBindings", group), f"--bind {group}={spec['clusterRole']}", False)
    out.config[key_path("access")] = access


def _identity_mappings(top: Fields, access: dict, out: Outcome) -> None:
    flags: list[bool] = []
    for item in top.each("iamIdentityMappings"):
        arn = item.string("arn")
        username, groups = item.string("username"), item.strings("groups")
        flag = item.boolean("noDuplicateARNs")
        item.leave_behind(refusals.IDENTITY_MAPPING)
        if arn is None:
            if item.value.get("arn") is None and not set(item.value) & set(refusals.IDENTITY_MAPPING):
                out.problem(item.at("arn"), "is required (or account, or serviceName)")
            continue
        if flag is not None:
            flags.append(flag)
        kind, arn_key = ("mapUsers", "userarn") if ":user/" in arn else ("mapRoles", "rolearn")
        mappings = access.setdefault(kind, [])
        stack = key_path("access", kind, len(mappings))
        mapping: dict = {arn_key: arn}
        out.trace(stack, item.path, same_shape=False)
        out.trace(f"{stack}.{arn_key}", item.at("arn"))
        if username is not None:
            mapping["username"] = username
            out.trace(f"{stack}.username", item.at("username"))
        if groups:
            mapping["groups"] = groups
            out.trace(f"{stack}.groups", item.at("groups"))
        mappings.append(mapping)

    if any(flags):
        access["noDuplicateArns"] = True
        out.trace(key_path("access", "noDuplicateArns"), "iamIdentityMappings[*].noDuplicateARNs", False)
        if not all(flags) or len(flags) < len(access.get("mapRoles", ())) + len(access.get("mapUsers", ())):
            out.note(
                "iamIdentityMappings[*].noDuplicateARNs",
                "set on some mappings only; the platform's noDuplicateArns holds for the whole cluster (on)",
            )
    elif flags:
        access["noDuplicateArns"] = False
        out.trace(key_path("access", "noDuplicateArns"), "iamIdentityMappings[*].noDuplicateARNs", False)
    elif access.get("mapRoles") or access.get("mapUsers"):
        out.note(
            "iamIdentityMappings[*].noDuplicateARNs",
            "not set, so eksctl would add a second mapping for an ARN already mapped; the stack keeps the "
            "platform's default (noDuplicateArns: on, two different mappings of one ARN are refused)",
        )


def _access_entry(item: Fields, index: int, out: Outcome) -> dict | None:
    entry_type = item.string("type")
    principal = item.string("principalARN")
    username, groups = item.string("kubernetesUsername"), item.strings("kubernetesGroups")
    policies = [_policy(policy, out) for policy in item.each("accessPolicies")]
    item.leave_behind({})
    if entry_type is not None and entry_type.upper() != "STANDARD":
        out.leave(
            item.path,
            refusals.IAM,
            f"an access entry of type {entry_type}: EKS creates the node entries for the platform's own node roles",
        )
        return None
    if principal is None:
        if item.value.get("principalARN") is None:
            out.problem(item.at("principalARN"), "is required")
        return None

    stack = key_path("access", "accessEntries", index)
    out.trace(stack, item.path, same_shape=False)
    entry: dict = {"principalArn": principal}
    out.trace(f"{stack}.principalArn", item.at("principalARN"))
    if username is not None:
        entry["username"] = username
        out.trace(f"{stack}.username", item.at("kubernetesUsername"))
    if groups:
        entry["groups"] = groups
        out.trace(f"{stack}.groups", item.at("kubernetesGroups"))
    kept = [(policy, path) for policy, path in policies if policy is not None]
    if kept:
        entry["policies"] = [policy for policy, _ in kept]
        for j, (_, path) in enumerate(kept):
            out.trace(f"{stack}.policies[{j}]", path, same_shape=False)
            out.trace(f"{stack}.policies[{j}].policy", join(path, "policyARN"))
            out.trace(f"{stack}.policies[{j}].scope", join(path, "accessScope"), same_shape=False)
    return entry


def _policy(item: Fields, out: Outcome) -> tuple[dict | None, str]:
    arn = item.string("policyARN")
    scope = item.fields("accessScope")
    scope_type, namespaces = scope.string("type"), scope.strings("namespaces")
    scope.leave_behind({})
    item.leave_behind({})
    if arn is None:
        if item.value.get("policyARN") is None:
            out.problem(item.at("policyARN"), "is required")
        return None, item.path
    if scope_type is None:
        if scope.is_mapping and scope.value.get("type") is None:
            out.problem(scope.at("type"), 'is required: "cluster" or "namespace"')
        return None, item.path
    if scope_type.lower() == "cluster":
        return {"policy": arn, "scope": "cluster"}, item.path
    if scope_type.lower() == "namespace":
        return {"policy": arn, "scope": {"namespaces": namespaces or []}}, item.path
    out.problem(scope.at("type"), f'{show(scope_type)} must be "cluster" or "namespace"')
    return None, item.path
