"""The offline render: files written, determinism, exit codes, no partial output, secrets masked,
and the independent validators that every rendered manifest must pass."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from eks_platform.runner.engine import Resource, RunResult, Secret
from eks_platform.runner.stack_config import PROJECT_DIR
from render.__main__ import main
from render.manifests import manifest_files
from tests.validators import kubernetes_problems, yamllint_errors

SECURE = "v1:MDEyMzQ1Njc4OWFi:c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr"


def render(tmp_path: Path, *args: str) -> tuple[int, Path]:
    out = tmp_path / "out"
    return main([*args, "--out", str(out)]), out


def files_of(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """dev and prod rendered once for the tests that read a render's files: stack -> (OUT, stdout)."""
    found = {}
    for stack in ("dev", "prod"):
        out = tmp_path_factory.mktemp(stack) / "out"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            assert main(["--stack", stack, "--out", str(out)]) == 0
        found[stack] = (out, printed.getvalue())
    return found


def test_dev_render_writes_plan_manifests_and_graph(rendered):
    out, printed = rendered["dev"]
    assert (out / "plan.json").is_file() and (out / "graph.md").is_file() and (out / "manifests").is_dir()
    assert "pulumi:pulumi:Stack" in printed and "├─ eks-platform:index:EksCluster" in printed
    assert "By type:" in printed and "aws:ec2/subnet:Subnet" in printed


def test_render_is_byte_identical_across_runs(tmp_path, rendered):
    # plan.json across processes is the golden renders' business (tests/test_golden.py).
    first = rendered["dev"][0]
    assert main(["--stack", "dev", "--out", str(tmp_path / "b")]) == 0
    assert files_of(first) == files_of(tmp_path / "b")
    assert len(files_of(first)) > 20  # plan.json, graph.md and the manifests


def test_plan_lists_every_registered_resource_with_its_wiring(rendered, prod):
    plan = json.loads((rendered["prod"][0] / "plan.json").read_text())
    assert {r["urn"] for r in plan["resources"]} == {r.urn for r in prod.resources}
    assert plan["summary"]["create"] == len(prod.resources) + 1  # and the stack, as `pulumi preview` counts
    by_urn = {r["urn"]: r for r in plan["resources"]}
    for resource in prod.resources:
        entry = by_urn[resource.urn]
        assert (entry["type"], entry["name"], entry["parent"]) == (resource.type, resource.name, resource.parent)
        assert entry["dependsOn"] == resource.dependencies
    positions = {r["urn"]: i for i, r in enumerate(plan["resources"])}
    assert all(positions[r.parent] < positions[r.urn] for r in prod.resources if r.parent in positions)
    mng = next(r for r in plan["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup" and r["name"] == "system")
    assert mng["inputs"]["taints"][0]["effect"] == "NO_SCHEDULE"


def test_the_printed_counts_are_the_plans_summary(rendered):
    """The tree's `+ N to create` and `By type:` lines say what plan.json's summary says."""
    import re

    out, printed = rendered["prod"]
    summary = json.loads((out / "plan.json").read_text())["summary"]
    (created,) = re.findall(r"^    \+ (\d+) to create$", printed, re.M)
    by_type = printed.split("By type:\n", 1)[1].split("\n\n", 1)[0]
    printed_types = {t: int(n) for n, t in re.findall(r"^\s+(\d+)  (\S+)$", by_type, re.M)}
    assert int(created) == summary["create"] == sum(summary["byType"].values())
    assert printed_types == summary["byType"] and printed_types["pulumi:pulumi:Stack"] == 1


def test_plan_has_the_access_review(rendered):
    access = json.loads((rendered["dev"][0] / "plan.json").read_text())["access"]
    assert access["authenticationMode"] == "API_AND_CONFIG_MAP"
    assert {r["via"] for r in access["identities"]} >= {"aws-auth mapRoles", "aws-auth mapUsers", "access entry"}


def test_secrets_never_appear_in_clear_text(tmp_path, capsys):
    stack = tmp_path / "Pulumi.sec.yaml"
    stack.write_text(
        (PROJECT_DIR / "Pulumi.dev.yaml").read_text().replace("environment: dev", f"owner:\n        secure: {SECURE}")
    )
    code, out = render(tmp_path, "--stack", "sec", "--config", str(stack))
    assert code == 0
    printed = capsys.readouterr().out
    everything = printed + "".join(p.decode() for p in files_of(out).values())
    assert SECURE not in everything
    assert "--cluster-name" not in everything  # only the kubeconfig carries the exec args
    plan = json.loads((out / "plan.json").read_text())
    assert plan["outputs"]["kubeconfig"] == "[secret]"
    provider = next(r for r in plan["resources"] if r["name"] == "cluster-k8s")
    assert provider["inputs"]["kubeconfig"] == "[secret]"
    for type_ in ("eks:index:Cluster", "aws:eks/cluster:Cluster"):
        cluster = next(r for r in plan["resources"] if r["type"] == type_)
        assert cluster["inputs"]["tags"]["owner"] == "[secret]"


THREE_MISTAKES = """\
config:
  aws:region: us-east-1
  eks-platform:cluster:
    version: "1.20"
  eks-platform:network:
    vpcCidr: 8.8.0.0/16
  eks-platform:nodeGroups:
    - name: general
      minSzie: 1
"""


def test_invalid_config_exits_2_names_every_problem_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(THREE_MISTAKES)
    code, out = render(tmp_path, "--stack", "dev", "--config", str(bad))
    assert code == 2
    err = capsys.readouterr().err
    for path in ("eks-platform:cluster.version", "eks-platform:network.vpcCidr", "eks-platform:nodeGroups[0].minSzie"):
        assert path in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_invalid_config_leaves_an_existing_output_exactly_as_it_was(tmp_path):
    out = tmp_path / "out"
    assert main(["--stack", "dev", "--out", str(out)]) == 0
    (out / "notes.txt").write_text("mine")
    before = files_of(out)
    bad = tmp_path / "bad.yaml"
    bad.write_text(THREE_MISTAKES)
    assert main(["--stack", "dev", "--config", str(bad), "--out", str(out)]) == 2
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "out"]


