"""The documentation's samples of the library: how to install it (the version from pyproject.toml),
the import lines of the example program, and its offline preview script with what it prints.
tests/test_library.py runs these very lines against the package installed from a copy."""

from __future__ import annotations

import contextlib
import io
import runpy
import tomllib
from collections.abc import Callable

from eks_platform.runner.stack_config import PROJECT_DIR

from .sample_text import fenced

EXAMPLE = PROJECT_DIR / "examples" / "extra-node-group"
OFFLINE_SCRIPT = "preview_offline.py"
# No public home is assumed: the organisation placeholder is for the reader's copy of the repository.
REPOSITORY = "https://github.com/<your-org>/eks-platform"
LOCAL_INSTALL = "pip install ./eks-platform"


def library_install() -> str:
    version = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]["version"]
    remote = f'pip install "eks-platform @ git+{REPOSITORY}@v{version}"'
    width = max(len(remote), len(LOCAL_INSTALL))
    return fenced(
        f"{remote:<{width}}   # your copy of the repository, at a release tag\n"
        f"{LOCAL_INSTALL:<{width}}   # or a clone beside your project",
        "sh",
    )


def library_imports() -> str:
    """The example's own `from eks_platform ...` lines, in the order they first appear."""
    lines: list[str] = []
    for name in ("__main__.py", OFFLINE_SCRIPT):
        for line in (EXAMPLE / name).read_text().splitlines():
            if line.startswith("from eks_platform") and line not in lines:
                lines.append(line)
    return fenced("\n".join(lines), "python")


def offline_program() -> str:
    return fenced((EXAMPLE / OFFLINE_SCRIPT).read_text(), "python")


def offline_run() -> str:
    """The script run as the docs say, in the example's folder (here in-process, on the repository's
    package; tests/test_library.py runs it in a process of its own on the installed one)."""
    printed = io.StringIO()
    with contextlib.chdir(EXAMPLE), contextlib.redirect_stdout(printed):
        runpy.run_path(OFFLINE_SCRIPT, run_name="__main__")
    return fenced(f"$ cd examples/extra-node-group && python {OFFLINE_SCRIPT}\n{printed.getvalue()}")


LIBRARY_SAMPLES: dict[str, Callable[[], str]] = {
    "library-install": library_install,
    "library-imports": library_imports,
    "library-offline-program": offline_program,
    "library-offline-run": offline_run,
}
