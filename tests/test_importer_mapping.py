"""The importer's mapping rules, table-driven: one row per rule, the good eksctl input beside the bad.

A good row must import and load as a stack, with the expected value at its stack key; a bad row
must fail with a problem that names the eksctl field (and, when the settings layer found it, the
stack key it became) and a fragment of the message.
"""

from __future__ import annotations

import pytest

from importer import capabilities
from importer.stack_file import stack_text
from tests.importing import BASE, DELETE, FIXTURES, cluster, fixture, group, run, tainted_group

ROLE = "arn:aws:iam::111122223333:role/platform-admin"
USER = "arn:aws:iam::111122223333:user/auditor"
VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
IAM_VIEW = "arn:aws:iam::aws:policy/AmazonEKSViewPolicy"  # an IAM policy, not an EKS access policy
VPC_ID = "vpc-0123456789abcdef0"
SUBNETS = ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3")


def mapping(arn: str, **fields) -> dict:
    return {"arn": arn, "username": "someone", **fields}


def entry(**fields) -> dict:
    return {"principalARN": "arn:aws:iam::111122223333:role/dev", **fields}


def addon_policies(**policies) -> dict:
    return group(iam={"withAddonPolicies": policies})


def policy(arn: str = VIEW, **scope) -> dict:
    return {"policyARN": arn, "accessScope": scope or {"type": "cluster"}}


def patched_version(document: dict, version: str) -> dict:
    return {**document, "metadata": {**document["metadata"], "version": version}}


def patched_vpc(document: dict, vpc: dict) -> dict:
    return {**document, "vpc": vpc}


def value_at(config: dict, key: str, *path: str | int):
    value = config["aws:region" if key == "aws:region" else f"eks-platform:{key}"]
    for part in path:
        value = value[part]
    return value