def test_a_successful_render_replaces_the_previous_output(tmp_path, rendered):
    out = tmp_path / "out"
    shutil.copytree(rendered["dev"][0], out)
    (out / "stale.txt").write_text("old")
    assert main(["--stack", "prod", "--out", str(out)]) == 0
    assert not (out / "stale.txt").exists()
    assert json.loads((out / "plan.json").read_text())["stack"] == "prod"


def test_program_failure_exits_1_with_one_line(tmp_path, capsys):
    program = tmp_path / "__main__.py"
    program.write_text("raise ValueError('boom')\n")
    code, out = render(tmp_path, "--stack", "dev", "--program", str(program))
    assert code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ValueError: boom" in err
    assert not out.exists()


UNKNOWN_STACKS = [
    # (STACK=, what the one line says after "there is no stack ...")
    (
        "stagng",
        "there is no stack 'stagng': no Pulumi.stagng.yaml; did you mean 'staging'? (stacks: dev, prod, staging)",
    ),
    ("prd", "there is no stack 'prd': no Pulumi.prd.yaml; did you mean 'prod'? (stacks: dev, prod, staging)"),
    ("nowhere", "there is no stack 'nowhere': no Pulumi.nowhere.yaml (stacks: dev, prod, staging)"),
]


@pytest.mark.parametrize(("stack", "message"), UNKNOWN_STACKS)
def test_an_unknown_stack_exits_1_naming_the_stacks_there_are(tmp_path, monkeypatch, capsys, stack, message):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dev", "prod", "staging"):
        (project / f"Pulumi.{name}.yaml").write_text("config: {}\n")
    monkeypatch.chdir(project)  # the stacks of the project the render runs in
    code, out = render(tmp_path, "--stack", stack)
    assert code == 1
    assert capsys.readouterr().err == f"render: {message}\n"
    assert not out.exists()


def test_a_missing_config_file_is_named_as_given(tmp_path, capsys):
    code, _ = render(tmp_path, "--stack", "dev", "--config", str(tmp_path / "mine.yaml"))
    assert code == 1
    assert capsys.readouterr().err.startswith(f"render: cannot read stack config {tmp_path / 'mine.yaml'}: ")


