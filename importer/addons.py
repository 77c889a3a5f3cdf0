"""`addons` become `eks-platform:addons` (add-on name -> {version?, configurationValues?}) for
the add-ons the platform manages; the others are left behind, named.
"""

from __future__ import annotations

import yaml

from settings.addons import ADDONS
from settings.problems import key_path

from . import capabilities, refusals
from . import eksctl_defaults as default
from .outcome import Outcome
from .reader import Fields

# The add-ons the platform manages.
MANAGED = tuple(ADDONS)


def map_addons(top: Fields, out: Outcome) -> None:
    addons: dict[str, dict] = {}
    listed: set[str] = set()
    for item in top.each("addons"):
        name = item.string("name")
        version = item.string("version")
        values = _configuration_values(item, out)
        item.leave_behind(refusals.ADDON)
        if name is None:
            if item.value.get("name") is None:
                out.problem(item.at("name"), "is required")
            continue
        if name in listed:
            out.problem(item.at("name"), f'"{name}" is listed twice')
            continue
        listed.add(name)
        if name not in MANAGED:
            out.leave(
                item.path,
                refusals.SOFTWARE,
                f"add-on {name}: the platform manages {', '.join(MANAGED)}; install {name} from its own pipeline",
            )
            continue
        if not capabilities.has_addons():
            out.leave(
                item.path,
                refusals.NOT_YET,
                f"add-on {name}'s version and configuration: this platform has no eks-platform:addons yet "
                "(it installs vpc-cni, kube-proxy, coredns and aws-ebs-csi-driver at versions of its own)",
            )
            continue
        stack = key_path("addons", name)
        addon: dict = {}
        out.trace(stack, item.path, same_shape=False)
        if version == "latest":
            out.note(item.at("version"), "latest: the platform installs EKS's default version for the cluster version")
        elif version is not None:
            addon["version"] = version
            out.trace(f"{stack}.version", item.at("version"))
        if values:
            addon["configurationValues"] = values
            out.trace(f"{stack}.configurationValues", item.at("configurationValues"), same_shape=False)
        addons[name] = addon

    addons_config = top.fields("addonsConfig")
    disabled = addons_config.value.get("disableDefaultAddons") is True
    addons_config.leave_behind(refusals.ADDONS_CONFIG)
    if "metrics-server" not in listed and not disabled:
        out.note(
            "addons",
            f"eksctl installs {', '.join(default.DEFAULT_ADDONS)} by default; the platform installs no metrics-server "
            "(kubectl top and HorizontalPodAutoscalers need it): install it from your own pipeline",
        )
    if addons:
        out.config[key_path("addons")] = addons


def _configuration_values(item: Fields, out: Outcome) -> dict | None:
    """eksctl passes configurationValues to EKS as a JSON (or YAML) string; the stack takes a mapping."""
    text = item.raw("configurationValues")
    if text is None or text == "":
        return None
    if isinstance(text, dict):
        return text
    if isinstance(text, str):
        try:
            values = yaml.safe_load(text)
        except yaml.YAMLError:
            values = None
        if isinstance(values, dict):
            return values
    out.problem(item.at("configurationValues"), "must be a JSON object (as a string), as EKS expects")
    return None
