"""`python -m importer`: exit statuses, what is written and when nothing is, --strict, --force,
input that is not a ClusterConfig (never a traceback), and the example cluster.yaml
(examples/eksctl/), which imports to the dev stack's node group and renders; imported into a project,
the new stack comes with its policy config and golden render, and the project passes the golden check."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eks_platform.runner.engine import reveal, run_program
from eks_platform.runner.stack_config import PROJECT_DIR, load_stack_config
from importer.__main__ import main
from importer.stack_file import write_stack_file
from settings.model import NodeGroupConfig
from tests.importing import cluster, fixture, group, run

NOTE = PROJECT_DIR / "examples" / "eksctl" / "cluster.yaml"


def write(tmp_path: Path, document: object, name: str = "cluster.yaml") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document))
    return path


def imported(tmp_path: Path, source: Path, *args: str, stack: str = "imported") -> int:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return main([str(source), "--stack", stack, "--dir", str(out), *args])


def written(tmp_path: Path) -> list[str]:
    out = tmp_path / "out"
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def test_the_example_cluster_imports_to_exactly_the_dev_stacks_node_group(tmp_path, capsys):
    assert imported(tmp_path, NOTE) == 0
    stack = yaml.safe_load((tmp_path / "out" / "Pulumi.imported.yaml").read_text())["config"]
    dev = yaml.safe_load((PROJECT_DIR / "Pulumi.dev.yaml").read_text())["config"]
    ours, theirs = stack["eks-platform:nodeGroups"], dev["eks-platform:nodeGroups"]
    assert [NodeGroupConfig.model_validate(g) for g in ours] == [NodeGroupConfig.model_validate(g) for g in theirs]
    assert ours[0]["instanceTypes"] == ["t3.medium"]
    assert (ours[0]["minSize"], ours[0]["maxSize"], ours[0]["desiredSize"]) == (1, 2, 1)
    assert stack["aws:region"] == dev["aws:region"] == "ap-northeast-2"
    assert "Wrote" in capsys.readouterr().out


def test_the_imported_example_cluster_renders(tmp_path):
    assert imported(tmp_path, NOTE, stack="note") == 0
    result = run_program(load_stack_config("note", config_file=tmp_path / "out" / "Pulumi.note.yaml"))
    # Whichever resource carries the node group (pulumi-eks' component or an aws:eks/nodeGroup of the program's).
    (node_group,) = [r for r in result.resources if "scalingConfig" in r.inputs]
    assert node_group.inputs["instanceTypes"] == ["t3.medium"]
    assert node_group.inputs["scalingConfig"] == {"minSize": 1, "maxSize": 2, "desiredSize": 1}
    assert reveal(result.outputs["clusterName"]) == "my-cluster"


def test_a_written_stack_file_says_where_it_came_from_and_loads(tmp_path):
    source = write(tmp_path, group(ssh={"allow": True}))
    assert imported(tmp_path, source) == 0
    text = (tmp_path / "out" / "Pulumi.imported.yaml").read_text()
    assert text.startswith("# Imported from the eksctl ClusterConfig")
    assert "#   - managedNodeGroups[0].ssh.allow: SSH to nodes" in text
    config = load_stack_config("imported", config_file=tmp_path / "out" / "Pulumi.imported.yaml")
    assert config.values["eks-platform:cluster"]["name"] == "shop"


def test_what_was_not_carried_is_printed_grouped(tmp_path, capsys):
    source = write(tmp_path, cluster(fargateProfiles=[{"name": "fp"}], managedNodeGroups=[{"name": "g", "ami": "x"}]))
    assert imported(tmp_path, source) == 0
    printed = capsys.readouterr().out
    assert "Not carried over (2 fields; --strict refuses the import because of them):" in printed
    compute, nodes = printed.index("  Compute this platform does not run:"), printed.index("  Node group settings:")
    assert compute < printed.index('fargateProfiles[0]: Fargate profile "fp"') < nodes
    assert nodes < printed.index("managedNodeGroups[0].ami: a custom AMI")


def test_strict_refuses_any_field_left_behind_and_writes_nothing(tmp_path, capsys):
    source = write(tmp_path, group(ssh={"allow": True}))
    assert imported(tmp_path, source, "--strict") == 2
    assert written(tmp_path) == []
    error = capsys.readouterr().err
    assert "--strict: fields were not carried over; nothing was written." in error
    assert "managedNodeGroups[0].ssh.allow" in error


def test_strict_accepts_a_file_it_carries_whole(tmp_path):
    assert imported(tmp_path, NOTE, "--strict") == 0
    assert written(tmp_path) == ["Pulumi.imported.yaml"]


def test_a_stack_that_would_not_load_exits_2_with_both_paths_and_writes_nothing(tmp_path, capsys):
    source = write(
        tmp_path, cluster(metadata={"version": "1.20"}, managedNodeGroups=[{"name": "g", "instanceType": "t3.mediun"}])
    )
    assert imported(tmp_path, source) == 2
    assert written(tmp_path) == []
    error = capsys.readouterr().err
    assert "in the stack" in error and "nothing was written" in error
    assert (
        '  - managedNodeGroups[0].instanceType → eks-platform:nodeGroups[0].instanceTypes[0]: "t3.mediun" is not an '
        "EC2 instance type"
    ) in error
    assert '  - metadata.version → eks-platform:cluster.version: "1.20" ' in error


def test_an_unbound_group_gets_a_hint_and_bind_fixes_it(tmp_path, capsys):
    document = cluster(iamIdentityMappings=[{"arn": "arn:aws:iam::111122223333:role/ops", "groups": ["ops"]}])
    source = write(tmp_path, document)
    assert imported(tmp_path, source) == 2
    assert "--bind GROUP=CLUSTERROLE" in capsys.readouterr().err
    assert imported(tmp_path, source, "--bind", "ops=edit@shop,web") == 0
    stack = yaml.safe_load((tmp_path / "out" / "Pulumi.imported.yaml").read_text())["config"]
    assert stack["eks-platform:access"]["groupBindings"] == {
        "ops": {"clusterRole": "edit", "namespaces": ["shop", "web"]}
    }


def test_an_existing_stack_file_is_not_overwritten_without_force(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "Pulumi.imported.yaml"
    target.write_text("config: {}\n")
    assert imported(tmp_path, NOTE) == 2
    assert target.read_text() == "config: {}\n"
    assert "exists; nothing was written (--force overwrites it)" in capsys.readouterr().err
    assert imported(tmp_path, NOTE, "--force") == 0
    assert "eks-platform:nodeGroups" in target.read_text()
    assert written(tmp_path) == ["Pulumi.imported.yaml"]  # no temporary file left


def test_the_writer_itself_never_replaces_a_file_without_force(tmp_path):
    """The check before the import is not enough: the file may appear while the import runs."""
    target = tmp_path / "Pulumi.x.yaml"
    target.write_text("theirs\n")
    with pytest.raises(FileExistsError):
        write_stack_file(target, "ours\n", force=False)
    assert target.read_text() == "theirs\n"
    write_stack_file(target, "ours\n", force=True)
    assert target.read_text() == "ours\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Pulumi.x.yaml"]


def test_a_failed_import_leaves_an_existing_stack_file_as_it_was(tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "Pulumi.imported.yaml"
    target.write_text("config: {}\n")
    assert imported(tmp_path, write(tmp_path, group(volumeSize=5)), "--force") == 2
    assert target.read_text() == "config: {}\n"


# Input that is not a ClusterConfig this importer reads: exit 2 with one clear sentence.
NOT_A_CLUSTER_CONFIG = [
    ("", "is empty; expected an eksctl ClusterConfig"),
    ("# only a comment\n", "is empty"),
    ("- a\n- b\n", "holds a list, not a mapping"),
    ("just words\n", "holds a str, not a mapping"),
    ("metadata: {name: [unclosed\n", "is not valid YAML"),
    ("a: 1\n\ta: 2\n", "is not valid YAML"),
    ("apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nkind: ClusterConfig\n", "duplicate key 'kind'"),
    ("apiVersion: v1\nkind: Config\n", "has kind 'Config'; only an eksctl ClusterConfig"),
    ("apiVersion: eksctl.io/v1alpha5\n", "has no kind"),
    ("apiVersion: eksctl.io/v1alpha4\nkind: ClusterConfig\n", "has apiVersion 'eksctl.io/v1alpha4'"),
    ("kind: ClusterConfig\n", "has no apiVersion"),
    ("? [a, b]\n: c\n", "mapping key must be a plain value"),
]


@pytest.mark.parametrize(("text", "fragment"), NOT_A_CLUSTER_CONFIG)
def test_input_that_is_not_a_cluster_config_exits_2(tmp_path, capsys, text, fragment):
    assert imported(tmp_path, write(tmp_path, text)) == 2
    assert written(tmp_path) == []
    error = capsys.readouterr().err
    assert error.startswith("import: ") and fragment in error


def test_unreadable_input_exits_2(tmp_path, capsys):
    assert imported(tmp_path, tmp_path / "missing.yaml") == 2
    assert "cannot read" in capsys.readouterr().err
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    assert imported(tmp_path, binary) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_a_wrong_value_in_the_file_is_named_by_its_eksctl_path(tmp_path, capsys):
    source = write(tmp_path, group(minSize="two", labels={"tier": 1}))
    assert imported(tmp_path, source) == 2
    error = capsys.readouterr().err
    assert "2 problems in" in error and "nothing was written" in error
    assert '  - managedNodeGroups[0].minSize: "two" must be a whole number' in error
    assert "  - managedNodeGroups[0].labels.tier: 1 must be a string; quote it" in error


@pytest.mark.parametrize(
    "args",
    [["--stack", "../escape"], ["--stack", "ok", "--bind", "no-role"], ["--stack", "ok", "--bind", "a=b c"], []],
)
def test_bad_options_exit_2(tmp_path, args):
    with pytest.raises(SystemExit) as exited:
        main([str(NOTE), *args, "--dir", str(tmp_path)])
    assert exited.value.code == 2
    assert list(tmp_path.iterdir()) == []


def test_the_module_returns_its_exit_status(tmp_path):
    source = write(tmp_path, group(volumeSize=5))
    done = subprocess.run(
        [sys.executable, "-m", "importer", str(source), "--stack", "x", "--dir", str(tmp_path)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "managedNodeGroups[0].volumeSize → eks-platform:nodeGroups[0].diskSize: 5 must be at least 20" in done.stderr
    assert "Traceback" not in done.stderr


# --- fuzz: wrong types everywhere, never an exception ---------------------------------

WRONG = [None, 0, -1, 1.5, True, "x", "", [], [1, "a"], {}, {"a": {"b": 1}}]


def leaves(value: object, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [path] + [p for key, item in value.items() for p in leaves(item, (*path, key))]
    if isinstance(value, list):
        return [path] + [p for i, item in enumerate(value) for p in leaves(item, (*path, i))]
    return [path]


def replaced(document: dict, path: tuple, value: object) -> dict:
    result = copy.deepcopy(document)
    target = result
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return result


def test_wrong_types_anywhere_in_a_full_file_never_raise():
    """Every field and section of the every-field fixture, in turn, replaced by a value of another
    type (the values rotate, so each kind of value lands in many places; a full cross product is
    ten times slower and finds nothing more)."""
    base = fixture("every-field.yaml")
    paths = [p for p in leaves(base) if p and p[0] not in ("apiVersion", "kind")]
    assert len(paths) > 100
    outcomes = {"imported": 0, "refused": 0}
    for i, path in enumerate(paths):
        result = run(replaced(base, path, WRONG[i % len(WRONG)]), {"shop-viewers": {"clusterRole": "view"}})
        outcomes["refused" if result.problems else "imported"] += 1
    assert outcomes["refused"] > 0 and outcomes["imported"] > 0


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: &m {name: a, region: eu-west-1, tags: *m}\n",
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmanagedNodeGroups: &g [*g]\n",
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n1: 2\ntrue: [3]\nnull: x\n",
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: a, region: eu-west-1}\n"
        "managedNodeGroups: [{name: g, taints: {k: 1}, labels: [a]}]\nvpc: {subnets: {private: {1: {id: 2}}}}\n",
        'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: "a\\nb", region: "eu-west-1\\x07"}\n'
        'managedNodeGroups: [{name: g}]\nfargateProfiles: [{name: "x\\u2028# injected\\nconfig: {}"}]\n',
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n"
        "metadata: {name: a, region: eu-west-1, version: 2026-01-01}\nmanagedNodeGroups: [{name: g}]\n",
    ],
)
def test_odd_yaml_never_raises(tmp_path, text):
    assert imported(tmp_path, write(tmp_path, text)) in (0, 2)
    for stack_file in (tmp_path / "out").glob("Pulumi.*.yaml"):
        load_stack_config("imported", config_file=stack_file)  # what was written is a stack file


# --- into a project: the stack renders and `make test` passes --------------------------


def test_an_import_into_a_project_renders_and_passes_the_golden_check(tmp_path, monkeypatch, capsys):
    from render import policy
    from render.__main__ import main as render
    from review.golden import current_plan, golden_difference

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(PROJECT_DIR / "Pulumi.yaml", project)
    monkeypatch.chdir(project)  # as `make import-eksctl` runs it: in the project, the default --dir
    assert main([str(NOTE), "--stack", "note", "--dir", str(project)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(
        f"Wrote Pulumi.note.yaml from {NOTE}, policy/config/note.json (every rule advisory) and "
        "tests/golden/note.plan.json (its first golden render).\n"
    )
    assert printed.endswith(
        "Next: make render STACK=note, review, then pulumi up (after you change the stack file, "
        "`make golden` stores its render again).\n"
    )
    # the render's verdict names a policy config that exists
    assert json.loads((project / "policy" / "config" / "note.json").read_text()) == {"all": "advisory"}
    monkeypatch.setattr(policy, "POLICY_CONFIG_DIR", project / "policy" / "config")
    monkeypatch.chdir(PROJECT_DIR)  # the platform's program
    stack_file = str(project / "Pulumi.note.yaml")
    assert render(["--stack", "note", "--config", stack_file, "--out", str(tmp_path / "out")]) == 0
    verdict = json.loads((tmp_path / "out" / "plan.json").read_text())["policy"]
    assert ("eks-public-endpoint-restricted", "advisory") in {(v["policy"], v["enforcement"]) for v in verdict}
    # make test's golden check, on the project as the import left it
    assert golden_difference("note", current_plan("note", project), project) is None
    # and without the golden render, that check says what to run, in one line
    (project / "tests" / "golden" / "note.plan.json").unlink()
    assert golden_difference("note", current_plan("note", project), project) == (
        "note has no golden render (tests/golden/note.plan.json): run `make golden` to store its first"
    )


def test_an_existing_policy_config_is_kept(tmp_path, monkeypatch, capsys):
    shutil.copy(PROJECT_DIR / "Pulumi.yaml", tmp_path)
    (tmp_path / "policy" / "config").mkdir(parents=True)
    mine = '{"all": "mandatory"}\n'
    (tmp_path / "policy" / "config" / "note.json").write_text(mine)
    monkeypatch.chdir(tmp_path)
    assert main([str(NOTE), "--stack", "note", "--dir", "."]) == 0
    assert (tmp_path / "policy" / "config" / "note.json").read_text() == mine
    assert capsys.readouterr().out.startswith(
        f"Wrote Pulumi.note.yaml from {NOTE} and tests/golden/note.plan.json (its first golden render)."
    )
    golden = json.loads((tmp_path / "tests" / "golden" / "note.plan.json").read_text())
    assert "mandatory" in {v["enforcement"] for v in golden["policy"]}  # judged by the kept config
