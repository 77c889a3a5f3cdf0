"""The library's seams: the components and the runner are the package `eks_platform`, imported under
that name only (a module imported under two names is two modules), and the components depend on no
part of the program (settings, render, review, policy) — so a project of its own can use them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from eks_platform.runner.stack_config import PROJECT_DIR

SOURCES = [
    p
    for p in PROJECT_DIR.rglob("*.py")
    if not {"venv", "venv-scan", "build", ".git", "node_modules"} & set(p.relative_to(PROJECT_DIR).parts)
]
PROGRAM_PARTS = ("settings", "render", "review", "policy", "importer", "adapter")


def imported(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return names


def test_the_sources_were_found():
    assert len(SOURCES) > 80


@pytest.mark.parametrize("bare", ["runner", "components"])
def test_nothing_imports_the_library_folders_by_their_bare_names(bare):
    offenders = [
        str(p.relative_to(PROJECT_DIR))
        for p in SOURCES
        if any(m == bare or m.startswith(f"{bare}.") for m in imported(p))
    ]
    assert offenders == [], f"import eks_platform.{bare} instead"


def test_the_library_depends_on_no_part_of_the_program():
    library = [p for p in SOURCES if p.relative_to(PROJECT_DIR).parts[0] in ("components", "runner")]
    offenders = {
        str(p.relative_to(PROJECT_DIR)): m for p in library for m in imported(p) if m.split(".")[0] in PROGRAM_PARTS
    }
    assert library and offenders == {}
