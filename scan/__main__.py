"""`make scan`: checkov on rendered manifests, offline; fail on any finding not in the allowlist.

    python -m scan build/dev/manifests build/prod/manifests

checkov lives in its own venv (venv-scan, requirements-scan.txt) and runs with --skip-download
so it never reaches the internet. Exit status: 0 clean (allowlisted findings listed), 1 findings,
2 checkov could not run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .allowlist import ALLOWLIST, Allowed

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = Path(os.environ.get("CHECKOV", ROOT / "venv-scan" / "bin" / "checkov"))


@dataclass(frozen=True)
class Finding:
    check: str
    name: str
    resource: str
    file: str

    def allowed_by(self) -> Allowed | None:
        return next((a for a in ALLOWLIST if a.covers(self.check, self.resource)), None)

    def __str__(self) -> str:
        return f"{self.check} {self.resource} ({Path(self.file).name}): {self.name}"


class ScanError(Exception):
    """checkov did not run, or said something we cannot read."""


def _documents(text: str) -> list[dict]:
    """checkov prints one JSON document per directory, back to back (or a list)."""
    decoder, position, found = json.JSONDecoder(), 0, []
    while position < len(text.rstrip()):
        while text[position].isspace():
            position += 1
        value, position = decoder.raw_decode(text, position)
        found += value if isinstance(value, list) else [value]
    return found


def scan(directories: list[Path]) -> dict[Path, list[Finding]]:
    """Failed checks per directory (allowlisted or not), from ONE checkov run: the manifests are
    copied under one root, since checkov 3.3's repeated -d rescans the first directory."""
    directories = [d.resolve() for d in directories]
    found: dict[Path, list[Finding]] = {d: [] for d in directories}
    with tempfile.TemporaryDirectory(prefix="scan-") as tmp:
        root = Path(tmp)
        for index, directory in enumerate(directories):
            target = root / str(index)
            target.mkdir()
            for manifest in sorted(directory.glob("*.yaml")):
                shutil.copyfile(manifest, target / manifest.name)
        command = [
            str(CHECKOV),
            "-d",
            str(root),
            "--framework",
            "kubernetes",
            "--skip-download",
            "--quiet",
            "-o",
            "json",
        ]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise ScanError(f"cannot run {CHECKOV} ({error.strerror}); `make scan` installs it") from None
        try:
            documents = _documents(completed.stdout) if completed.stdout.strip() else []
        except (ValueError, IndexError):
            raise ScanError(f"checkov exited {completed.returncode}: {completed.stderr.strip()[-300:]}") from None
        if completed.returncode not in (0, 1):
            raise ScanError(f"checkov exited {completed.returncode}: {completed.stderr.strip()[-300:]}")
        for document in documents:
            for failed in document.get("results", {}).get("failed_checks", []):
                relative = Path(failed["file_abs_path"]).resolve().relative_to(root.resolve())
                directory = directories[int(relative.parts[0])]
                file = str(directory / Path(*relative.parts[1:]))
                finding = Finding(failed["check_id"], failed["check_name"], failed["resource"], file)
                if finding not in found[directory]:
                    found[directory].append(finding)
    return found


def report(results: dict[Path, list[Finding]]) -> tuple[str, int]:
    """What `make scan` prints, and its exit status: 1 if any finding is not allowlisted."""
    lines, failed = [], False
    for directory, findings in results.items():
        blocking = [f for f in findings if f.allowed_by() is None]
        allowed = [f for f in findings if f.allowed_by() is not None]
        lines.append(f"{directory}: {len(blocking)} failed, {len(allowed)} allowlisted")
        lines += [f"  FAILED  {finding}" for finding in sorted(blocking, key=str)]
        lines += [f"  allowed {finding}" for finding in sorted(allowed, key=str)]
        failed = failed or bool(blocking)
    if not failed:
        lines += ["", "Allowlist (scan/allowlist.py):"]
        lines += [f"  {entry.check} {entry.resource}: {entry.reason}" for entry in ALLOWLIST]
    return "\n".join(lines) + "\n", 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    directories = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    if not directories:
        print("usage: python -m scan DIR [DIR ...]", file=sys.stderr)
        return 2
    try:
        results = scan(directories)
    except ScanError as error:
        print(f"scan: {error}", file=sys.stderr)
        return 2
    text, status = report(results)
    sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
