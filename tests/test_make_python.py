"""`make` checks its Python before anything else (tools/check-python.sh): too old or missing is one
line naming what was found and what pyproject.toml's requires-python needs, and a venv another
Python made is removed so that make builds it again.

Run on a scratch copy of the Makefile with a stand-in `python3` that only reports a version, and
`make -n` (which still reads the Makefile, so the check runs, but runs no rule): no venv is built.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from eks_platform.runner.stack_config import PROJECT_DIR


def project(tmp_path: Path, requires: str, python_version: str) -> dict[str, str]:
    """A scratch project needing `requires`, and a PATH whose python3 is `python_version`."""
    shutil.copy(PROJECT_DIR / "Makefile", tmp_path)
    (tmp_path / "tools").mkdir()
    shutil.copy(PROJECT_DIR / "tools" / "check-python.sh", tmp_path / "tools")
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\nrequires-python = "{requires}"\n')
    for name in ("requirements.txt", "requirements-dev.txt", "requirements-scan.txt"):
        (tmp_path / name).write_text("")
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "python3").write_text(f"#!/bin/sh\necho {python_version}\n")
    (fake / "python3").chmod(0o755)
    return {"PATH": f"{fake}:/usr/bin:/bin"}


def make(tmp_path: Path, env: dict[str, str], *goals: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-n", *goals], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)


VERSIONS = [
    # (requires-python, the Python found, accepted)
    (">=3.11", "3.10.13", False),
    (">=3.11", "3.11.0", True),
    (">=3.11", "3.13.0", True),
    (">=3.12", "3.11.7", False),
    (">=3.11", "2.7.18", False),
    (">=3.9", "3.10.13", True),  # minor versions compare as numbers, not text
]


@pytest.mark.parametrize(("requires", "found", "accepted"), VERSIONS)
def test_the_python_is_checked_against_requires_python(tmp_path, requires, found, accepted):
    done = make(tmp_path, project(tmp_path, requires, found), "render")
    needed = requires.removeprefix(">=")
    if accepted:
        assert done.returncode == 0, done.stderr
        assert "venv/bin/python -m render --stack dev" in done.stdout
        return
    assert done.returncode == 2
    assert done.stdout == ""  # stopped before any rule
    (line,) = done.stderr.splitlines()
    assert f"PYTHON=python3 is Python {found}; eks-platform needs Python {needed} or newer" in line
    assert "requires-python in pyproject.toml" in line and f"make PYTHON=python{needed}" in line


def test_a_python_that_cannot_run_is_one_line_too(tmp_path):
    env = project(tmp_path, ">=3.11", "3.11.7")
    done = make(tmp_path, env, "render", "PYTHON=no-such-python")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "PYTHON=no-such-python cannot be run; eks-platform needs Python 3.11 or newer" in line


def test_clean_needs_no_python(tmp_path):
    done = make(tmp_path, project(tmp_path, ">=3.11", "3.10.13"), "clean")
    assert done.returncode == 0 and "rm -rf venv" in done.stdout


def venv(tmp_path: Path, name: str, made_by: str) -> Path:
    folder = tmp_path / name
    (folder / "bin").mkdir(parents=True)
    (folder / "pyvenv.cfg").write_text(f"home = /usr/bin\nversion = {made_by}\n")
    (folder / ".installed").touch()
    return folder


def test_a_venv_made_by_another_python_is_built_again(tmp_path):
    env = project(tmp_path, ">=3.11", "3.11.7")
    old = venv(tmp_path, "venv", "3.10.13")
    done = make(tmp_path, env, "venv")
    assert done.returncode == 0, done.stderr
    assert not old.exists()
    assert "venv/ was made by Python 3.10.13, not by python3 (Python 3.11.7): removing it" in done.stderr
    assert "python3 -m venv venv" in done.stdout  # the rule that builds it again


def test_a_venv_of_the_same_minor_version_is_kept(tmp_path):
    env = project(tmp_path, ">=3.11", "3.11.9")
    kept = venv(tmp_path, "venv", "3.11.7")
    scan = venv(tmp_path, "venv-scan", "3.12.1")
    done = make(tmp_path, env, "venv")
    assert done.returncode == 0, done.stderr
    assert kept.exists() and not scan.exists()
    assert "-m venv venv\n" not in done.stdout
