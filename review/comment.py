"""The pull-request comment: every stack's review section under one heading, with the marker the
workflow uses to update the same comment in place instead of adding a new one per push.

    python3 -m review.comment review-dev.md review-prod.md > comment.md

Standard library only: the workflow's comment job runs it without the project's venv.
"""

from __future__ import annotations

import sys
from pathlib import Path

MARKER = "<!-- eks-platform-review -->"
TITLE = "## eks-platform: what this pull request changes"


def comment_markdown(sections: list[str]) -> str:
    body = "\n".join(section.rstrip() + "\n" for section in sections) if sections else "No stack was reviewed.\n"
    return f"{MARKER}\n{TITLE}\n\n{body}"


def main(argv: list[str]) -> int:
    sys.stdout.write(comment_markdown([Path(p).read_text() for p in sorted(argv)]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
