"""Render another checkout (the worktree of BASE) with this venv:

    python review/tree_render.py <tree> --stack dev --out <dir>

The venv's `eks_platform` is an editable install of *this* checkout. Imported as is, the base render
would run the working tree's components and the review would miss every change made to them. Here
the package's folders come from the tree, as its own pyproject.toml maps them. The runner comes from the
tree too, so a base older than the engine's URN rule writes the mock engine's URNs; the review rebuilds
them from the plan's own parent chain (review/base_urns.py), so both sides compare by the engine's.
"""

from __future__ import annotations

import importlib.util
import runpy
import sys
import tomllib
import types
from pathlib import Path


def package_dirs(tree: Path) -> dict[str, Path]:
    """`[tool.setuptools.package-dir]` of the tree (nothing for a tree from before the package)."""
    pyproject = tree / "pyproject.toml"
    if not pyproject.exists():
        return {}
    mapping = tomllib.loads(pyproject.read_text()).get("tool", {}).get("setuptools", {}).get("package-dir", {})
    return {name: tree / folder for name, folder in mapping.items() if (tree / folder / "__init__.py").exists()}


def use_tree(tree: Path) -> None:
    """Import the project's modules, the installed package's included, from `tree`."""
    sys.path[0] = str(tree)  # a script's own folder otherwise
    for name, folder in sorted(package_dirs(tree).items()):
        parent, _, leaf = name.rpartition(".")
        if parent and parent not in sys.modules:
            namespace = types.ModuleType(parent)
            namespace.__path__ = []
            sys.modules[parent] = namespace
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        if parent:
            setattr(sys.modules[parent], leaf, module)
        spec.loader.exec_module(module)


if __name__ == "__main__":
    use_tree(Path(sys.argv[1]).resolve())
    sys.argv = ["render", *sys.argv[2:]]
    runpy.run_module("render", run_name="__main__", alter_sys=True)
