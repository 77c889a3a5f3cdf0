"""`make new-stack NAME=staging FROM=dev`: the stack file and the policy config, copied; what would be
wrong is refused with nothing written; and the new stack renders, judged by its own policy config."""

from __future__ import annotations

import json
import shutil

import pytest

from eks_platform.runner.stack_config import PROJECT_DIR
from new_stack import main


@pytest.fixture
def project(tmp_path):
    """A project directory with dev's stack file and policy config (new_stack only reads those)."""
    (tmp_path / "policy" / "config").mkdir(parents=True)
    shutil.copy(PROJECT_DIR / "Pulumi.dev.yaml", tmp_path / "Pulumi.dev.yaml")
    shutil.copy(PROJECT_DIR / "policy" / "config" / "dev.json", tmp_path / "policy" / "config" / "dev.json")
    return tmp_path


def files(directory) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()}


def test_the_new_stack_starts_as_a_copy_of_its_source(project, capsys):
    assert main(["staging", "--from", "dev"], project) == 0
    assert (project / "Pulumi.staging.yaml").read_text() == (project / "Pulumi.dev.yaml").read_text()
    staging = json.loads((project / "policy" / "config" / "staging.json").read_text())
    assert staging == json.loads((project / "policy" / "config" / "dev.json").read_text())
    out = capsys.readouterr().out
    assert out.startswith("Wrote Pulumi.staging.yaml (from Pulumi.dev.yaml) and policy/config/staging.json")
    # dev's own name stays where only a person can decide (a tag here); comments are not listed
    assert "Still says 'dev' (review):\n    line 10: environment: dev\nNext:" in out
    assert "make render STACK=staging" in out and "judged by policy/config/staging.json" in out


def test_a_source_without_a_policy_config_gives_an_advisory_one(project):
    (project / "policy" / "config" / "dev.json").unlink()
    assert main(["qa", "--from", "dev"], project) == 0
    assert json.loads((project / "policy" / "config" / "qa.json").read_text()) == {"all": "advisory"}


REFUSED = [
    (
        ["Staging Env", "--from", "dev"],
        "NAME='Staging Env' is not a stack name: letters, digits, '-', '_' and '.', at most 100",
    ),
    (["staging", "--from", "qa"], "FROM='qa': there is no Pulumi.qa.yaml (stacks: dev)"),
    (["dev", "--from", "dev"], "Pulumi.dev.yaml exists already: nothing was written"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=["name", "source", "exists"])
def test_what_would_be_wrong_is_refused_and_nothing_written(project, capsys, argv, message):
    before = files(project)
    assert main(argv, project) == 2
    assert capsys.readouterr().err == f"new-stack: {message}\n"
    assert files(project) == before


def test_an_existing_policy_config_is_never_overwritten(project, capsys):
    (project / "policy" / "config" / "staging.json").write_text('{"all": "mandatory"}\n')
    assert main(["staging", "--from", "dev"], project) == 2
    assert not (project / "Pulumi.staging.yaml").exists()
    assert json.loads((project / "policy" / "config" / "staging.json").read_text()) == {"all": "mandatory"}


def test_the_new_stack_renders_judged_by_its_own_policy_config(project, tmp_path, monkeypatch, capsys):
    from render import policy
    from render.__main__ import main as render

    assert main(["staging", "--from", "dev"], project) == 0
    capsys.readouterr()
    # staging's file, not dev's, decides: the open API endpoint dev accepts is mandatory here
    monkeypatch.setattr(policy, "POLICY_CONFIG_DIR", project / "policy" / "config")
    staging = project / "policy" / "config" / "staging.json"
    staging.write_text(json.dumps({**json.loads(staging.read_text()), "eks-public-endpoint-restricted": "mandatory"}))
    out = tmp_path / "out"
    assert render(["--stack", "staging", "--config", str(project / "Pulumi.staging.yaml"), "--out", str(out)]) == 3
    printed = capsys.readouterr().out
    assert "[mandatory] eks-public-endpoint-restricted (high) aws:eks/cluster:Cluster::cluster-eksCluster" in printed
    assert printed.startswith("Previewing eks-platform/staging")
    assert json.loads((out / "plan.json").read_text())["stack"] == "staging"
