"""The documentation's samples of the cluster's lifecycle (docs/configuration.md, docs/review.md): prod's
lifecycle section, a support policy change under review, and a prod stack that drops a lifecycle guardrail;
real renders through render/readme.py's own helpers."""

from __future__ import annotations

from collections.abc import Callable

from .sample_text import fenced, section_starting

LIFECYCLE_TITLE = "Lifecycle (as of "


def lifecycle_prod() -> str:
    """The lifecycle section of prod's render."""
    from .readme import _render

    code, stdout, _ = _render("prod")
    assert code == 0, stdout
    return fenced(section_starting(stdout, LIFECYCLE_TITLE))


def _extended_and_repair_off(values: dict) -> None:
    values["eks-platform:cluster"]["upgradePolicy"] = {"supportType": "EXTENDED"}
    values["eks-platform:nodeGroups"][0]["nodeRepairConfig"] = {"enabled": False}


def review_lifecycle() -> str:
    """dev switched from STANDARD to EXTENDED support, with auto repair turned off: the review's notes."""
    from review.report import build_review, review_text

    from .readme import _plan

    head = _plan("dev", _extended_and_repair_off, "extended-no-repair")
    text = review_text(build_review("dev", _plan("dev"), head, "main"))
    return fenced(f"$ venv/bin/python -m review --stack dev      # make diff STACK=dev\n{text}")


def _no_zonal_shift(values: dict) -> None:
    values["eks-platform:cluster"]["zonalShiftConfig"] = {"enabled": False}


def policy_lifecycle_prod() -> str:
    """prod with zonal shift turned off: the render's policy verdict (a mandatory rule in prod)."""
    from .readme import _plan

    plan = _plan("prod", _no_zonal_shift, "no-zonal-shift")
    lines = [
        f"[{v['enforcement']}] {v['policy']} ({v['severity']}) {v['resource']}: {v['message']}" for v in plan["policy"]
    ]
    return fenced("Policy violations:\n" + "\n".join(f"    {line}" for line in lines))


LIFECYCLE_SAMPLES: dict[str, Callable[[], str]] = {
    "lifecycle-prod": lifecycle_prod,
    "review-lifecycle": review_lifecycle,
    "policy-lifecycle-prod": policy_lifecycle_prod,
}
