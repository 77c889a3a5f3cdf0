"""The guardrails on the nodes: the instance metadata service closed to pods, every node group on a launch
template of the platform's, every volume a node boots with encrypted. Registered in policy/rules.py's RULES
on import."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

if __package__:  # imported as policy.node_rules (tests, render)
    from .rules import NODE_GROUP, _get, _number, rule, stack_rule
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import NODE_GROUP, _get, _number, rule, stack_rule

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


@rule(
    "node-imdsv2-hop-limit-1",
    "Nodes require IMDSv2 with a hop limit of 1, so pods cannot use the node's IAM role.",
    "high",
    LAUNCH_TEMPLATE,
)
def imdsv2(type_, props, config):
    options = props.get("metadataOptions") or {}
    if options.get("httpTokens") != "required":
        yield f"IMDSv2 is not required (httpTokens {options.get('httpTokens', 'unset')})"
    hop_limit = options.get("httpPutResponseHopLimit")
    if hop_limit is None or int(hop_limit) > 1:
        yield f"the metadata hop limit is {_number(hop_limit) if hop_limit is not None else 'unset'}; 1 keeps pods out"


@rule(
    "node-group-uses-launch-template",
    "Managed node groups run on a launch template of the platform's (IMDSv2, encrypted volumes).",
    "high",
    NODE_GROUP,
)
def node_group_launch_template(type_, props, config):
    # Without one, EKS uses its own launch template: IMDSv1 allowed, hop limit 2, the AMI's disks.
    if "launchTemplate" not in list(props.keys()) or not props.get("launchTemplate"):
        yield "the node group names no launch template, so EKS's default applies (IMDSv1 allowed, hop limit 2)"


def _node_volumes():
    """components/node_volumes.py, read by its path: the pack runs in a virtualenv of its own, without the
    eks_platform package, and the component and this rule must share that one table."""
    path = Path(__file__).resolve().parent.parent / "components" / "node_volumes.py"
    spec = importlib.util.spec_from_file_location("eks_platform_node_volumes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NODE_VOLUMES = _node_volumes()


def _encrypted(mapping: Mapping[str, Any]) -> bool:
    return str(_get(mapping, "ebs", "encrypted", default="false")).lower() == "true"


@stack_rule(
    "node-volumes-encrypted",
    "Every volume a node boots with is encrypted: each mapping of the launch template, and a mapping for each "
    "block device of the node group's AMI type (Bottlerocket boots with an OS and a data volume).",
    "high",
    LAUNCH_TEMPLATE,
    NODE_GROUP,
)
def volumes_encrypted(resources, config):
    templates = [r for r in resources if r.type == LAUNCH_TEMPLATE]
    for template in templates:
        for mapping in template.props.get("blockDeviceMappings") or []:
            if not _encrypted(mapping):
                yield f"volume {mapping.get('deviceName', '?')} is not encrypted", template.urn
    for group in (r for r in resources if r.type == NODE_GROUP):
        ami_type = str(group.props.get("amiType") or "")
        devices = NODE_VOLUMES.boot_devices(ami_type)
        if not group.props.get("launchTemplate"):
            yield (
                f"no launch template: its nodes boot {', '.join(devices)} encrypted only if the account encrypts "
                "EBS by default",
                group.urn,
            )
            continue
        # The platform's ManagedNodeGroup creates the template beside the group, under the same parent.
        mine = [t for t in templates if group.parent and t.parent == group.parent]
        if not mine:
            yield (
                "its launch template is not in this stack: the volumes its nodes boot with cannot be checked",
                group.urn,
            )
            continue
        mapped = {m.get("deviceName") for t in mine for m in t.props.get("blockDeviceMappings") or []}
        if missing := [d for d in devices if d not in mapped]:
            yield (
                f"{ami_type or 'its AMI'} nodes boot with {', '.join(missing)}, which the launch template does not "
                "map: left to the AMI's snapshot and the account default, not encrypted here",
                mine[0].urn,
            )
