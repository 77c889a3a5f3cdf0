"""The change review: two renders of a stack → dangers, counts, changes per component with what forces
a replacement, access changes, upgrade steps. Each scenario changes one thing in dev's or prod's
config and reads the review a reviewer would read."""

from __future__ import annotations

import copy

import pytest

from review.comment import comment_markdown
from review.report import build_review, review_markdown, review_text
from tests.conftest import plan_of


def m5_large(values):
    values["eks-platform:nodeGroups"][0]["instanceTypes"] = ["m5.large"]


def to_1_36(values):
    values["eks-platform:cluster"]["version"] = "1.36"


def add_gpu(values):
    values["eks-platform:nodeGroups"].append({"name": "gpu", "instanceTypes": ["g5.xlarge"], "minSize": 0})


def review(stack, base, head):
    return build_review(stack, base, head, "base")


def test_a_stack_against_itself_has_no_changes(dev_plan):
    r = review("dev", dev_plan, dev_plan)
    assert r.unchanged and not r.dangerous
    assert review_text(r).endswith("No changes.\n")


def test_changing_instance_types_replaces_the_node_group_and_says_why(dev_plan):
    head = plan_of("dev", m5_large)
    r = review("dev", dev_plan, head)
    (group,) = [g for g in r.groups if g.type == "eks-platform:index:ManagedNodeGroup"]
    (node_group,) = [c for c in group.changes if c.type == "aws:eks/nodeGroup:NodeGroup"]
    assert node_group.action == "replace" and node_group.forced_by == ["instanceTypes"]
    assert [str(d) for d in r.dangers] == [
        "node group replaced: general (forced by instanceTypes) — every node is drained and every pod on it "
        "rescheduled onto a new group created first"
    ]
    assert r.counts["replace"] == 1
    text = review_text(r)
    assert text.index("DANGER") < text.index("Changes:")
    assert 'instanceTypes: ["t3.medium"] → ["m5.large"]' in text


def test_resizing_a_node_group_the_autoscaler_scales_warns_of_the_stored_desired_size(dev_plan):
    # dev runs the autoscaler: desiredSize is ignoreChanges, so the update sends the size stored in state
    head = plan_of("dev", lambda v: v["eks-platform:nodeGroups"][0].__setitem__("maxSize", 3))
    r = review("dev", dev_plan, head)
    assert r.counts == {"create": 0, "replace": 0, "update": 1, "delete": 0}
    assert "scalingConfig.maxSize: 2 → 3" in review_text(r)
    (danger,) = r.dangers
    assert danger.kind == "node group size range changed, desiredSize left to the autoscaler"
    assert "`pulumi up --refresh`" in danger.consequence


def test_resizing_the_database_storage_is_dangerous(dev_plan):
    head = plan_of("dev", lambda v: v["eks-platform:workloads"]["statefulSet"].__setitem__("storageSize", "5Gi"))
    r = review("dev", dev_plan, head)
    kinds = [d.kind for d in r.dangers]
    assert "StatefulSet storage changed" in kinds


def test_removing_an_access_entry_shows_who_loses_access(prod_plan):
    def drop_team_a(values):
        access = values["eks-platform:access"]
        access["accessEntries"] = [e for e in access["accessEntries"] if "team-a" not in e["principalArn"]]
        access["groupBindings"].pop("team-a-developers")

    r = review("prod", prod_plan, plan_of("prod", drop_team_a))
    (revoked,) = [d for d in r.dangers if d.kind == "access revoked"]
    assert revoked.subject == "arn:aws:iam::111122223333:role/team-a-developer"
    assert "edit in team-a" in revoked.consequence and "(no access left)" in revoked.consequence


def test_adding_a_node_group_reads_as_one_block_under_that_group(dev_plan):
    r = review("dev", dev_plan, plan_of("dev", add_gpu))
    created = [g for g in r.groups if g.action == "create"]
    assert [(g.type, g.name) for g in created] == [("eks-platform:index:ManagedNodeGroup", "gpu")]
    assert {c.type for c in created[0].changes} == {
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:eks/nodeGroup:NodeGroup",
        "aws:iam/role:Role",  # the group's node role, shown with the group that runs as it
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    }
    assert not any(g.type == "eks-platform:index:NodeRole" for g in r.groups)


