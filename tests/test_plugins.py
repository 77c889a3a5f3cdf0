"""The provider plugins a real `pulumi up` loads, in plan.json and the render: the program's own (the
versions requirements.txt pins) and those pulumi-eks registers its children with (its Node
dependencies, pinned exactly in pulumi-eks' nodejs/eks/package.json: @pulumi/aws 7.25.0,
@pulumi/kubernetes 4.19.0 at the 4.4.0 line)."""

from __future__ import annotations

import re

from eks_platform.runner.plugins import install_commands
from eks_platform.runner.stack_config import PROJECT_DIR
from render.plan import build_plan
from render.tree import preview_text

PULUMI_EKS = {"aws": "7.25.0", "kubernetes": "4.19.0"}


def pinned() -> dict[str, str]:
    text = (PROJECT_DIR / "requirements.txt").read_text()
    return dict(re.findall(r"^pulumi-(aws|eks|kubernetes|random)==(\S+)$", text, re.M))


def test_every_plugin_and_who_loads_it(dev):
    versions = pinned()
    assert sorted(versions) == ["aws", "eks", "kubernetes", "random"]
    expected = [{"name": n, "version": v, "loadedFor": "the program"} for n, v in versions.items()]
    expected += [{"name": n, "version": v, "loadedFor": "pulumi-eks 4.4.0"} for n, v in PULUMI_EKS.items()]
    found = build_plan(dev)["plugins"]
    assert sorted(found, key=str) == sorted(expected, key=str)


def test_api_mode_still_loads_pulumi_eks_kubernetes_plugin(prod):
    # no aws-auth in API mode, but pulumi-eks still registers its own Kubernetes provider
    assert {"name": "kubernetes", "version": "4.19.0", "loadedFor": "pulumi-eks 4.4.0"} in build_plan(prod)["plugins"]


def test_the_render_prints_them_and_how_to_install_them(dev):
    text = preview_text(dev)
    assert re.search(r"^    aws\s+7\.25\.0\s+for pulumi-eks 4\.4\.0$", text, re.M)
    assert install_commands([{"name": "aws", "version": "7.51.1"}]) == ["pulumi plugin install resource aws 7.51.1"]
