"""The shape of a sample block's content (render/readme.py and the sample modules beside it)."""

from __future__ import annotations


def fenced(text: str, language: str = "") -> str:
    return f"```{language}\n{text.rstrip()}\n```\n"