# (rule, good input, stack key path, expected value, bad input, where the problem is, fragment of its message)
# An input is a ClusterConfig, or (ClusterConfig, --bind bindings).
RULES = [
    # metadata
    ("name", cluster(metadata={"name": "shop-a"}), ("cluster", "name"), "shop-a",
     cluster(metadata={"name": DELETE}), "metadata.name", "is required"),
    ("region", cluster(metadata={"region": "ap-northeast-2"}), ("aws:region",), "ap-northeast-2",
     cluster(metadata={"region": "Seoul"}), "metadata.region → aws:region", '"Seoul"'),
    ("version", cluster(metadata={"version": "1.33"}), ("cluster", "version"), "1.33",
     cluster(metadata={"version": 1.3}), "metadata.version", "quote it"),
    ("version default 1.34", BASE, ("cluster", "version"), "1.34",
     cluster(metadata={"version": "1.20"}), "metadata.version → eks-platform:cluster.version", '"1.20"'),
    ("tags", cluster(metadata={"tags": {"team": "shop"}}), ("cluster", "tags"), {"team": "shop"},
     cluster(metadata={"tags": {"aws:team": "x"}}),
     'metadata.tags["aws:team"] → eks-platform:cluster.tags["aws:team"]', "reserved by AWS"),
    # vpc
    ("vpc cidr", cluster(vpc={"cidr": "10.42.0.0/16"}), ("network", "vpcCidr"), "10.42.0.0/16",
     cluster(vpc={"cidr": "8.8.0.0/16"}), "vpc.cidr → eks-platform:network.vpcCidr", "not inside a private range"),
    ("vpc cidr default 192.168.0.0/16", BASE, ("network", "vpcCidr"), "192.168.0.0/16",
     cluster(vpc={"cidr": "10.0.0.0/12"}), "vpc.cidr → eks-platform:network.vpcCidr", "use /16 to /24"),
    ("nat HighlyAvailable", cluster(vpc={"nat": {"gateway": "HighlyAvailable"}}), ("network", "natGateways"), "perAz",
     cluster(vpc={"nat": {"gateway": "Double"}}), "vpc.nat.gateway", "HighlyAvailable, Single, Disable"),
    ("nat default Single", BASE, ("network", "natGateways"), "single",
     cluster(vpc={"nat": "Single"}), "vpc.nat", "must be a mapping"),
    ("endpoints", cluster(vpc={"clusterEndpoints": {"publicAccess": False, "privateAccess": True}}),
     ("cluster", "endpointPublicAccess"), False,
     cluster(vpc={"clusterEndpoints": {"publicAccess": False, "privateAccess": False}}),
     "vpc.clusterEndpoints.privateAccess → eks-platform:cluster.endpointPrivateAccess", "both false"),
    ("endpoint defaults: private off", BASE, ("cluster", "endpointPrivateAccess"), False,
     cluster(vpc={"clusterEndpoints": {"privateAccess": "yes"}}), "vpc.clusterEndpoints.privateAccess",
     "true or false"),
    # eksctl's privateAccess defaults to false: an allow-list then shuts the nodes out (EKS User Guide, cluster
    # endpoint access), so the good row turns the private endpoint on
    ("publicAccessCIDRs",
     cluster(vpc={"publicAccessCIDRs": ["203.0.113.0/24"], "clusterEndpoints": {"privateAccess": True}}),
     ("cluster", "publicAccessCidrs"),
     ["203.0.113.0/24"], cluster(vpc={"publicAccessCIDRs": ["10.0.0.0/8"]}),
     "vpc.publicAccessCIDRs[0] → eks-platform:cluster.publicAccessCidrs[0]", "not a public range"),
    ("existing VPC by id",
     cluster(vpc={"id": VPC_ID, "subnets": {"private": {"eu-west-1a": {"id": SUBNETS[0]}, "b": {"id": SUBNETS[1]}},
                                            "public": {"eu-west-1c": {"id": SUBNETS[2]}}}}),
     ("network",), {"vpcId": VPC_ID, "privateSubnetIds": list(SUBNETS[:2]), "publicSubnetIds": [SUBNETS[2]]},
     cluster(vpc={"subnets": {"private": {"a": {"id": SUBNETS[0]}, "b": {"id": SUBNETS[1]}}}}),
     "vpc → eks-platform:network.vpcId", "is required"),
    ("existing VPC: subnet ids",
     cluster(vpc={"id": VPC_ID, "subnets": {"private": {"a": {"id": SUBNETS[0]}, "b": {"id": SUBNETS[1]}}}}),
     ("network", "privateSubnetIds", 1), SUBNETS[1],
     cluster(vpc={"id": VPC_ID, "subnets": {"private": {"a": {"id": SUBNETS[0]}, "b": {"id": "subnet-xyz"}}}}),
     "vpc.subnets.private.b.id → eks-platform:network.privateSubnetIds[1]", "not a subnet id"),
    ("availabilityZones count", cluster(availabilityZones=["eu-west-1a", "eu-west-1b"]),
     ("network", "availabilityZones"), 2, cluster(availabilityZones=["eu-west-1a"]),
     "availabilityZones → eks-platform:network.availabilityZones", "at least 2"),
    ("availabilityZones default: 3, 2 in us-east-1", cluster(metadata={"region": "us-east-1"}),
     ("network", "availabilityZones"), 2, cluster(availabilityZones=[f"eu-west-1{z}" for z in "abcdefg"]),
     "availabilityZones → eks-platform:network.availabilityZones", "at most 6"),
    # managedNodeGroups
    ("node group name", group(name="batch"), ("nodeGroups", 0, "name"), "batch",
     group(name="1batch"), "managedNodeGroups[0].name → eks-platform:nodeGroups[0].name", "must start with a letter"),
    ("node group names unique", cluster(managedNodeGroups=[{"name": "a"}, {"name": "b"}]), ("nodeGroups", 1, "name"),
     "b", cluster(managedNodeGroups=[{"name": "a"}, {"name": "a"}]),
     "managedNodeGroups[1].name → eks-platform:nodeGroups[1].name", "already used"),
    ("instanceType", group(instanceType="m6i.large"), ("nodeGroups", 0, "instanceTypes"), ["m6i.large"],
     group(instanceType="t3.mediun"),
     "managedNodeGroups[0].instanceType → eks-platform:nodeGroups[0].instanceTypes[0]",
     "not an EC2 instance type"),
    ("instanceTypes", group(instanceType=DELETE, instanceTypes=["m6i.large", "m5.large"]),
     ("nodeGroups", 0, "instanceTypes"), ["m6i.large", "m5.large"],
     group(instanceTypes=["m6i.large"]), "managedNodeGroups[0]", "only one of them"),
    ("instance type default m5.large", group(instanceType=DELETE), ("nodeGroups", 0, "instanceTypes"), ["m5.large"],
     group(instanceType=DELETE, instanceTypes=["m7g.large", "m6i.large"]),
     "managedNodeGroups[0].instanceTypes → eks-platform:nodeGroups[0].instanceTypes", "mixes CPU architectures"),
    ("sizes", group(minSize=1, maxSize=4, desiredCapacity=2), ("nodeGroups", 0, "desiredSize"), 2,
     group(minSize=3, maxSize=2), "managedNodeGroups[0].minSize → eks-platform:nodeGroups[0].minSize",
     "greater than maxSize"),
    ("size defaults 2/2/2", BASE, ("nodeGroups", 0, "maxSize"), 2,
     group(desiredCapacity="three"), "managedNodeGroups[0].desiredCapacity", "whole number"),
    ("sizes from desiredCapacity alone", group(desiredCapacity=3), ("nodeGroups", 0, "minSize"), 3,
     group(desiredCapacity=5, maxSize=3),
     "managedNodeGroups[0].minSize (eksctl's default: desiredCapacity, else 2) → eks-platform:nodeGroups[0].minSize",
     "5 is greater than maxSize 3"),
    ("maxSize defaults to desiredCapacity", group(minSize=1, desiredCapacity=3), ("nodeGroups", 0, "maxSize"), 3,
     group(minSize=4, desiredCapacity=3), "managedNodeGroups[0].minSize → eks-platform:nodeGroups[0].minSize",
     "4 is greater than maxSize 3"),
    ("amiFamily", group(instanceType="m7g.large", amiFamily="AmazonLinux2023"), ("nodeGroups", 0, "amiType"),
     "AL2023_ARM_64_STANDARD", group(amiFamily="AmazonLinux3"), "managedNodeGroups[0].amiFamily",
     "not an eksctl AMI family"),
    ("amiFamily AmazonLinux2 needs Kubernetes <= 1.32",
     patched_version(group(amiFamily="AmazonLinux2"), "1.32"), ("nodeGroups", 0, "amiType"), "AL2_x86_64",
     group(amiFamily="AmazonLinux2"), "managedNodeGroups[0].amiFamily → eks-platform:nodeGroups[0].amiType",
     "no AMI for Kubernetes 1.34"),
    ("amiFamily for a GPU type", group(instanceType="g5.xlarge", amiFamily="Bottlerocket"),
     ("nodeGroups", 0, "amiType"), "BOTTLEROCKET_x86_64_NVIDIA", group(amiFamily=2023),
     "managedNodeGroups[0].amiFamily", "must be a string"),
    ("amiFamily default AmazonLinux2023", BASE, ("nodeGroups", 0, "amiType"), "AL2023_x86_64_STANDARD",
     group(amiFamily="amazonlinux"), "managedNodeGroups[0].amiFamily", "not an eksctl AMI family"),
    ("spot", group(spot=True, instanceType=DELETE, instanceTypes=["m5.large", "m6i.large"]),
     ("nodeGroups", 0, "capacityType"), "SPOT", group(spot="yes"), "managedNodeGroups[0].spot", "true or false"),
    ("privateNetworking", group(privateNetworking=True), ("nodeGroups", 0, "subnets"), "private",
     group(privateNetworking="true"), "managedNodeGroups[0].privateNetworking", "true or false"),
    ("privateNetworking default: public subnets", group(privateNetworking=DELETE), ("nodeGroups", 0, "subnets"),
     "public",
     patched_vpc(group(privateNetworking=DELETE),
                 {"id": VPC_ID, "subnets": {"private": {"a": {"id": SUBNETS[0]}, "b": {"id": SUBNETS[1]}}}}),
     "managedNodeGroups[0].privateNetworking (eksctl's default: false) → eks-platform:nodeGroups[0].subnets",
     "needs network.publicSubnetIds"),
    ("volumeSize", group(volumeSize=100), ("nodeGroups", 0, "diskSize"), 100,
     group(volumeSize=10), "managedNodeGroups[0].volumeSize → eks-platform:nodeGroups[0].diskSize", "at least 20"),
    ("volumeSize default 80", BASE, ("nodeGroups", 0, "diskSize"), 80,
     group(volumeSize="80Gi"), "managedNodeGroups[0].volumeSize", "whole number"),
    ("labels", group(labels={"shop.example.com/pool": "a"}), ("nodeGroups", 0, "labels"),
     {"shop.example.com/pool": "a"}, group(labels={"kubernetes.io/role": "x"}),
     'managedNodeGroups[0].labels["kubernetes.io/role"] → eks-platform:nodeGroups[0].labels["kubernetes.io/role"]',
     "reserved for Kubernetes"),
    ("label values are strings", group(labels={"tier": "1"}), ("nodeGroups", 0, "labels", "tier"), "1",
     group(labels={"tier": 1}), "managedNodeGroups[0].labels.tier", "quote it"),
    ("taints as a list", tainted_group(taints=[{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]),
     ("nodeGroups", 0, "taints"), [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}],
     group(taints=[{"key": "dedicated", "value": "db", "effect": "NoSchedul"}]),
     "managedNodeGroups[0].taints[0].effect → eks-platform:nodeGroups[0].taints[0].effect", "must be one of"),
    ("taints as a map",
     tainted_group(taints={"dedicated": "db:NoSchedule", "gpu": ":NoExecute", "spot": "PreferNoSchedule"}),
     ("nodeGroups", 0, "taints"),
     [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}, {"key": "gpu", "effect": "NoExecute"},
      {"key": "spot", "effect": "PreferNoSchedule"}],
     group(taints={"dedicated": "db:Never"}),
     "managedNodeGroups[0].taints.dedicated → eks-platform:nodeGroups[0].taints[0].effect", "must be one of"),
    ("taint map syntax", tainted_group(taints={"a": "b:NoExecute"}), ("nodeGroups", 0, "taints", 0, "value"), "b",
     group(taints={"dedicated": "db:No:Schedule"}), "managedNodeGroups[0].taints.dedicated", '"value:Effect"'),
    ("updateConfig.maxUnavailable", group(maxSize=3, updateConfig={"maxUnavailable": 2}),
     ("nodeGroups", 0, "maxUnavailable"), 2, group(updateConfig={"maxUnavailable": 3}),
     "managedNodeGroups[0].updateConfig.maxUnavailable → eks-platform:nodeGroups[0].maxUnavailable",
     "greater than maxSize"),
    ("nodeRepairConfig.enabled", group(nodeRepairConfig={"enabled": False}),
     ("nodeGroups", 0, "nodeRepairConfig", "enabled"), False, group(nodeRepairConfig={"enabled": "no"}),
     "managedNodeGroups[0].nodeRepairConfig.enabled", "true or false"),
    ("nodeRepairConfig limits", group(nodeRepairConfig={"enabled": True, "maxUnhealthyNodeThresholdCount": 2}),
     ("nodeGroups", 0, "nodeRepairConfig", "maxUnhealthyNodeThresholdCount"), 2,
     group(nodeRepairConfig={"maxParallelNodesRepairedPercentage": 150}),
     "managedNodeGroups[0].nodeRepairConfig.maxParallelNodesRepairedPercentage → "
     "eks-platform:nodeGroups[0].nodeRepairConfig.maxParallelNodesRepairedPercentage", "at most 100"),
    ("nodeRepairConfig: a count or a percentage",
     group(nodeRepairConfig={"maxParallelNodesRepairedPercentage": 50}),
     ("nodeGroups", 0, "nodeRepairConfig", "maxParallelNodesRepairedPercentage"), 50,
     group(nodeRepairConfig={"maxParallelNodesRepairedCount": 1, "maxParallelNodesRepairedPercentage": 50}),
     "managedNodeGroups[0].nodeRepairConfig.maxParallelNodesRepairedPercentage → "
     "eks-platform:nodeGroups[0].nodeRepairConfig.maxParallelNodesRepairedPercentage", "EKS takes one of them"),
    # upgradePolicy, zonalShiftConfig, controlPlaneScalingConfig
    ("upgradePolicy.supportType", cluster(upgradePolicy={"supportType": "STANDARD"}),
     ("cluster", "upgradePolicy", "supportType"), "STANDARD", cluster(upgradePolicy={"supportType": "standard"}),
     "upgradePolicy.supportType → eks-platform:cluster.upgradePolicy.supportType", '"STANDARD", "EXTENDED"'),
    ("upgradePolicy default: EKS's EXTENDED, written out", BASE, ("cluster", "upgradePolicy", "supportType"),
     "EXTENDED", cluster(upgradePolicy={"supportType": 1}), "upgradePolicy.supportType", "must be a string"),
    ("zonalShiftConfig.enabled", cluster(zonalShiftConfig={"enabled": True}),
     ("cluster", "zonalShiftConfig", "enabled"), True, cluster(zonalShiftConfig={"enabled": "yes"}),
     "zonalShiftConfig.enabled", "true or false"),
    ("controlPlaneScalingConfig.tier", cluster(controlPlaneScalingConfig={"tier": "tier-2xl"}),
     ("cluster", "controlPlaneScalingConfig", "tier"), "tier-2xl", cluster(controlPlaneScalingConfig={"tier": "2xl"}),
     "controlPlaneScalingConfig.tier → eks-platform:cluster.controlPlaneScalingConfig.tier", '"tier-xl"'),
    # iamIdentityMappings
    ("role mapping", cluster(iamIdentityMappings=[mapping(ROLE, groups=["system:masters"])]),
     ("access", "mapRoles"), [{"rolearn": ROLE, "username": "someone", "groups": ["system:masters"]}],
     cluster(iamIdentityMappings=[mapping(ROLE, groups=["shop-admins"])]),
     "iamIdentityMappings[0].groups → eks-platform:access.mapRoles[0].groups", "has no entry in access.groupBindings"),
    ("user mapping", cluster(iamIdentityMappings=[mapping(USER)]), ("access", "mapUsers", 0, "userarn"), USER,
     cluster(iamIdentityMappings=[mapping("arn:aws:iam::1111:user/auditor")]),
     "iamIdentityMappings[0].arn → eks-platform:access.mapUsers[0].userarn", "12-digit account"),
    ("--bind", (cluster(iamIdentityMappings=[mapping(ROLE, groups=["shop-admins"])]),
                {"shop-admins": {"clusterRole": "admin", "namespaces": ["shop"]}}),
     ("access", "groupBindings", "shop-admins"), {"clusterRole": "admin", "namespaces": ["shop"]},
     (cluster(iamIdentityMappings=[mapping(ROLE, groups=["shop-admins"])]),
      {"shop-admins": {"clusterRole": "Admin!"}}),
     "--bind shop-admins=Admin! → eks-platform:access.groupBindings.shop-admins.clusterRole", "ClusterRole name"),
    ("noDuplicateARNs",
     cluster(iamIdentityMappings=[mapping(ROLE, noDuplicateARNs=True), mapping(USER, noDuplicateARNs=True)]),
     ("access", "noDuplicateArns"), True,
     cluster(iamIdentityMappings=[mapping(ROLE, noDuplicateARNs=True), mapping(ROLE, username="other")]),
     "iamIdentityMappings[1] → eks-platform:access.mapRoles[1]", "maps arn:aws:iam::111122223333:role/platform-admin"),
    ("noDuplicateARNs: false allows two mappings of one ARN",
     cluster(iamIdentityMappings=[mapping(ROLE, noDuplicateARNs=False), mapping(ROLE, username="other")]),
     ("access", "noDuplicateArns"), False, cluster(iamIdentityMappings=[mapping(ROLE, noDuplicateARNs="no")]),
     "iamIdentityMappings[0].noDuplicateARNs", "true or false"),
    # accessConfig
    ("authenticationMode", cluster(accessConfig={"authenticationMode": "API"}), ("access", "authenticationMode"),
     "API", cluster(accessConfig={"authenticationMode": "CONFIGMAP"}),
     "accessConfig.authenticationMode → eks-platform:access.authenticationMode", "must be one of"),
    ("authenticationMode default", BASE, ("access", "authenticationMode"), "API_AND_CONFIG_MAP",
     cluster(accessConfig={"authenticationMode": "CONFIG_MAP", "accessEntries": [entry()]}),
     "accessConfig.accessEntries → eks-platform:access.accessEntries", "CONFIG_MAP"),
    ("access entry",
     cluster(accessConfig={"accessEntries": [
         entry(kubernetesUsername="dev", accessPolicies=[policy(type="namespace", namespaces=["shop"])])]}),
     ("access", "accessEntries", 0),
     {"principalArn": "arn:aws:iam::111122223333:role/dev", "username": "dev",
      "policies": [{"policy": VIEW, "scope": {"namespaces": ["shop"]}}]},
     cluster(accessConfig={"accessEntries": [entry(kubernetesUsername="system:admin")]}),
     "accessConfig.accessEntries[0].kubernetesUsername → eks-platform:access.accessEntries[0].username", "reserves"),
    ("access entry groups", (cluster(accessConfig={"accessEntries": [entry(kubernetesGroups=["devs"])]}),
                             {"devs": {"clusterRole": "edit"}}),
     ("access", "accessEntries", 0, "groups"), ["devs"],
     cluster(accessConfig={"accessEntries": [entry(kubernetesGroups=["devs"])]}),
     "accessConfig.accessEntries[0].kubernetesGroups → eks-platform:access.accessEntries[0].groups", "groupBindings"),
    ("access policy scope", cluster(accessConfig={"accessEntries": [entry(accessPolicies=[policy()])]}),
     ("access", "accessEntries", 0, "policies", 0, "scope"), "cluster",
     cluster(accessConfig={"accessEntries": [entry(accessPolicies=[policy(type="namespaces")])]}),
     "accessConfig.accessEntries[0].accessPolicies[0].accessScope.type", 'must be "cluster" or "namespace"'),
    ("access policy ARN", cluster(accessConfig={"accessEntries": [entry(accessPolicies=[policy()])]}),
     ("access", "accessEntries", 0, "policies", 0, "policy"), VIEW,
     cluster(accessConfig={"accessEntries": [entry(accessPolicies=[policy(IAM_VIEW)])]}),
     "accessConfig.accessEntries[0].accessPolicies[0].policyARN → eks-platform:access.accessEntries[0].policies[0]"
     ".policy", "not an EKS cluster access policy"),
    # cloudWatch, secretsEncryption
    ("log types", cluster(cloudWatch={"clusterLogging": {"enableTypes": ["api", "audit"]}}), ("cluster", "logTypes"),
     ["api", "audit"], cluster(cloudWatch={"clusterLogging": {"enableTypes": ["apiserver"]}}),
     "cloudWatch.clusterLogging.enableTypes[0] → eks-platform:cluster.logTypes[0]", "must be one of"),
    ("log types all / *", cluster(cloudWatch={"clusterLogging": {"enableTypes": ["all"]}}), ("cluster", "logTypes"),
     ["api", "audit", "authenticator", "controllerManager", "scheduler"],
     cluster(cloudWatch={"clusterLogging": {"enableTypes": "*"}}), "cloudWatch.clusterLogging.enableTypes",
     "must be a list"),
    ("secretsEncryption.keyARN", cluster(secretsEncryption={"keyARN": "arn:aws:kms:eu-west-1:111122223333:key/k"}),
     ("cluster", "secretsEncryption"), True, cluster(secretsEncryption={"keyARN": 42}), "secretsEncryption.keyARN",
     "must be a string"),
    # day-one add-ons: a node group's withAddonPolicies, and the addons eksctl installs as EKS add-ons
    ("withAddonPolicies.awsLoadBalancerController", addon_policies(awsLoadBalancerController=True),
     ("platformAddons", "awsLoadBalancerController", "enabled"), True,
     addon_policies(awsLoadBalancerController="yes"),
     "managedNodeGroups[0].iam.withAddonPolicies.awsLoadBalancerController", "true or false"),
    ("withAddonPolicies.albIngress (its older name)", addon_policies(albIngress=True),
     ("platformAddons", "awsLoadBalancerController", "enabled"), True, addon_policies(albIngress=1),
     "managedNodeGroups[0].iam.withAddonPolicies.albIngress", "true or false"),
    ("withAddonPolicies.certManager", addon_policies(certManager=True), ("platformAddons", "certManager", "enabled"),
     True, addon_policies(certManager="true"), "managedNodeGroups[0].iam.withAddonPolicies.certManager",
     "true or false"),
    ("addons: metrics-server", cluster(addons=[{"name": "metrics-server", "version": "v0.7.2-eksbuild.1"}]),
     ("platformAddons", "metricsServer"), {"enabled": True, "version": "v0.7.2-eksbuild.1"},
     cluster(addons=[{"name": "metrics-server", "version": "0.7.2"}]),
     "addons[0].version → eks-platform:platformAddons.metricsServer.version", "not an EKS add-on version"),
    ("addons: cert-manager", cluster(addons=[{"name": "cert-manager"}]), ("platformAddons", "certManager"),
     {"enabled": True}, cluster(addons=[{"name": "cert-manager", "version": "v1.17"}]),
     "addons[0].version → eks-platform:platformAddons.certManager.version", "not an EKS add-on version"),
]  # fmt: skip


