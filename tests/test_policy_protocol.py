"""The policy pack, driven over the analyzer protocol as `pulumi preview --policy-pack policy` drives
it, reports exactly what the offline render reports — fed the properties a real preview sends:
unknown sentinels for everything not yet created, secret markers, and no properties at all for
pulumi-eks' remote component.

Each scenario runs twice on the mock engine: as a first preview (nothing exists, so computed values
are unknown) and as `pulumi up` sees it (everything known). CrossGuard runs during `up` too, so a
rule that cannot be decided at preview is judged there.
"""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from eks_platform.runner.engine import run_program
from eks_platform.runner.stack_config import PROJECT_DIR, StackConfig, load_stack_config
from render.policy import evaluate, policy_config
from tests.analyzer_protocol import PolicyPackProcess, load_policy_config

INTRUDER = "arn:aws:iam::111122223333:role/not-an-admin"


def _prod(change) -> StackConfig:
    config = load_stack_config("prod")
    values = copy.deepcopy(dict(config.values))
    change(values)
    return StackConfig(config.project, "prod", values, config.secret_keys)


def _set(section: str, key: str, value):
    return lambda values: values[f"eks-platform:{section}"].__setitem__(key, value)


def _admin_for_intruder(values):
    values["eks-platform:access"]["accessEntries"].append(
        {"principalArn": INTRUDER, "policies": [{"policy": "AmazonEKSClusterAdminPolicy", "scope": "cluster"}]}
    )


def _user_in_system_masters(values):
    access = values["eks-platform:access"]
    access["authenticationMode"] = "API_AND_CONFIG_MAP"
    access["mapUsers"] = [
        {"userarn": "arn:aws:iam::111122223333:user/bob", "username": "bob", "groups": ["system:masters"]}
    ]


# One mistake per rule, all in one prod config: each caught at preview by its own rule, nothing else.
MISTAKES = {
    "eks-public-endpoint-restricted": _set("cluster", "publicAccessCidrs", ["0.0.0.0/0"]),
    "eks-cluster-deletion-protection": _set("cluster", "deletionProtection", False),
    "eks-audit-logging": _set("cluster", "logTypes", ["api"]),
    "cluster-admin-for-admins-only": _admin_for_intruder,
    "no-system-masters-for-iam-users": _user_in_system_masters,
}


def _every_mistake(values):
    for change in MISTAKES.values():
        change(values)


SCENARIOS = {
    "dev": lambda: load_stack_config("dev"),
    "prod": lambda: load_stack_config("prod"),
    "prod, five mistakes": lambda: _prod(_every_mistake),
}
EXPECTED_MANDATORY = {"prod, five mistakes": set(MISTAKES)}


@pytest.fixture(scope="module")
def pack():
    process = PolicyPackProcess(PROJECT_DIR / "policy")
    process.handshake()
    yield process
    process.close()


_RUNS: dict[tuple[str, bool], object] = {}


def run(scenario: str, preview: bool):
    """Each scenario's run, once per mode (the unknowns test reads prod's first preview too)."""
    if (scenario, preview) not in _RUNS:
        _RUNS[scenario, preview] = run_program(SCENARIOS[scenario](), preview=preview)
    return _RUNS[scenario, preview]


def verdict(entries) -> list[tuple[str, str, str, str]]:
    return sorted((e["policy"], e["enforcement"], e["resource"], e["message"]) for e in entries)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_pack_over_the_analyzer_protocol_reports_the_renders_verdict(pack, scenario):
    config = SCENARIOS[scenario]()
    stack_policy = PROJECT_DIR / "policy" / "config" / f"{config.stack}.json"
    verdicts = {}
    # `up` (everything known) for the checked-in stacks; each mutation's own value is known at preview.
    for preview in (True, False) if scenario in ("dev", "prod") else (True,):
        result = run(scenario, preview)
        pack.configure(config.project, config.stack, preview, load_policy_config(stack_policy))
        found = [vars(f) for f in pack.analyze(result.resources)]
        rendered = evaluate(result, policy_config(config.stack))
        assert verdict(found) == verdict(rendered), f"preview={preview}"
        verdicts[preview] = rendered
    preview_mandatory = {v for v in verdict(verdicts[True]) if v[1] == "mandatory"}
    if scenario in EXPECTED_MANDATORY:
        # Each mistake is caught at preview already (its value is the stack's own), and nothing else.
        assert {v[0] for v in preview_mandatory} == EXPECTED_MANDATORY[scenario]
    else:
        # Unknowns never produce a violation the render with everything known would not report.
        up_mandatory = {v for v in verdict(verdicts[False]) if v[1] == "mandatory"}
        assert preview_mandatory <= up_mandatory and up_mandatory == set()
    assert pack.engine.logs == [] or all("error" not in log.lower() for log in pack.engine.logs)


def test_a_rule_whose_value_is_unknown_waits_and_no_other_rule_does(pack):
    result = run("prod", preview=True)
    undecided = {
        (v["policy"], v["resource"])
        for v in evaluate(result, policy_config("prod"))
        if v["message"].startswith("cannot")
    }
    # The KMS key is created in the same stack: its ARN is unknown at the first preview. So is the VPC the Load
    # Balancer Controller's policy is limited to: that one policy is judged at `pulumi up`, the others now.
    assert undecided == {
        ("eks-secrets-encryption", "aws:eks/cluster:Cluster::cluster-eksCluster"),
        (
            "iam-autoscaling-writes-tag-scoped",
            "aws:iam/rolePolicy:RolePolicy::aws-load-balancer-controller-role-inline",
        ),
    }
    decided = evaluate(run_program(load_stack_config("prod")), policy_config("prod"))
    assert [v for v in decided if v["policy"] in {policy for policy, _ in undecided}] == []


def test_the_pack_reports_its_version_and_whole_numbers():
    # Python packs report 0.0.1 over the protocol; the CLI takes the version from PulumiPolicy.yaml.
    assert re.match(
        r"^\d+\.\d+\.\d+$", str(yaml.safe_load((PROJECT_DIR / "policy" / "PulumiPolicy.yaml").read_text())["version"])
    )
    from policy.rules import RULES, violations

    (imdsv2,) = [r for r in RULES if r.name == "node-imdsv2-hop-limit-1"]
    (message,) = violations(
        imdsv2,
        imdsv2.resource_types[0],
        {"metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 2.0}},
        {},
    )
    assert "hop limit is 2;" in message
