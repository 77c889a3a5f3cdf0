"""The documentation's samples of the day-one add-ons (docs/configuration.md, docs/workloads.md, docs/review.md):
the Helm releases a render shows, the sample Ingress as manifests, and the review of a change of its scheme in
prod — through render/readme.py's own render and plan helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from .sample_text import fenced


def helm_dev() -> str:
    from .helm import TITLE
    from .readme import _render, _section

    code, stdout, _ = _render("dev")
    assert code == 0, stdout
    return fenced("\n".join(_section(stdout, TITLE)))


@cache
def _dev_manifests() -> dict[str, str]:
    from eks_platform.runner.engine import run_stack

    from .manifests import manifest_files

    return dict(manifest_files(run_stack("dev")))


def ingress_dev() -> str:
    """dev's Ingress and the NetworkPolicy that lets its load balancer through, as manifests/ holds them."""
    files = _dev_manifests()
    shown = [name for name in files if "ingress-demo-web" in name or "allow-web-from-load-balancer" in name]
    assert len(shown) == 2, sorted(files)
    return fenced("\n".join(f"# manifests/{name}\n{files[name]}" for name in sorted(shown)).rstrip(), "yaml")


def review_ingress_scheme() -> str:
    """prod with its sample Ingress made internet-facing: the danger, and the guardrail that refuses it."""
    from review.__main__ import DANGEROUS
    from review.report import build_review, review_text

    from .readme import _plan

    def public(values: dict) -> None:
        values["eks-platform:workloads"]["ingress"]["scheme"] = "internet-facing"

    review = build_review("prod", _plan("prod"), _plan("prod", public, "public"), "main")
    code = DANGEROUS if review.dangerous else 0
    return fenced(
        f"$ venv/bin/python -m review --stack prod      # make diff STACK=prod\n{review_text(review)}$ echo $?\n{code}"
    )


ADDON_SAMPLES: dict[str, Callable[[], str]] = {
    "helm-dev": helm_dev,
    "ingress-dev": ingress_dev,
    "review-ingress-scheme": review_ingress_scheme,
}
