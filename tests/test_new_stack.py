"""`make new-stack NAME=staging FROM=dev`: the stack file (with a header of its own and a VPC range no
other stack uses), the policy config and the first golden render; what would be wrong is refused with
nothing written; and the new stack renders, judged by its own policy config, as its golden render."""

from __future__ import annotations

import ipaddress
import json
import re
import shutil

import pytest
import yaml

from eks_platform.runner.stack_config import PROJECT_DIR
from new_stack import NewStackError, free_range, main, with_header, with_own_vpc_range
from review.golden import current_plan, golden_difference


@pytest.fixture
def project(tmp_path):
    """A project directory with dev's stack file and policy config (new_stack only reads those)."""
    (tmp_path / "policy" / "config").mkdir(parents=True)
    shutil.copy(PROJECT_DIR / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    shutil.copy(PROJECT_DIR / "Pulumi.dev.yaml", tmp_path / "Pulumi.dev.yaml")
    shutil.copy(PROJECT_DIR / "policy" / "config" / "dev.json", tmp_path / "policy" / "config" / "dev.json")
    return tmp_path


def files(directory) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()}


def config_of(path) -> dict:
    return yaml.safe_load(path.read_text())["config"]


def test_the_new_stack_starts_as_a_copy_of_its_source_and_passes_the_golden_check(project, capsys):
    assert main(["staging", "--from", "dev"], project) == 0
    staging, dev = config_of(project / "Pulumi.staging.yaml"), config_of(project / "Pulumi.dev.yaml")
    assert staging["eks-platform:network"].pop("vpcCidr") == "10.11.0.0/16"  # dev has 10.10.0.0/16
    assert dev["eks-platform:network"].pop("vpcCidr") == "10.10.0.0/16"
    assert staging == dev
    policy = json.loads((project / "policy" / "config" / "staging.json").read_text())
    assert policy == json.loads((project / "policy" / "config" / "dev.json").read_text())
    out = capsys.readouterr().out
    assert out.startswith(
        "Wrote Pulumi.staging.yaml (from Pulumi.dev.yaml), policy/config/staging.json (from dev's) and "
        "tests/golden/staging.plan.json (its first golden render).\nIts VPC range is 10.11.0.0/16"
    )
    # dev's own name stays where only a person can decide (a tag here); comments are not listed
    assert "Still says 'dev' (review):\n    line 10: environment: dev\nNext:" in out
    assert "make render STACK=staging" in out and "judged by policy/config/staging.json" in out
    # what `make test` checks: the stack renders as its golden render says
    assert golden_difference("staging", current_plan("staging", project), project) is None


def test_a_source_without_a_policy_config_gives_an_advisory_one(project):
    (project / "policy" / "config" / "dev.json").unlink()
    assert main(["qa", "--from", "dev"], project) == 0
    assert json.loads((project / "policy" / "config" / "qa.json").read_text()) == {"all": "advisory"}
    golden = json.loads((project / "tests" / "golden" / "qa.plan.json").read_text())
    assert {v["enforcement"] for v in golden["policy"]} == {"advisory"}  # judged by the file it got


REFUSED = [
    (
        ["Staging Env", "--from", "dev"],
        "NAME='Staging Env' is not a stack name: letters, digits, '-', '_' and '.', at most 100",
    ),
    (["staging", "--from", "qa"], "FROM='qa': there is no stack 'qa': no Pulumi.qa.yaml (stacks: dev)"),
    (
        ["staging", "--from", "deb"],
        "FROM='deb': there is no stack 'deb': no Pulumi.deb.yaml; did you mean 'dev'? (stacks: dev)",
    ),
    (["dev", "--from", "dev"], "Pulumi.dev.yaml exists already: nothing was written"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=["name", "source", "typo", "exists"])
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


def test_the_header_is_the_new_stacks_own():
    text = "# dev: a small cluster\n# one group\nconfig:\n  aws:region: eu-west-1  # dev's region\n"
    new = with_header(text, "qa", "dev")
    assert new.startswith("# qa: started from dev's stack file by `make new-stack`")
    assert "small cluster" not in new and new.endswith("config:\n  aws:region: eu-west-1  # dev's region\n")


def net(cidr: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(cidr)


FREE_RANGES = [
    # (the source's range, the ranges stacks use, the range the new stack gets)
    ("10.10.0.0/16", ["10.10.0.0/16"], "10.11.0.0/16"),
    ("10.10.0.0/16", ["10.10.0.0/16", "10.11.0.0/16", "10.20.0.0/16"], "10.12.0.0/16"),
    ("10.10.0.0/16", ["10.10.0.0/16", "10.11.128.0/20"], "10.12.0.0/16"),  # a partial overlap counts
    ("10.255.0.0/16", ["10.255.0.0/16", "10.0.0.0/16"], "10.1.0.0/16"),  # wraps around inside 10/8
    ("172.16.0.0/20", ["172.16.0.0/20"], "172.16.16.0/20"),  # same size, same private range
    ("192.168.0.0/16", ["192.168.0.0/16"], None),  # the range holds no other /16
]


@pytest.mark.parametrize(("source", "used", "expected"), FREE_RANGES)
def test_the_new_stack_gets_a_vpc_range_no_stack_uses(source, used, expected):
    if expected is None:
        with pytest.raises(NewStackError, match=re.escape("no /16 in 192.168.0.0/16 is free")):
            free_range(net(source), [net(u) for u in used])
    else:
        assert free_range(net(source), [net(u) for u in used]) == net(expected)


def stack_file(tmp_path, name: str, network: dict | None) -> None:
    config = {"aws:region": "eu-west-1", **({"eks-platform:network": network} if network is not None else {})}
    (tmp_path / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}))


@pytest.mark.parametrize(
    ("network", "expected"),
    [
        ({"vpcCidr": "10.10.0.0/16", "availabilityZones": 3}, {"vpcCidr": "10.11.0.0/16", "availabilityZones": 3}),
        ({"availabilityZones": 3}, {"vpcCidr": "10.1.0.0/16", "availabilityZones": 3}),  # dev on the default
        (None, {"vpcCidr": "10.1.0.0/16"}),
        ({"vpcId": "vpc-0123456789abcdef0"}, {"vpcId": "vpc-0123456789abcdef0"}),  # your own VPC stays
    ],
    ids=["set", "default-in-section", "no-section", "own-vpc"],
)
def test_the_range_is_written_wherever_the_source_had_it(tmp_path, network, expected):
    stack_file(tmp_path, "dev", network)
    new = with_own_vpc_range((tmp_path / "Pulumi.dev.yaml").read_text(), tmp_path)
    assert config_of_text(new).get("eks-platform:network") == expected


def config_of_text(text: str) -> dict:
    return yaml.safe_load(text)["config"]


def test_every_stack_of_the_project_counts(tmp_path):
    stack_file(tmp_path, "dev", {"vpcCidr": "10.10.0.0/16"})
    stack_file(tmp_path, "prod", {"vpcCidr": "10.11.0.0/16"})
    stack_file(tmp_path, "edge", {"vpcId": "vpc-0123456789abcdef0"})  # uses no range of the platform's
    stack_file(tmp_path, "bare", None)  # the default 10.0.0.0/16
    new = with_own_vpc_range((tmp_path / "Pulumi.dev.yaml").read_text(), tmp_path)
    assert config_of_text(new)["eks-platform:network"]["vpcCidr"] == "10.12.0.0/16"
