"""Review a change to a stack before anyone runs `pulumi up`, offline.

    python -m review --stack dev [--base REF] [--markdown]        (make diff STACK=dev BASE=REF)

Renders the stack at BASE (default: the merge base with main) in a temporary git worktree, with
this venv, and in the working tree, then prints the review: dangers, counts, each change per
component with the property that forces a replacement, the upgrade steps, the policy verdict.

Exit status: 0 nothing dangerous changes; 4 something dangerous changes (a replacement, data or
access at stake): CI asks for an explicit approval; 2 the working tree's config is invalid, or the
upgrade is refused (a skipped minor version); 1 anything else (one line on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from eks_platform.runner.stack_config import PROJECT_DIR

from .report import build_review, review_markdown, review_text
from .upgrade import cluster_version

DANGEROUS = 4


class ReviewError(Exception):
    pass


def _git(*args: str, cwd: Path = PROJECT_DIR) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise ReviewError(f"git {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def default_base() -> tuple[str, str]:
    """(the branch, its merge base with HEAD): the review is of what this branch changes."""
    for main in ("main", "origin/main"):
        with contextlib.suppress(ReviewError):
            return main, _git("merge-base", "HEAD", main)
    raise ReviewError("no branch main or origin/main to take the merge base with; pass --base")


def _start_base_render(ref: str, stack: str, tmp: Path) -> tuple[subprocess.Popen | None, Path]:
    """The base render runs in a worktree of BASE, in a process of its own (in parallel with head)."""
    tree, out = tmp / "base-tree", tmp / "base"
    _git("worktree", "add", "--detach", "--quiet", str(tree), ref)
    if not (tree / f"Pulumi.{stack}.yaml").exists():
        return None, out  # a new stack: everything is created
    return render_tree(tree, stack, out), out


def render_command(tree: Path, stack: str, out: Path) -> list[str]:
    """`python -m render` in another checkout, importing that checkout's components (tree_render.py)."""
    script = Path(__file__).with_name("tree_render.py")
    return [sys.executable, str(script), str(tree), "--stack", stack, "--out", str(out)]


def render_tree(tree: Path, stack: str, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        render_command(tree, stack, out), cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def _render_head(stack: str, config: Path | None, out: Path) -> int:
    from render.__main__ import main as render

    args = ["--stack", stack, "--out", str(out)] + (["--config", str(config)] if config else [])
    stderr = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        code = render(args)
    if code in (1, 2):
        sys.stderr.write(stderr.getvalue())
    return code


def cache_kubernetes_schemas() -> None:
    """kubernetes-validate parses its schema files (megabytes of definitions) on every call; they
    never change, so each is parsed once (20 times faster over a render's manifests)."""
    import kubernetes_validate.utils

    if not hasattr(kubernetes_validate.utils.schema_contents, "cache_info"):
        kubernetes_validate.utils.schema_contents = functools.cache(kubernetes_validate.utils.schema_contents)


def manifest_problems(manifests: Path, version: str) -> dict[str, list[str]]:
    """What the target version's API schemas refuse (kubernetes-validate, strict): removed APIs."""
    import kubernetes_validate
    import yaml

    cache_kubernetes_schemas()

    found = {}
    for path in sorted(manifests.glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            found[path.name] = [f"{document.get('apiVersion')} {document.get('kind')} does not exist"]
        except kubernetes_validate.ValidationError as error:
            found[path.name] = [error.message]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="review", description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--base", help="git ref to compare with (default: the merge base with main)")
    parser.add_argument("--config", type=Path, help="a stack file to use instead of Pulumi.<stack>.yaml (head side)")
    parser.add_argument("--markdown", action="store_true", help="print the stack's pull-request comment section")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        try:
            # The header names the base as the user does ("main", or BASE as given): the same on every machine.
            label, ref = (args.base, args.base) if args.base else default_base()
            process, base_out = _start_base_render(ref, args.stack, tmp)
            code = _render_head(args.stack, args.config, tmp / "head")
            if process is not None:
                _, err = process.communicate()
                if process.returncode not in (0, 3):
                    raise ReviewError(f"the stack does not render at {label}: {err.strip().splitlines()[-1]}")
            if code in (1, 2):
                return code
            base_plan = json.loads((base_out / "plan.json").read_text()) if process is not None else {}
            head_plan = json.loads((tmp / "head" / "plan.json").read_text())
            old, new = cluster_version(base_plan), cluster_version(head_plan)
            # Only an upgrade needs the manifests read against the target version's schemas.
            problems = manifest_problems(tmp / "head" / "manifests", new) if old and new and old != new else {}
            review = build_review(args.stack, base_plan, head_plan, label, manifest_problems=problems)
        except ReviewError as error:
            print(f"review: {error}", file=sys.stderr)
            return 1
        finally:
            with contextlib.suppress(ReviewError):
                _git("worktree", "remove", "--force", str(tmp / "base-tree"))
    sys.stdout.write(review_markdown(review) if args.markdown else review_text(review))
    if review.refused:
        return 2
    return DANGEROUS if review.dangerous else 0


if __name__ == "__main__":
    sys.exit(main())
