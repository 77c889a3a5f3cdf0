"""The CI workflows shipped for users are valid GitHub workflows (check-jsonschema's bundled schema,
offline) and do what the README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from eks_platform.runner.stack_config import PROJECT_DIR

WORKFLOWS = sorted((PROJECT_DIR / ".github" / "workflows").glob("*.yml"))
CHECK = Path(sys.executable).parent / "check-jsonschema"


def test_workflows_validate_against_the_github_schema():
    assert len(WORKFLOWS) == 2
    result = subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    result = subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.github-workflows", str(broken)], capture_output=True, check=False
    )
    assert result.returncode != 0


def load(name: str) -> dict:
    return yaml.safe_load((PROJECT_DIR / ".github" / "workflows" / name).read_text())


def test_pull_requests_get_an_offline_review_and_a_preview_per_stack(tmp_path):
    jobs = load("pull-request.yml")["jobs"]
    # Stacks come from the Pulumi.<stack>.yaml files: run the listing step on a copy of them.
    listing = next(s for s in jobs["stacks"]["steps"] if s.get("id") == "list")["run"]
    for stack in ("dev", "prod", "staging"):
        (tmp_path / f"Pulumi.{stack}.yaml").write_text("config: {}\n")
    (tmp_path / "Pulumi.yaml").write_text("name: x\n")
    output = tmp_path / "out"
    subprocess.run(
        ["bash", "-c", listing], cwd=tmp_path, env={"GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"}, check=True
    )
    assert output.read_text().strip() == 'stacks=["dev","prod","staging"]'
    for job in ("offline", "preview"):
        assert jobs[job]["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.stacks.outputs.stacks) }}"
    runs = "\n".join(step.get("run", "") for step in jobs["offline"]["steps"])
    assert "make test" in runs and "-m render --stack" in runs and "-m review --stack" in runs
    assert "exit 4" in runs and "dangerous-change-approved" in str(jobs["offline"]["steps"])
    comment = "\n".join(step.get("run", "") for step in jobs["comment"]["steps"])
    assert "python3 -m review.comment" in comment
    script = next(s for s in jobs["comment"]["steps"] if s.get("uses", "").startswith("actions/github-script"))
    assert "updateComment" in script["with"]["script"] and "createComment" in script["with"]["script"]
    preview = next(s for s in jobs["preview"]["steps"] if s.get("uses", "").startswith("pulumi/actions@"))
    assert preview["with"]["command"] == "preview"
    assert preview["with"]["policyPacks"] == "policy"
    assert preview["with"]["policyPackConfigs"] == "policy/config/${{ matrix.stack }}.json"


def test_the_comment_job_runs_without_the_venv(tmp_path):
    (tmp_path / "review-dev.md").write_text("### `dev` — no changes\n")
    done = subprocess.run(
        ["python3", "-S", "-m", "review.comment", str(tmp_path / "review-dev.md")],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("<!-- eks-platform-review -->\n## eks-platform") and "### `dev`" in done.stdout


def test_merges_deploy_dev_then_prod_behind_an_approval():
    jobs = load("deploy.yml")["jobs"]
    assert jobs["prod"]["needs"] == "dev" and jobs["prod"]["environment"] == "production"
    for stack in ("dev", "prod"):
        up = next(s for s in jobs[stack]["steps"] if s.get("uses", "").startswith("pulumi/actions@"))
        assert up["with"]["command"] == "up" and up["with"]["stack-name"].endswith(f"/eks-platform/{stack}")
        assert up["with"]["policyPackConfigs"] == f"policy/config/{stack}.json"