def run_input(given) -> object:
    document, bindings = given if isinstance(given, tuple) else (given, None)
    return run(document, bindings)


@pytest.mark.parametrize(
    ("rule", "good", "key", "expected", "bad", "where", "fragment"), RULES, ids=[r[0] for r in RULES]
)
def test_mapping_rule(rule, good, key, expected, bad, where, fragment):
    imported = run_input(good)
    assert imported.problems == [], f"{rule}: the good input fails: {imported.problems}"
    assert value_at(imported.config, *key) == expected, rule
    failed = run_input(bad)
    matching = [p for p in failed.problems if p.startswith(f"{where}: ")]
    assert matching, f"{rule}: no problem at {where!r}; got {failed.problems}"
    assert any(fragment in p for p in matching), f"{rule}: {matching} lack {fragment!r}"


def test_every_mapped_field_imports_to_the_expected_stack(monkeypatch):
    """Golden file: the whole stack file, header included, for a ClusterConfig that uses every mapped field.
    Add-ons and group tags are checked without the platform having them (see the capability tests)."""
    monkeypatch.setattr(capabilities, "has_addons", lambda: False)
    monkeypatch.setattr(capabilities, "has_node_group_tags", lambda: False)
    bindings = {
        "shop-viewers": {"clusterRole": "view"},
        "shop-developers": {"clusterRole": "edit", "namespaces": ["shop"]},
    }
    imported = run(fixture("every-field.yaml"), bindings)
    assert imported.problems == []
    expected = (FIXTURES / "every-field.Pulumi.yaml").read_text()
    assert stack_text(imported.outcome, "every-field.yaml") == expected
    assert set(imported.left_behind) == {"managedNodeGroups[0].tags", "addons[0]", "addons[1]", "addons[2]"}


