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


CHECK_SAMPLES: dict[str, Callable[[], str]] = {
    "instance-size-error": instance_size_error,
    "cost-prod": cost_prod,
}
