"""`make scan`: checkov (offline, its own venv) passes on the dev and prod manifests and fails on an
insecure one. One checkov run covers all three directories (checkov takes seconds to start)."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.manifests import manifest_files
from scan.__main__ import main, report, scan
from scan.allowlist import ALLOWLIST

INSECURE = """\
apiVersion: v1
kind: Pod
metadata:
  name: insecure
  namespace: demo
spec:
  containers:
    - name: app
      image: nginx:latest
      securityContext:
        privileged: true
        allowPrivilegeEscalation: true
"""


def write(directory: Path, files) -> Path:
    directory.mkdir()
    for name, text in files:
        (directory / name).write_text(text)
    return directory


@pytest.fixture(scope="module")
def scanned(tmp_path_factory, dev, prod):
    base = tmp_path_factory.mktemp("scan")
    dirs = {
        "insecure": write(base / "insecure", [("pod.yaml", INSECURE)]),
        "dev": write(base / "dev", manifest_files(dev)),
        "prod": write(base / "prod", manifest_files(prod)),
    }
    found = scan(list(dirs.values()))
    return {name: found[path.resolve()] for name, path in dirs.items()}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_rendered_manifests_pass_the_scan(scanned, stack):
    blocking = [str(f) for f in scanned[stack] if f.allowed_by() is None]
    assert blocking == []


def test_an_insecure_manifest_fails_the_scan(scanned):
    blocking = {f.check for f in scanned["insecure"] if f.allowed_by() is None}
    assert {"CKV_K8S_16", "CKV_K8S_20", "CKV_K8S_14"} <= blocking  # privileged, escalation, latest tag


def test_the_allowlist_is_short_and_every_entry_is_used_and_explained(scanned):
    assert len(ALLOWLIST) <= 5
    used = {(a.check, a.resource) for f in scanned["dev"] + scanned["prod"] if (a := f.allowed_by())}
    assert used == {(a.check, a.resource) for a in ALLOWLIST}
    assert all(len(a.reason) > 40 for a in ALLOWLIST)


def test_report_fails_on_the_insecure_directory_only(scanned):
    text, status = report({Path("insecure"): scanned["insecure"]})
    assert status == 1 and "FAILED  CKV_K8S_16 Pod.demo.insecure" in text
    text, status = report({Path("dev"): scanned["dev"], Path("prod"): scanned["prod"]})
    assert status == 0 and "Allowlist (scan/allowlist.py):" in text


def test_command_without_directories_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