def test_the_every_field_fixture_loads_whatever_the_platform_supports_today():
    bindings = {
        "shop-viewers": {"clusterRole": "view"},
        "shop-developers": {"clusterRole": "edit", "namespaces": ["shop"]},
    }
    assert run(fixture("every-field.yaml"), bindings).problems == []


def test_with_addons_in_the_platform_managed_addons_are_carried(monkeypatch):
    monkeypatch.setattr(capabilities, "has_addons", lambda: True)
    document = cluster(addons=[
        {"name": "vpc-cni", "version": "v1.19.2-eksbuild.1", "configurationValues": '{"env": {"A": "1"}}'},
        {"name": "coredns", "version": "latest"},
        {"name": "aws-ebs-csi-driver", "configurationValues": "controller:\n  replicaCount: 3\n"},
        {"name": "metrics-server", "version": "v0.7.2-eksbuild.1"},
    ])  # fmt: skip
    outcome = run(document).outcome
    assert outcome.config["eks-platform:addons"] == {
        "vpc-cni": {"version": "v1.19.2-eksbuild.1", "configurationValues": {"env": {"A": "1"}}},
        "coredns": {},
        "aws-ebs-csi-driver": {"configurationValues": {"controller": {"replicaCount": 3}}},
    }
    assert outcome.config["eks-platform:platformAddons"] == {
        "metricsServer": {"enabled": True, "version": "v0.7.2-eksbuild.1"}
    }
    assert "EKS's default version" in {n.path: n.text for n in outcome.notes}["addons[1].version"]
    assert outcome.eksctl_path_of("eks-platform:addons.vpc-cni.version") == "addons[0].version"


