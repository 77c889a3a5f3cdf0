"""The documentation's samples of what the offline checks and the cost estimate print (docs/checks.md,
docs/cost.md): real renders of small stack configs, through render/readme.py's own render helper."""

from __future__ import annotations

from collections.abc import Callable

from .sample_text import fenced, section_starting

# A node group in a size its family does not come in (m5 jumps from 2xlarge to 4xlarge).
NO_SUCH_SIZE = {
    "aws:region": "ap-northeast-2",
    "eks-platform:nodeGroups": [{"name": "general", "instanceTypes": ["m5.3xlarge"]}],
}
COST_TITLE = "Cost per month"


def instance_size_error() -> str:
    from .readme import _render

    code, _, stderr = _render("dev", NO_SUCH_SIZE)
    return fenced(f"$ venv/bin/python -m render --stack dev --config bad.yaml\n{stderr}$ echo $?\n{code}")


def cost_prod() -> str:
    """The cost section of prod's render."""
    from .readme import _render

    code, stdout, _ = _render("prod")
    assert code == 0, stdout
    return fenced(section_starting(stdout, COST_TITLE))


# Every add-on on (ExternalDNS and cert-manager with a zone), so the table lists every pod the platform can run.
EVERY_ADDON = {
    "aws:region": "ap-northeast-2",
    "eks-platform:nodeGroups": [{"name": "general", "instanceTypes": ["m6i.large"], "maxSize": 4}],
    "eks-platform:workloads": {"enabled": False},
    "eks-platform:platformAddons": {
        "externalDns": {"enabled": True, "hostedZoneIds": ["Z0123456789ABCDEFGHIJ"]},
        "certManager": {"enabled": True, "hostedZoneIds": ["Z0123456789ABCDEFGHIJ"]},
    },
}


def platform_pods() -> str:
    """The platform's own pods as settings/platform_pods.py registers them, with their requests."""
    from settings.loader import load_settings

    settings = load_settings(EVERY_ADDON, "eks-platform", "sample")
    rows = ["| Pod | Kind | Pods | Requests (one pod) | `pulumi up` waits for it |", "|---|---|---|---|---|"]
    for p in sorted(settings.placement, key=lambda p: (p.kind != "DaemonSet", p.path)):
        pods = "one per node" if p.pods is None else str(p.pods)
        cpu, memory = p.requests
        requests = ", ".join(x for x in (f"{cpu}m CPU" if cpu else "", f"{memory}Mi" if memory else "") if x)
        rows.append(
            f"| {p.name} (`{p.path}`) | {p.kind} | {pods} | {requests or 'none'} | {'yes' if p.awaited_by else 'no'} |"
        )
    return "\n".join(rows) + "\n"


CHECK_SAMPLES: dict[str, Callable[[], str]] = {
    "instance-size-error": instance_size_error,
    "cost-prod": cost_prod,
    "platform-pods": platform_pods,
}