def test_a_replaced_secrets_key_is_dangerous_and_takes_the_cluster_with_it(dev_plan):
    # multiRegion cannot change on a KMS key (ForceNew): a new key, and the old one scheduled for deletion
    head = copy.deepcopy(dev_plan)
    (key,) = [r for r in head["resources"] if r["type"] == "aws:kms/key:Key"]
    key["inputs"]["multiRegion"] = True
    r = review("dev", dev_plan, head)
    assert [str(d) for d in r.dangers if d.kind == "KMS key replaced"] == [
        "KMS key replaced: cluster-secrets (forced by multiRegion) — the key that encrypts the cluster's Secrets is "
        "scheduled for deletion"
    ]
    # the cluster reads the key's ARN: a new key is a change of encryption key, which EKS cannot make in place
    (cluster,) = [d for d in r.dangers if d.kind == "cluster replaced"]
    assert (
        "its encryptionConfig.provider.keyArn comes from KMS key cluster-secrets, which is replaced" in cluster.subject
    )


def test_turning_deletion_protection_off_is_dangerous(prod_plan):
    r = review(
        "prod", prod_plan, plan_of("prod", lambda v: v["eks-platform:cluster"].__setitem__("deletionProtection", False))
    )
    assert [d.kind for d in r.dangers] == ["deletion protection turned off"]


def test_a_two_minor_upgrade_is_refused_naming_the_skipped_version(dev_plan):
    base = plan_of("dev", lambda v: v["eks-platform:cluster"].__setitem__("version", "1.33"))
    r = review("dev", base, dev_plan)  # 1.33 -> 1.35
    assert r.refused
    (problem,) = r.upgrade.problems
    assert "skips 1.34" in problem


def test_a_one_minor_upgrade_prints_the_steps_in_order(dev_plan):
    head = plan_of("dev", to_1_36)
    r = review("dev", dev_plan, head)
    assert not r.refused
    steps = r.upgrade.steps
    assert steps[0].startswith("control plane 1.35 → 1.36")
    assert steps[1].startswith("add-ons every node needs: eks-node-monitoring-agent")
    assert steps[2].startswith(
        "node group general to 1.36: rolling, 1 of 1 node(s) at a time (max 2), DEFAULT: new nodes launch before "
        "old ones are drained"
    )
    # the sample Pod, the two web replicas, the database and the cluster autoscaler; the log collector
    assert "5 pod(s) move, 1 DaemonSet(s) restart on each node" in steps[2]
    assert steps[3].startswith("add-ons that run on nodes: aws-ebs-csi-driver")
    assert "for Kubernetes 1.36" in steps[1]


def test_removed_apis_in_the_target_version_refuse_the_upgrade(dev_plan):
    head = plan_of("dev", to_1_36)
    r = build_review(
        "dev",
        dev_plan,
        head,
        "base",
        manifest_problems={"40-cronjob-demo-x.yaml": ["batch/v1beta1 CronJob does not exist"]},
    )
    assert (
        r.refused
        and "40-cronjob-demo-x.yaml: batch/v1beta1 CronJob does not exist (Kubernetes 1.36)" in r.upgrade.problems
    )


def test_the_pull_request_comment_has_dangers_counts_changes_access_and_policy(dev_plan, prod_plan):
    head = plan_of("dev", m5_large)
    text = comment_markdown(
        [review_markdown(review("dev", dev_plan, head)), review_markdown(review("prod", prod_plan, prod_plan))]
    )
    assert text.startswith("<!-- eks-platform-review -->\n## eks-platform: what this pull request changes")
    assert "### `dev` — + 0 to create, ~ 0 to update, ± 1 to replace, - 0 to delete" in text
    assert ":warning: **node group replaced**" in text
    assert "```diff" in text and "instanceTypes" in text
    assert "**Access changes**: none" in text
    assert "**Policy**: 0 mandatory, 1 advisory" in text
    assert "### `prod` — no changes" in text


def soft_taint_on_system(values):
    taint = {"key": "platform.example.com/spot", "value": "true", "effect": "PreferNoSchedule"}
    values["eks-platform:nodeGroups"][1]["taints"].append(taint)


def test_a_new_taint_shows_as_one_added_element_in_the_terminal_and_the_comment(prod_plan):
    r = review("prod", prod_plan, plan_of("prod", soft_taint_on_system))
    added = '{"effect": "PREFER_NO_SCHEDULE", "key": "platform.example.com/spot", "value": "true"}'
    text = review_text(r)
    assert f"      taints: 1 added\n          + {added}\n" in text
    assert "..." not in text
    markdown = review_markdown(r)
    (line,) = [line for line in markdown.splitlines() if added in line]
    assert line.startswith("+ ") and line.endswith(added)  # coloured in the comment's ```diff block