@pytest.mark.parametrize(
    ("addons", "where", "fragment"),
    [
        ([{"name": "coredns", "configurationValues": "{not json"}], "addons[0].configurationValues", "JSON object"),
        ([{"name": "coredns", "configurationValues": "[1, 2]"}], "addons[0].configurationValues", "JSON object"),
        ([{"name": "coredns"}, {"name": "coredns"}], "addons[1].name", "listed twice"),
        ([{"version": "v1.0.0-eksbuild.1"}], "addons[0].name", "is required"),
    ],
)
def test_addon_input_problems(monkeypatch, addons, where, fragment):
    monkeypatch.setattr(capabilities, "has_addons", lambda: True)
    problems = run(cluster(addons=addons)).problems
    assert any(p.startswith(f"{where}: ") and fragment in p for p in problems), problems


def test_without_addons_in_the_platform_they_are_left_behind_as_not_yet(monkeypatch):
    monkeypatch.setattr(capabilities, "has_addons", lambda: False)
    imported = run(cluster(addons=[{"name": "coredns", "version": "v1.11.4-eksbuild.2"}]))
    assert imported.problems == [] and "eks-platform:addons" not in imported.config
    assert "no eks-platform:addons yet" in imported.left_behind["addons[0]"]


def test_node_group_tags_follow_the_platform(monkeypatch):
    monkeypatch.setattr(capabilities, "has_node_group_tags", lambda: True)
    outcome = run(group(tags={"owner": "shop"})).outcome
    assert outcome.config["eks-platform:nodeGroups"][0]["tags"] == {"owner": "shop"}
    monkeypatch.setattr(capabilities, "has_node_group_tags", lambda: False)
    imported = run(group(tags={"owner": "shop"}))
    assert "tags" not in imported.config["eks-platform:nodeGroups"][0]
    assert "no nodeGroups[].tags yet" in imported.left_behind["managedNodeGroups[0].tags"]


def test_the_capability_checks_ask_the_settings_layer(monkeypatch):
    from settings import loader
    from settings.model import NodeGroupConfig

    monkeypatch.setitem(loader.SECTIONS, "addons", dict)
    assert capabilities.has_addons()
    monkeypatch.delitem(loader.SECTIONS, "addons")
    assert not capabilities.has_addons()
    assert capabilities.has_node_group_tags() == ("tags" in NodeGroupConfig.model_fields)
