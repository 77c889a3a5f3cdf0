"""The library as the README and docs/library.md show it: installed with their `pip install` command
from a copy of the repository (not the editable checkout), their import lines run as they are, and
examples/extra-node-group/preview_offline.py run in its folder prints what the docs show — so
`from eks_platform.runner import run_program` works and nothing defaults to a path inside the
installed package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eks_platform.runner.stack_config import PROJECT_DIR
from render.readme import _BLOCK, README

LIBRARY_PAGE = PROJECT_DIR / "docs" / "library.md"


def block(page: Path, name: str) -> str:
    """The content of a page's sample block, without its code fence."""
    (body,) = [m["body"] for m in _BLOCK.finditer(page.read_text()) if m["name"] == name]
    lines = body.strip().splitlines()
    assert lines[0].startswith("```") and lines[-1] == "```"
    return "\n".join(lines[1:-1]) + "\n"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The package installed by the docs' local command into a folder of its own: (that folder, an
    environment whose Python imports eks_platform from there)."""
    (command,) = [line.split("#")[0].strip() for line in block(README, "library-install").splitlines() if "./" in line]
    assert command == "pip install ./eks-platform"
    tmp = tmp_path_factory.mktemp("library")
    clone = tmp / "eks-platform"  # a clone beside the user's project: what the build reads
    clone.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_DIR / name, clone)
    for package in ("components", "runner"):
        shutil.copytree(PROJECT_DIR / package, clone / package, ignore=shutil.ignore_patterns("__pycache__"))
    site = tmp / "site"
    # The docs' command, with the test's own isolation: no dependencies (the venv has them), the build
    # backend of the venv (offline), into a folder of its own.
    isolation = ["--no-deps", "--no-build-isolation", "--target", str(site), "--quiet", "--disable-pip-version-check"]
    args = command.split()[2:]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", *args, *isolation],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return tmp, {**os.environ, "PYTHONPATH": str(site)}


def run(code_or_script: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *code_or_script], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_readmes_import_lines_run_against_the_installed_package(installed):
    tmp, env = installed
    imports = block(README, "library-imports")
    assert "from eks_platform.runner import load_stack_config, run_program" in imports
    where = (
        "import eks_platform.components.node_role as c, eks_platform.runner.engine as r; print(c.__file__, r.__file__)"
    )
    done = run(["-c", imports + where], tmp, env)
    assert done.returncode == 0, done.stderr
    assert all(path.startswith(str(tmp / "site" / "eks_platform")) for path in done.stdout.split()), done.stdout


def test_the_example_runs_offline_in_its_folder_as_the_docs_show(installed):
    tmp, env = installed
    example = tmp / "extra-node-group"
    shutil.copytree(PROJECT_DIR / "examples" / "extra-node-group", example)
    shown = block(LIBRARY_PAGE, "library-offline-run").splitlines()
    assert shown[0] == "$ cd examples/extra-node-group && python preview_offline.py"
    done = run(["preview_offline.py"], example, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == shown[1:]
    assert "aws:eks/nodeGroup:NodeGroup" in done.stdout


def test_the_runner_reads_the_current_folder_not_the_package(installed, tmp_path):
    _, env = installed
    (tmp_path / "Pulumi.yaml").write_text("name: mine\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  mine:size: 3\n")
    (tmp_path / "__main__.py").write_text("import pulumi\npulumi.export('size', pulumi.Config().require_int('size'))\n")
    code = (
        "from eks_platform.runner import load_stack_config, run_program\n"
        "result = run_program(load_stack_config('test'))\n"
        "print(result.project, result.outputs['size'])\n"
    )
    done = run(["-c", code], tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["mine", "3"]