def test_a_new_node_role_is_not_an_access_danger_but_the_aws_auth_lines_show(dev_plan):
    r = review("dev", dev_plan, plan_of("dev", add_gpu))
    assert not r.dangerous
    text = review_text(r)
    assert "+- rolearn: arn:aws:iam::123456789012:role/eks-platform-dev-gpu-node" in text
    # aws-auth is patched in place (enableConfigMapMutable), never deleted and recreated
    assert "~ kubernetes:core/v1:ConfigMap cluster-nodeAccess" in text


def test_every_type_the_program_registers_has_a_replace_on_change_entry():
    import json

    from review.golden import STACKS, golden_path
    from review.replace_on_change import REPLACE_ON_CHANGE

    types = set()
    for stack in (s for s in STACKS if golden_path(s).exists()):  # a missing one is test_golden's to report
        plan = json.loads(golden_path(stack).read_text())
        types |= {
            r["type"] for r in plan["resources"] if not r["type"].startswith(("eks-platform:index:", "eks:index:"))
        }
    assert types and not types - set(REPLACE_ON_CHANGE), sorted(types - set(REPLACE_ON_CHANGE))
    assert all(entry.source for entry in REPLACE_ON_CHANGE.values())


def test_an_unlisted_type_is_an_error_not_a_silent_update():
    from review.changes import PropertyChange, UnknownType, forcing

    with pytest.raises(UnknownType):
        forcing("aws:new/thing:Thing", [PropertyChange("x", 1, 2)])


def test_make_diff_against_head_renders_both_sides(capsys):
    # The base side is `render` run as __main__ in a process of its own: the command line's own test.
    import subprocess

    from eks_platform.runner.stack_config import PROJECT_DIR
    from review.__main__ import main

    code = main(["--stack", "dev", "--base", "HEAD"])
    out = capsys.readouterr().out
    # the base as the user named it, not a commit id: the same header on every machine (and in the docs)
    assert out.startswith("Review of dev: HEAD → working tree\n") and code in (0, 4)
    clean = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "."], cwd=PROJECT_DIR).returncode == 0
    if clean:  # as in CI: a stack against its own commit
        assert out.rstrip().endswith("No changes.") and code == 0


def test_make_diff_on_a_new_vpc_cidr_is_dangerous_and_names_the_node_group_and_the_cluster(tmp_path, capsys):
    import yaml

    from eks_platform.runner.stack_config import PROJECT_DIR
    from review.__main__ import DANGEROUS, main

    document = yaml.safe_load((PROJECT_DIR / "Pulumi.dev.yaml").read_text())
    document["config"]["eks-platform:network"]["vpcCidr"] = "10.20.0.0/16"
    (tmp_path / "Pulumi.dev.yaml").write_text(yaml.safe_dump(document))
    code = main(["--stack", "dev", "--base", "HEAD", "--config", str(tmp_path / "Pulumi.dev.yaml")])
    out = capsys.readouterr().out
    assert code == DANGEROUS
    dangers = out.split("DANGER (", 1)[1].split("\n\n", 1)[0]
    assert "! node group replaced: general (forced by subnetIds — its subnetIds come from subnets" in dangers
    assert "! cluster cannot move to another VPC: eks-platform-dev (its vpcId comes from VPC network-vpc" in dangers


def test_stack_output_changes_show_and_a_removed_one_is_dangerous(dev_plan):

    head = copy.deepcopy(dev_plan)
    head["outputs"]["clusterVersionHint"] = "1.35"
    del head["outputs"]["vpcId"]
    r = review("dev", dev_plan, head)
    text = review_text(r)
    assert 'clusterVersionHint: (none) → "1.35"' in text
    assert [(d.kind, d.subject) for d in r.dangers] == [("stack output removed", "vpcId")]


def _with_attachment(plan: dict, name: str, role: str, policy: str) -> dict:
    """The plan with one more plain policy attachment: what an earlier version of the program had."""
    extra = {
        "urn": f"urn:pulumi:dev::eks-platform::aws:iam/rolePolicyAttachment:RolePolicyAttachment::{name}",
        "type": "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "name": name,
        "parent": None,
        "provider": None,
        "dependsOn": [],
        "options": {},
        "inputs": {"role": role, "policyArn": policy},
    }
    return {**plan, "resources": [*plan["resources"], extra]}


