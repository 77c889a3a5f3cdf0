"""The documentation's samples of what the change review models beyond two renders (docs/review-engine.md,
docs/render.md, docs/cost.md): a ripple of replacements, a rolling node group, the plugins `pulumi up`
loads, a load balancer's cost — produced through render/readme.py's own plan and render helpers."""

from __future__ import annotations

from collections.abc import Callable


def _review_sample(key: str, change: Callable[[dict], None]) -> tuple[str, int]:
    from review.__main__ import DANGEROUS
    from review.report import build_review, review_text

    from .readme import _plan

    review = build_review("dev", _plan("dev"), _plan("dev", change, key), "main")
    return review_text(review), DANGEROUS if review.dangerous else 0


def review_vpc_cidr() -> str:
    """dev on a new VPC block: the network is replaced, the node group with it, and the cluster cannot follow."""
    from .readme import _fenced, _section

    text, code = _review_sample("cidr", lambda v: v["eks-platform:network"].__setitem__("vpcCidr", "10.20.0.0/16"))
    head = text[: text.index("\n\n", text.index("Changes:"))].splitlines()
    network = _section(text, "eks-platform:index:Network network")
    shown = [*head, "", *_section(text, "eks-platform:index:ManagedNodeGroup general"), "", *network[:4], "  ..."]
    command = "$ venv/bin/python -m review --stack dev      # make diff STACK=dev, with network.vpcCidr: 10.20.0.0/16"
    return _fenced(f"{command}\n" + "\n".join(shown) + f"\n...\n$ echo $?\n{code}")


def review_disk_size() -> str:
    """dev with bigger node disks: a new launch template version, and every node rolled."""
    from .readme import _fenced

    text, code = _review_sample("disk", lambda v: v["eks-platform:nodeGroups"][0].__setitem__("diskSize", 50))
    shown = text[: text.index("Secret values are masked")].rstrip()
    command = "$ venv/bin/python -m review --stack dev      # make diff STACK=dev, with nodeGroups[0].diskSize: 50"
    return _fenced(f"{command}\n{shown}\n$ echo $?\n{code}")


def plugins_dev() -> str:
    """The plugins a real `pulumi up` of dev loads, as the render prints them, and how to pre-install them."""
    from eks_platform.runner.plugins import install_commands

    from .readme import _fenced, _plan, _render, _section

    _, stdout, _ = _render("dev")
    found = _plan("dev")["plugins"]
    printed = _section(stdout, "Plugins `pulumi up` loads (install them beforehand where there is no internet):")
    return _fenced("\n".join(printed)) + "\n" + _fenced("\n".join(install_commands(found)), "sh")


def _without_the_ingress(values: dict) -> None:
    values["eks-platform:workloads"]["ingress"]["enabled"] = False


def cost_ingress_removed() -> str:
    """The review's cost lines when dev's sample Ingress is turned off: its ALB goes (docs/cost.md)."""
    from .readme import _fenced, _section

    text, _ = _review_sample("no-ingress", _without_the_ingress)
    command = (
        "$ venv/bin/python -m review --stack dev      # make diff STACK=dev, with workloads.ingress.enabled: false"
    )
    return _fenced("\n".join([command, "...", *_section(text, "Cost (per month):"), "..."]))


REVIEW_SAMPLES: dict[str, Callable[[], str]] = {
    "review-vpc-cidr": review_vpc_cidr,
    "review-disk-size": review_disk_size,
    "plugins-dev": plugins_dev,
    "cost-ingress-removed": cost_ingress_removed,
}
