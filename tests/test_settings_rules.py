"""Every stack-settings rule, table-driven: one row per rule, the good input beside the bad.

A bad row names the key path the error must contain and a fragment of the message (the bad
value or what would be valid); a good row must load without error.
"""

from __future__ import annotations

import pytest

from settings import SettingsError, load_settings
from tests.conftest import ADDONS_ANYWHERE, check_rule, config_with

NG = {"name": "general"}


def ng(**fields) -> list[dict]:
    return [{**NG, **fields}]


def tainted(**fields) -> dict:
    """One node group with these fields (taints), and add-ons that tolerate them."""
    return config_with(nodeGroups=ng(**fields), addons=ADDONS_ANYWHERE)


BYO = {"vpcId": "vpc-0123456789abcdef0", "privateSubnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]}

# (rule, good config, bad config, path in the error, fragment of its message)
RULES = [
    # aws:region
    ("region required", config_with(region="eu-west-1"), config_with(region=None), "aws:region", "is required"),
    ("region syntax", config_with(region="ap-northeast-2"), config_with(region="Seoul"), "aws:region", '"Seoul"'),
    # unknown keys everywhere, with the closest known key suggested
    (
        "unknown top-level key",
        config_with(cluster={}),
        config_with(nodegroups=[]),
        "eks-platform:nodegroups",
        "did you mean 'nodeGroups'",
    ),
    (
        "unknown cluster key",
        config_with(cluster={"endpointPublicAccess": True}),
        config_with(cluster={"endpointPublicAcess": True}),
        "eks-platform:cluster.endpointPublicAcess",
        "did you mean 'endpointPublicAccess'",
    ),
    (
        "unknown node group key",
        config_with(nodeGroups=ng(minSize=1)),
        config_with(nodeGroups=ng(minSzie=1)),
        "eks-platform:nodeGroups[0].minSzie",
        "did you mean 'minSize'",
    ),
    (
        "unknown taint key",
        tainted(taints=[{"key": "a", "effect": "NoSchedule"}]),
        tainted(taints=[{"key": "a", "effect": "NoSchedule", "efect": "x"}]),
        "eks-platform:nodeGroups[0].taints[0].efect",
        "did you mean 'effect'",
    ),
    # cluster
    (
        "cluster name syntax",
        config_with(cluster={"name": "team_a-prod1"}),
        config_with(cluster={"name": "-team"}),
        "eks-platform:cluster.name",
        "must start with a letter or digit",
    ),
    (
        "cluster name length",
        config_with(cluster={"name": "c" * 100}),
        config_with(cluster={"name": "c" * 101}),
        "eks-platform:cluster.name",
        "1 to 100 characters",
    ),
    (
        "cluster version syntax",
        config_with(cluster={"version": "1.33"}),
        config_with(cluster={"version": "1.3x"}),
        "eks-platform:cluster.version",
        'like "1.35"',
    ),
    (
        "an endpoint must be on",
        config_with(cluster={"endpointPublicAccess": False, "endpointPrivateAccess": True}),
        config_with(cluster={"endpointPublicAccess": False, "endpointPrivateAccess": False}),
        "eks-platform:cluster.endpointPrivateAccess",
        "at least one",
    ),
    (
        "public CIDR syntax",
        config_with(cluster={"publicAccessCidrs": ["198.51.100.0/24"]}),
        config_with(cluster={"publicAccessCidrs": ["198.51.100.0/33"]}),
        "eks-platform:cluster.publicAccessCidrs[0]",
        "198.51.100.0/33",
    ),
    (
        "public CIDR host bits",
        config_with(cluster={"publicAccessCidrs": ["198.51.100.0/24"]}),
        config_with(cluster={"publicAccessCidrs": ["198.51.100.7/24"]}),
        "eks-platform:cluster.publicAccessCidrs[0]",
        "host bits",
    ),
    (
        "public CIDRs need the public endpoint",
        config_with(cluster={"endpointPublicAccess": False}),
        config_with(cluster={"endpointPublicAccess": False, "publicAccessCidrs": ["198.51.100.0/24"]}),
        "eks-platform:cluster.publicAccessCidrs",
        "endpointPublicAccess is false",
    ),
    # EKS User Guide, cluster endpoint access: "Without the private endpoint enabled, your public access
    # endpoint CIDR sources must include the egress sources from your VPC" (the NAT gateway's address).
    (
        "an allow-list needs the private endpoint, or nodes cannot reach the API",
        config_with(cluster={"endpointPrivateAccess": True, "publicAccessCidrs": ["198.51.100.0/24"]}),
        config_with(cluster={"endpointPrivateAccess": False, "publicAccessCidrs": ["198.51.100.0/24"]}),
        "eks-platform:cluster.endpointPrivateAccess",
        "set endpointPrivateAccess: true",
    ),
    (
        "private access off is fine with an endpoint open to all",
        config_with(cluster={"endpointPrivateAccess": False, "publicAccessCidrs": ["0.0.0.0/0"]}),
        config_with(cluster={"endpointPrivateAccess": False, "publicAccessCidrs": ["203.0.113.0/24"]}),
        "eks-platform:cluster.endpointPrivateAccess",
        "publicAccessCidrs 203.0.113.0/24:",
    ),
    (
        "private access off, no allow-list",
        config_with(cluster={"endpointPrivateAccess": False}),
        config_with(cluster={"endpointPrivateAccess": False, "publicAccessCidrs": ["203.0.113.0/24"]}),
        "eks-platform:cluster.endpointPrivateAccess",
        "never join the cluster",
    ),
    (
        "public CIDRs are public",
        config_with(cluster={"publicAccessCidrs": ["0.0.0.0/0"]}),
        config_with(cluster={"publicAccessCidrs": ["10.1.0.0/16"]}),
        "eks-platform:cluster.publicAccessCidrs[0]",
        "not a public range",
    ),
    (
        "log types known",
        config_with(cluster={"logTypes": ["api", "scheduler", "controllerManager"]}),
        config_with(cluster={"logTypes": ["api", "kubelet"]}),
        "eks-platform:cluster.logTypes[1]",
        '"controllerManager"',
    ),
    (
        "log types once",
        config_with(cluster={"logTypes": ["audit"]}),
        config_with(cluster={"logTypes": ["audit", "audit"]}),
        "eks-platform:cluster.logTypes",
        "listed 2 times",
    ),
    (
        "secretsEncryption is a boolean",
        config_with(cluster={"secretsEncryption": False}),
        config_with(cluster={"secretsEncryption": "sometimes"}),
        "eks-platform:cluster.secretsEncryption",
        "true or false",
    ),
    (
        "deletionProtection is a boolean",
        config_with(cluster={"deletionProtection": True}),
        config_with(cluster={"deletionProtection": [True]}),
        "eks-platform:cluster.deletionProtection",
        "true or false",
    ),
    (
        "tags are AWS tags",
        config_with(cluster={"tags": {"team": "platform"}}),
        config_with(cluster={"tags": {"aws:team": "platform"}}),
        'eks-platform:cluster.tags["aws:team"]',
        "reserved by AWS",
    ),
    (
        "cluster is a mapping",
        config_with(cluster={}),
        config_with(cluster="prod"),
        "eks-platform:cluster",
        "mapping",
    ),
    # network: create a VPC
    (
        "VPC CIDR private",
        config_with(network={"vpcCidr": "172.20.0.0/16"}),
        config_with(network={"vpcCidr": "11.0.0.0/16"}),
        "eks-platform:network.vpcCidr",
        "private range",
    ),
    (
        "VPC CIDR not too large",
        config_with(network={"vpcCidr": "10.0.0.0/16"}),
        config_with(network={"vpcCidr": "10.0.0.0/12"}),
        "eks-platform:network.vpcCidr",
        "/16 to /24",
    ),
    (
        "VPC CIDR not too small",
        config_with(network={"vpcCidr": "192.168.10.0/24", "availabilityZones": 5}),
        config_with(network={"vpcCidr": "192.168.10.0/25"}),
        "eks-platform:network.vpcCidr",
        "/16 to /24",
    ),
    (
        "VPC CIDR is a network address",
        config_with(network={"vpcCidr": "10.1.0.0/16"}),
        config_with(network={"vpcCidr": "10.1.0.1/16"}),
        "eks-platform:network.vpcCidr",
        "host bits",
    ),
    (
        "at least 2 AZs",
        config_with(network={"availabilityZones": 3}),
        config_with(network={"availabilityZones": 1}),
        "eks-platform:network.availabilityZones",
        "at least 2",
    ),
    (
        "at most 6 AZs (the most any region has)",
        config_with(network={"availabilityZones": 5}),
        config_with(network={"availabilityZones": 7}),
        "eks-platform:network.availabilityZones",
        "at most 6",
    ),
    # The region's own zones (AWS "Regions and Availability Zones": Seoul ap-northeast-2 has four, Osaka
    # ap-northeast-3 three; the EKS User Guide's subnet requirements refuse use1-az3 in us-east-1).
    (
        "no more AZs than the region has: Osaka has 3",
        config_with(region="ap-northeast-2", network={"availabilityZones": 4}),
        config_with(region="ap-northeast-3", network={"availabilityZones": 4}),
        "eks-platform:network.availabilityZones",
        "ap-northeast-3 offers: 3 Availability Zones EKS accepts",
    ),
    (
        "the zones are named in the error",
        config_with(region="ap-northeast-3", network={"availabilityZones": 3}),
        config_with(region="ap-northeast-3", network={"availabilityZones": 4}),
        "eks-platform:network.availabilityZones",
        "ap-northeast-3a, ap-northeast-3b, ap-northeast-3c; use at most 3",
    ),
    (
        "no AZ EKS refuses: us-east-1 has 6, EKS takes 5",
        config_with(region="us-east-1", network={"availabilityZones": 5}),
        config_with(region="us-east-1", network={"availabilityZones": 6}),
        "eks-platform:network.availabilityZones",
        "EKS refuses cluster subnets in use1-az3",
    ),
    (
        "us-west-1 offers new accounts 2 zones",
        config_with(region="us-west-1", network={"availabilityZones": 2}),
        config_with(region="us-west-1", network={"availabilityZones": 3}),
        "eks-platform:network.availabilityZones",
        "use at most 2",
    ),
    (
        "an existing VPC's zones are its subnets' (no count to check)",
        config_with(region="us-west-1", network=BYO),
        config_with(region="us-west-1", network={"availabilityZones": 3}),
        "eks-platform:network.availabilityZones",
        "us-west-1 offers",
    ),
    (
        "a region AWS does not have",
        config_with(region="ap-northeast-3"),
        config_with(region="ap-northeast-5"),
        "aws:region",
        "did you mean ap-northeast-3",
    ),
    (
        "the China and GovCloud partitions' regions are known",
        config_with(region="cn-northwest-1"),
        config_with(region="cn-northwest-2"),
        "aws:region",
        '"cn-northwest-2" is not an AWS region',
    ),
    (
        "NAT layout",
        config_with(network={"natGateways": "perAz"}),
        config_with(network={"natGateways": "perVpc"}),
        "eks-platform:network.natGateways",
        '"single", "perAz"',
    ),
    # network: bring your own
    (
        "create and existing are exclusive",
        config_with(network=BYO),
        config_with(network={**BYO, "vpcCidr": "10.0.0.0/16"}),
        "eks-platform:network.vpcCidr",
        "cannot be combined",
    ),
    (
        "existing subnets need the VPC id",
        config_with(network=BYO),
        config_with(network={"privateSubnetIds": BYO["privateSubnetIds"]}),
        "eks-platform:network.vpcId",
        "is required",
    ),
    (
        "existing VPC needs 2 private subnets",
        config_with(network=BYO),
        config_with(network={**BYO, "privateSubnetIds": ["subnet-0aaaaaaaaaaaaaaa1"]}),
        "eks-platform:network.privateSubnetIds",
        "at least 2",
    ),
    (
        "VPC id syntax",
        config_with(network=BYO),
        config_with(network={**BYO, "vpcId": "vpc-12"}),
        "eks-platform:network.vpcId",
        '"vpc-12"',
    ),
    (
        "subnet id syntax",
        config_with(network=BYO),
        config_with(network={**BYO, "privateSubnetIds": ["subnet-x", "subnet-0aaaaaaaaaaaaaaa2"]}),
        "eks-platform:network.privateSubnetIds[0]",
        '"subnet-x"',
    ),
    (
        "a subnet is private or public, once",
        config_with(network={**BYO, "publicSubnetIds": ["subnet-0bbbbbbbbbbbbbbb1"]}),
        config_with(network={**BYO, "publicSubnetIds": ["subnet-0aaaaaaaaaaaaaaa1"]}),
        "eks-platform:network.publicSubnetIds[0]",
        "already listed in privateSubnetIds",
    ),
    (
        "public node group needs public subnets",
        config_with(network={**BYO, "publicSubnetIds": ["subnet-0bbbbbbbbbbbbbbb1"]}, nodeGroups=ng(subnets="public")),
        config_with(network=BYO, nodeGroups=ng(subnets="public")),
        "eks-platform:nodeGroups[0].subnets",
        "publicSubnetIds",
    ),
    # node groups
    ("at least one node group", config_with(), config_with(nodeGroups=None), "eks-platform:nodeGroups", "at least one"),
    ("node groups not empty", config_with(), config_with(nodeGroups=[]), "eks-platform:nodeGroups", "at least one"),
    (
        "node groups are a list",
        config_with(),
        config_with(nodeGroups={"name": "general"}),
        "eks-platform:nodeGroups",
        "must be a list",
    ),
    (
        "node group name required",
        config_with(),
        config_with(nodeGroups=[{}]),
        "eks-platform:nodeGroups[0].name",
        "required",
    ),
    (
        "node group name syntax",
        config_with(nodeGroups=[{"name": "spot-2"}]),
        config_with(nodeGroups=[{"name": "spot_2"}]),
        "eks-platform:nodeGroups[0].name",
        "start with a letter",
    ),
    (
        # EKS allows 63; the AWS provider appends 26 characters to the prefix "<name>-".
        "node group name fits the name prefix",
        config_with(nodeGroups=[{"name": "n" * 36}]),
        config_with(nodeGroups=[{"name": "n" * 37}]),
        "eks-platform:nodeGroups[0].name",
        "at most 36",
    ),
    (
        "node group names unique",
        config_with(nodeGroups=[{"name": "a"}, {"name": "b"}]),
        config_with(nodeGroups=[{"name": "a"}, {"name": "A"}]),
        "eks-platform:nodeGroups[1].name",
        "already used by nodeGroups[0]",
    ),
    (
        "instance type syntax",
        config_with(nodeGroups=ng(instanceTypes=["c6i.2xlarge"])),
        config_with(nodeGroups=ng(instanceTypes=["t3medium"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        '"t3medium"',
    ),
    # Sizes a family comes in: the "Amazon EC2 instance types" specifications pages (general purpose: m5
    # is large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, metal; t3 stops at 2xlarge;
    # c5 has 9xlarge and 18xlarge, no 8xlarge; m7i's bare metal is metal-24xl and metal-48xl).
    (
        "a size the family does not come in: the nearest it does",
        config_with(nodeGroups=ng(instanceTypes=["m5.4xlarge"])),
        config_with(nodeGroups=ng(instanceTypes=["m5.3xlarge"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        '"m5.3xlarge" is not a size m5 comes in; did you mean m5.2xlarge or m5.4xlarge?',
    ),
    (
        "above the family's largest size: the largest",
        config_with(nodeGroups=ng(instanceTypes=["t3.2xlarge"])),
        config_with(nodeGroups=ng(instanceTypes=["t3.4xlarge"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        "did you mean t3.2xlarge?",
    ),
    (
        "c5 skips 8xlarge",
        config_with(nodeGroups=ng(instanceTypes=["c5.9xlarge"])),
        config_with(nodeGroups=ng(instanceTypes=["c5.8xlarge"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        "did you mean c5.4xlarge or c5.9xlarge?",
    ),
    (
        "below the smallest: m5 starts at large",
        config_with(nodeGroups=ng(instanceTypes=["m5.large"])),
        config_with(nodeGroups=ng(instanceTypes=["m5.medium"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        "did you mean m5.large?",
    ),
    (
        "bare metal in the family's own sizes",
        config_with(nodeGroups=ng(instanceTypes=["m7i.metal-24xl"])),
        config_with(nodeGroups=ng(instanceTypes=["m7i.metal"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        "did you mean m7i.metal-48xl?",
    ),
    (
        "no bare metal in a burstable family",
        config_with(nodeGroups=ng(instanceTypes=["t3.medium"])),
        config_with(nodeGroups=ng(instanceTypes=["t3.metal"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        "t3 sizes: nano, micro, small, medium, large, xlarge, 2xlarge",
    ),
    (
        "at least one instance type",
        config_with(nodeGroups=ng(instanceTypes=["t3.large"])),
        config_with(nodeGroups=ng(instanceTypes=[])),
        "eks-platform:nodeGroups[0].instanceTypes",
        "at least 1",
    ),
    (
        "one CPU architecture",
        config_with(nodeGroups=ng(instanceTypes=["m6i.large", "m5.large"])),
        config_with(nodeGroups=ng(instanceTypes=["m6i.large", "m7g.large"])),
        "eks-platform:nodeGroups[0].instanceTypes",
        "mixes CPU architectures",
    ),
    (
        "instance types match the AMI",
        config_with(nodeGroups=ng(instanceTypes=["m7g.large"], amiType="AL2023_ARM_64_STANDARD")),
        config_with(nodeGroups=ng(instanceTypes=["m7g.large"])),
        "eks-platform:nodeGroups[0].instanceTypes[0]",
        "ARM_64",
    ),
    (
        "capacity type",
        config_with(nodeGroups=ng(capacityType="SPOT", instanceTypes=["t3.medium", "t3a.medium"])),
        config_with(nodeGroups=ng(capacityType="spot")),
        "eks-platform:nodeGroups[0].capacityType",
        '"ON_DEMAND", "SPOT"',
    ),
    (
        "AMI type",
        config_with(nodeGroups=ng(amiType="BOTTLEROCKET_x86_64")),
        config_with(nodeGroups=ng(amiType="UBUNTU")),
        "eks-platform:nodeGroups[0].amiType",
        "AL2023_x86_64_STANDARD",
    ),
    (
        "AL2 AMIs end at 1.32",
        config_with(cluster={"version": "1.32"}, nodeGroups=ng(amiType="AL2_x86_64")),
        config_with(cluster={"version": "1.33"}, nodeGroups=ng(amiType="AL2_x86_64")),
        "eks-platform:nodeGroups[0].amiType",
        "no AMI for Kubernetes 1.33",
    ),
    (
        "disk size at least 20 GiB",
        config_with(nodeGroups=ng(diskSize=20)),
        config_with(nodeGroups=ng(diskSize=10)),
        "eks-platform:nodeGroups[0].diskSize",
        "10 must be at least 20",
    ),
    (
        "minSize not negative",
        config_with(nodeGroups=ng(minSize=0)),
        config_with(nodeGroups=ng(minSize=-1)),
        "eks-platform:nodeGroups[0].minSize",
        "at least 0",
    ),
    (
        "maxSize at least 1",
        config_with(nodeGroups=ng(minSize=0, maxSize=1)),
        config_with(nodeGroups=ng(minSize=0, maxSize=0)),
        "eks-platform:nodeGroups[0].maxSize",
        "at least 1",
    ),
    (
        "sizes are whole numbers",
        config_with(nodeGroups=ng(maxSize=3)),
        config_with(nodeGroups=ng(maxSize=2.5)),
        "eks-platform:nodeGroups[0].maxSize",
        "whole number",
    ),
    (
        "minSize <= maxSize",
        config_with(nodeGroups=ng(minSize=2, maxSize=2)),
        config_with(nodeGroups=ng(minSize=3, maxSize=2)),
        "eks-platform:nodeGroups[0].minSize",
        "3 is greater than maxSize 2 (need minSize <= desiredSize <= maxSize)",
    ),
    (
        "desiredSize within min..max",
        config_with(nodeGroups=ng(minSize=1, maxSize=2, desiredSize=2)),
        config_with(nodeGroups=ng(minSize=1, maxSize=2, desiredSize=3)),
        "eks-platform:nodeGroups[0].desiredSize",
        "3 is outside minSize 1 .. maxSize 2",
    ),
    (
        "label keys not in kubernetes.io",
        config_with(nodeGroups=ng(labels={"example.com/team": "a"})),
        config_with(nodeGroups=ng(labels={"node-role.kubernetes.io/worker": "a"})),
        'eks-platform:nodeGroups[0].labels["node-role.kubernetes.io/worker"]',
        "reserved for Kubernetes",
    ),
    (
        "label keys not in k8s.io",
        config_with(nodeGroups=ng(labels={"team": "a"})),
        config_with(nodeGroups=ng(labels={"k8s.io/team": "a"})),
        'eks-platform:nodeGroups[0].labels["k8s.io/team"]',
        "reserved for Kubernetes",
    ),
    (
        "label key syntax",
        config_with(nodeGroups=ng(labels={"team.example.com/owner_1": "a"})),
        config_with(nodeGroups=ng(labels={"team/": "a"})),
        'eks-platform:nodeGroups[0].labels["team/"]',
        "name part",
    ),
    (
        "label value syntax",
        config_with(nodeGroups=ng(labels={"team": "platform.core-1"})),
        config_with(nodeGroups=ng(labels={"team": "platform core"})),
        "eks-platform:nodeGroups[0].labels.team",
        '"platform core"',
    ),
    (
        "taint key is a qualified name",
        tainted(taints=[{"key": "example.com/gpu", "effect": "NoSchedule"}]),
        tainted(taints=[{"key": "gpu nodes", "effect": "NoSchedule"}]),
        "eks-platform:nodeGroups[0].taints[0].key",
        '"gpu nodes"',
    ),
    (
        "taint value is a label value",
        tainted(taints=[{"key": "gpu", "value": "true", "effect": "NoSchedule"}]),
        tainted(taints=[{"key": "gpu", "value": "-true", "effect": "NoSchedule"}]),
        "eks-platform:nodeGroups[0].taints[0].value",
        '"-true"',
    ),
    (
        "taint effect, either spelling",
        tainted(taints=[{"key": "gpu", "effect": "NO_EXECUTE"}]),
        tainted(taints=[{"key": "gpu", "effect": "Never"}]),
        "eks-platform:nodeGroups[0].taints[0].effect",
        '"NoSchedule", "PreferNoSchedule", "NoExecute"',
    ),
    (
        "taint key and effect once",
        tainted(taints=[{"key": "a", "effect": "NoSchedule"}, {"key": "a", "effect": "NoExecute"}]),
        tainted(taints=[{"key": "a", "effect": "NoSchedule"}, {"key": "a", "effect": "NO_SCHEDULE"}]),
        "eks-platform:nodeGroups[0].taints[1]",
        "one taint per key and effect",
    ),
    (
        "maxUnavailable at least 1",
        config_with(nodeGroups=ng(maxUnavailable=2, maxSize=2)),
        config_with(nodeGroups=ng(maxUnavailable=0)),
        "eks-platform:nodeGroups[0].maxUnavailable",
        "at least 1",
    ),
    (
        "maxUnavailable at most maxSize",
        config_with(nodeGroups=ng(maxUnavailable=2, maxSize=2)),
        config_with(nodeGroups=ng(maxUnavailable=3, maxSize=2)),
        "eks-platform:nodeGroups[0].maxUnavailable",
        "greater than maxSize 2",
    ),
    (
        "subnets private or public",
        config_with(nodeGroups=ng(subnets="public")),
        config_with(nodeGroups=ng(subnets="dmz")),
        "eks-platform:nodeGroups[0].subnets",
        '"private", "public"',
    ),
    (
        "ignoreScalingChanges is a boolean",
        config_with(nodeGroups=ng(ignoreScalingChanges=True)),
        config_with(nodeGroups=ng(ignoreScalingChanges="autoscaler")),
        "eks-platform:nodeGroups[0].ignoreScalingChanges",
        "true or false",
    ),
]


@pytest.mark.parametrize(("rule", "good", "bad", "path", "fragment"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule, good, bad, path, fragment):
    check_rule(rule, good, bad, path, fragment)


def test_default_cluster_name_is_checked_too():
    assert load_settings(config_with(), "eks-platform", "dev").cluster_name == "eks-platform-dev"
    with pytest.raises(SettingsError) as caught:
        load_settings(config_with(), "eks-platform", "dev.eu")
    (problem,) = caught.value.problems
    assert problem.path == "eks-platform:cluster.name"
    assert '"eks-platform-dev.eu"' in problem.message


def test_every_problem_is_reported_at_once():
    bad = config_with(
        cluster={"version": "1.99", "endpointPublicAccess": False, "endpointPrivateAccess": False},
        network={"natGateways": "many"},
        nodeGroups=[{"name": "a", "minSize": 3, "maxSize": 2}, {"name": "b", "diskSize": 1, "minSzie": 1}],
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(bad, "eks-platform", "test")
    paths = sorted(p.path for p in caught.value.problems)
    # The version is well-formed, so the cluster parses and its cross-field rule reports too.
    assert paths == [
        "eks-platform:cluster.endpointPrivateAccess",
        "eks-platform:cluster.version",
        "eks-platform:network.natGateways",
        "eks-platform:nodeGroups[0].minSize",
        "eks-platform:nodeGroups[1].diskSize",
        "eks-platform:nodeGroups[1].minSzie",
    ]
    report = str(caught.value)
    assert report.startswith("6 problems in the stack configuration (nothing was created):")
    assert all(path in report for path in paths)


def test_defaults_follow_the_design_note():
    settings = load_settings(config_with(), "eks-platform", "dev")
    (group,) = settings.node_groups
    assert group.instance_types == ("t3.medium",)
    assert (group.min_size, group.max_size, group.desired) == (1, 2, 1)
    assert (group.disk_size, group.ami_type, group.capacity_type) == (20, "AL2023_x86_64_STANDARD", "ON_DEMAND")
    cluster = settings.cluster
    assert (cluster.version, cluster.secrets_encryption, cluster.deletion_protection) == ("1.35", True, False)
    assert cluster.log_types == ("api", "audit", "authenticator")
    assert (settings.network.vpc_cidr, settings.network.availability_zones) == ("10.0.0.0/16", 2)


def test_desired_size_defaults_to_min_size():
    settings = load_settings(config_with(nodeGroups=ng(minSize=2, maxSize=5)), "eks-platform", "test")
    assert settings.node_groups[0].desired == 2


def test_taint_effects_are_normalised_to_both_spellings():
    settings = load_settings(
        config_with(nodeGroups=ng(taints=[{"key": "a", "effect": "PREFER_NO_SCHEDULE"}])), "p", "s"
    )
    (taint,) = settings.node_groups[0].taints
    assert (taint.effect, taint.eks_effect) == ("PreferNoSchedule", "PREFER_NO_SCHEDULE")


def test_settings_are_immutable():
    settings = load_settings(config_with(), "eks-platform", "test")
    with pytest.raises((AttributeError, TypeError, ValueError)):
        settings.node_groups[0].min_size = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("config", "warned", "fragment"),
    [
        (config_with(), "eks-platform:cluster.endpointPublicAccess", "0.0.0.0/0"),
        (
            config_with(cluster={"publicAccessCidrs": ["198.51.100.0/24"]}, nodeGroups=ng(capacityType="SPOT")),
            "eks-platform:nodeGroups[0].instanceTypes",
            "one instance type",
        ),
    ],
    ids=["open public endpoint", "spot with one type"],
)
def test_warnings(config, warned, fragment):
    warnings = load_settings(config, "eks-platform", "test").warnings
    assert any(w.startswith(warned) and fragment in w for w in warnings), warnings


def test_no_warnings_for_a_restricted_on_demand_cluster():
    config = config_with(cluster={"publicAccessCidrs": ["198.51.100.0/24"]})
    assert load_settings(config, "eks-platform", "test").warnings == ()


def test_a_bad_list_item_is_reported_once_at_the_item():
    with pytest.raises(SettingsError) as caught:
        load_settings(config_with(nodeGroups=ng(instanceTypes=["t3medium"])), "eks-platform", "test")
    assert [p.path for p in caught.value.problems] == ["eks-platform:nodeGroups[0].instanceTypes[0]"]
