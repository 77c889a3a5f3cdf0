"""`addons` become `eks-platform:addons` (add-on name -> {version?, configurationValues?}) for
the add-ons the platform manages, or `eks-platform:platformAddons` for its day-one add-ons
(metrics-server, cert-manager: importer/platform_addons.py); the others are left behind, named.
eksctl installs metrics-server by default (eksctl_defaults.DEFAULT_ADDONS); so does the platform.
"""

from __future__ import annotations

import yaml

from settings.addons import ADDONS
from settings.problems import key_path

from . import capabilities, refusals
from .outcome import Outcome
from .platform_addons import map_platform_addon
from .reader import Fields

# The add-ons the platform manages (settings/addons.py); metrics-server, cert-manager and external-dns are its
# day-one add-ons (importer/platform_addons.py).
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
        if map_platform_addon(item, name, version, values, out):
            continue
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

    top.fields("addonsConfig").leave_behind(refusals.ADDONS_CONFIG)
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