@pytest.mark.parametrize(
    ("policy", "dangerous"),
    [
        # the node role's exclusive set still attaches it: the old attachment's deletion detaches it
        ("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", True),
        # nothing attaches it any more: removing it is the change itself
        ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", False),
    ],
)
def test_an_attachment_that_moves_to_another_resource_is_a_danger(dev_plan, policy, dangerous):
    (role,) = [
        r["inputs"]["roleName"]
        for r in dev_plan["resources"]
        if r["type"] == "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
        and r["name"] == "general-node-role-policies"
    ]
    base = _with_attachment(dev_plan, "old-attachment", role, policy)
    r = review("dev", base, dev_plan)
    moved = [d for d in r.dangers if d.kind == "policy detached by a moved attachment"]
    if dangerous:
        (danger,) = moved
        assert danger.subject.startswith(f"{policy} on role {role} (old-attachment → ")
        assert "general-node-role-policies" in danger.subject
    else:
        assert moved == [] and r.counts["delete"] == 1


def test_a_resource_moved_under_an_alias_is_the_same_resource(dev_plan):

    (group,) = [r for r in dev_plan["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup"]
    # The base as the version before had it: the node group inside pulumi-eks' ManagedNodeGroup.
    remote = "urn:pulumi:dev::eks-platform::eks-platform:index:ManagedNodeGroup$eks:index:ManagedNodeGroup::general"
    base = copy.deepcopy(dev_plan)
    (moved,) = [r for r in base["resources"] if r["urn"] == group["urn"]]
    moved["urn"] = f"{remote.rsplit('::', 1)[0]}$aws:eks/nodeGroup:NodeGroup::general"
    moved["parent"] = remote
    base["resources"].append(
        {"urn": remote, "type": "eks:index:ManagedNodeGroup", "name": "general", "parent": group["parent"],
         "provider": None, "dependsOn": [], "options": {}, "inputs": {}}
    )  # fmt: skip
    assert group["options"]["aliases"] == [moved["urn"]]
    r = review("dev", base, dev_plan)
    assert [(c.type, c.action) for g in r.groups for c in g.changes] == []  # only the component goes
    assert not r.dangerous
    # without the alias, `pulumi up` would create a second node group and delete the first
    head = copy.deepcopy(dev_plan)
    (unaliased,) = [r for r in head["resources"] if r["urn"] == group["urn"]]
    unaliased["options"] = {k: v for k, v in unaliased["options"].items() if k != "aliases"}
    r = review("dev", base, head)
    assert r.counts == {"create": 1, "replace": 0, "update": 0, "delete": 1}
    assert [d.kind for d in r.dangers] == ["node group deleted"]


def test_the_base_side_renders_the_base_trees_own_components(tmp_path):
    """The venv's eks_platform is an editable install of this checkout: the base render must still
    run the base tree's components, or a review misses every change made to them. A stand-in tree
    whose `render` says where eks_platform's modules came from."""
    import subprocess

    from review.__main__ import render_command

    tree = tmp_path / "tree"
    files = {
        "pyproject.toml": '[tool.setuptools.package-dir]\n"eks_platform.components" = "components"\n'
        '"eks_platform.runner" = "runner"\n',
        "components/__init__.py": "",
        "components/node_role.py": "NODE_POLICIES = ('ReadOnlyAccess',)\n",
        "runner/__init__.py": "",
        "render/__init__.py": "",
        "render/__main__.py": "import sys\n"
        "from eks_platform.components import node_role\n"
        "import eks_platform.runner\n"
        "print(node_role.NODE_POLICIES, node_role.__file__, eks_platform.runner.__file__, sys.argv[1:])\n",
    }
    for name, text in files.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text)
    done = subprocess.run(render_command(tree, "dev", tmp_path / "out"), cwd=tree, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    policies, node_role, runner, args = done.stdout.split(" ", 3)
    assert policies == "('ReadOnlyAccess',)"
    assert node_role == str(tree / "components" / "node_role.py")
    assert runner == str(tree / "runner" / "__init__.py")
    assert args.strip() == str(["--stack", "dev", "--out", str(tmp_path / "out")])
