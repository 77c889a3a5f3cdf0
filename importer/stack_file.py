"""The stack file the import writes: `Pulumi.<stack>.yaml`, with a header that says where it came
from and what was left behind, written whole or not at all, and never over an existing file
unless asked to.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .outcome import Outcome


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the hand-written stack files are."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _comment(text: str) -> str:
    """A comment line whatever the eksctl file held: no line breaks, only printable characters."""
    return "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))


def stack_text(outcome: Outcome, source: str) -> str:
    header = [
        "# " + _comment(f"Imported from the eksctl ClusterConfig {source} by `python -m importer`; eksctl's defaults"),
        "# fill what the file left out. Review it with `make render` before `pulumi up`.",
    ]
    if outcome.left_behind:
        header.append("# Not carried over:")
        header += ["#   - " + _comment(f"{item.path}: {item.reason}") for item in outcome.left_behind]
    body = yaml.dump(
        {"config": outcome.config}, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True
    )
    return "\n".join(header) + "\n" + body


def write_stack_file(path: Path, text: str, force: bool) -> None:
    """Write `text` to `path` in one step; FileExistsError if `path` exists and not `force`."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        if force:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the file appeared meanwhile: nothing is overwritten
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
