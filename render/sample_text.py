"""The shape of a sample block's content (render/readme.py and the sample modules beside it)."""

from __future__ import annotations


def fenced(text: str, language: str = "") -> str:
    return f"```{language}\n{text.rstrip()}\n```\n"


def section_starting(text: str, prefix: str) -> str:
    """The block of lines of `text` whose first line starts with `prefix`, up to the next empty line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return "\n".join(lines[start:end])