def test_graph_shows_the_component_tree(rendered):
    graph = (rendered["prod"][0] / "graph.md").read_text()
    assert "```mermaid\ngraph TD" in graph
    assert graph.count("eks-platform:index:ManagedNodeGroup") == 2
    assert "aws:ec2/subnet:Subnet ×6" in graph


# --- manifests: the mechanism, and the independent validators ------------------------


def _k8s(kind: str, api_version: str, name: str, namespace: str | None = None, **body) -> Resource:
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    group_version = api_version if "/" in api_version else f"core/{api_version}"
    return Resource(
        urn=f"urn:pulumi:t::p::kubernetes:{group_version}:{kind}::{name}",
        type=f"kubernetes:{group_version}:{kind}",
        name=name,
        custom=True,
        parent=None,
        provider="urn:pulumi:t::p::pulumi:providers:kubernetes::k8s",
        dependencies=[],
        inputs={"apiVersion": api_version, "kind": kind, "metadata": metadata, **body},
        options={},
    )


POD_SPEC = {"containers": [{"name": "web", "image": "nginxinc/nginx-unprivileged:1.27"}]}


def _result(*resources: Resource) -> RunResult:
    return RunResult(project="p", stack="t", resources=list(resources), outputs={}, invokes=[], warnings=[])


def test_manifests_come_in_install_order_one_object_per_file():
    result = _result(
        _k8s("Deployment", "apps/v1", "web", "demo", spec={"selector": {}, "template": {"spec": POD_SPEC}}),
        _k8s("ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "view", roleRef={}, subjects=[]),
        _k8s("Namespace", "v1", "demo"),
        _k8s("CustomResourceDefinition", "apiextensions.k8s.io/v1", "widgets.example.com", spec={}),
        _k8s("ServiceAccount", "v1", "web", "demo"),
    )
    names = [name for name, _ in manifest_files(result)]
    assert [n.split("-", 2)[1] for n in names] == [
        "namespace",
        "customresourcedefinition",
        "serviceaccount",
        "clusterrolebinding",
        "deployment",
    ]
    assert names == sorted(names)  # kubectl apply -f dir/ goes in file-name order


def test_manifest_secrets_are_masked_and_keys_lead_with_api_version():
    result = _result(_k8s("Secret", "v1", "db", "demo", stringData={"password": Secret("hunter2")}))
    ((_, text),) = manifest_files(result)
    assert "hunter2" not in text and "[secret]" in text
    assert text.splitlines()[:2] == ["apiVersion: v1", "kind: Secret"]


def test_kubernetes_validate_accepts_a_valid_manifest():
    ((_, text),) = manifest_files(_result(_k8s("Pod", "v1", "nginx", "demo", spec=POD_SPEC)))
    assert kubernetes_problems(text, "1.34") == []
    assert yamllint_errors(text) == []


def test_kubernetes_validate_catches_a_typo_in_strict_mode():
    spec = {**POD_SPEC, "nodeSelecter": {"pool": "general"}}
    ((_, text),) = manifest_files(_result(_k8s("Pod", "v1", "nginx", "demo", spec=spec)))
    (problem,) = kubernetes_problems(text, "1.34")
    assert "nodeSelecter" in problem


def test_kubernetes_validate_treats_a_removed_api_version_as_a_failure():
    cron = _k8s("CronJob", "batch/v1beta1", "nightly", "demo", spec={"schedule": "0 3 * * *", "jobTemplate": {}})
    ((_, text),) = manifest_files(_result(cron))
    assert kubernetes_problems(text, "1.34") == ["no schema for batch/v1beta1/CronJob in Kubernetes 1.34"]


def test_yamllint_catches_duplicate_keys():
    text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n  name: other\n"
    assert any("duplication of key" in e for e in yamllint_errors(text))


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_rendered_manifest_passes_both_validators(stack, request):
    result = request.getfixturevalue(stack)
    version = next(r for r in result.resources if r.type == "eks:index:Cluster").inputs["version"]
    for name, text in manifest_files(result):
        assert kubernetes_problems(text, version) == [], name
        assert yamllint_errors(text) == [], name


def test_the_settings_layer_knows_the_runners_secret_placeholder():
    from eks_platform.runner.stack_config import SECRET
    from settings.syntax import UNREADABLE_SECRET

    assert SECRET == UNREADABLE_SECRET
