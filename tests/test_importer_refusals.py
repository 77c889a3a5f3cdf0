"""What the importer leaves behind, one row per reason: the eksctl field is named with its path,
the reason says what the platform does instead, and the rest of the file is still imported.

Also: values that change nothing here pass silently, notes for what the platform does anyway,
and a check that every reason the importer can give has a row here.
"""

from __future__ import annotations

import pytest

from importer import import_cluster_config, refusals
from tests.importing import cluster, group, run

ARN = "arn:aws:iam::111122223333:role/x"
ADDON = {"name": "coredns"}

# (eksctl input, the path left behind, a fragment of the reason)
LEFT_BEHIND = [
    # compute the platform does not run
    (cluster(nodeGroups=[{"name": "legacy", "instanceType": "m5.large"}]), "nodeGroups[0]",
     'self-managed node group "legacy"'),
    (cluster(fargateProfiles=[{"name": "fp", "selectors": [{"namespace": "default"}]}]), "fargateProfiles[0]",
     'Fargate profile "fp"'),
    (cluster(karpenter={"version": "1.2.0"}), "karpenter", "Karpenter"),
    (cluster(outpost={"controlPlaneOutpostARN": "arn:aws:outposts:eu-west-1:111122223333:outpost/op-1"}), "outpost",
     "Outposts"),
    (cluster(remoteNetworkConfig={"remoteNodeNetworks": [{"cidrs": ["10.80.0.0/16"]}]}), "remoteNetworkConfig",
     "Hybrid Nodes"),
    (cluster(autoModeConfig={"enabled": True}), "autoModeConfig", "Auto Mode"),
    (cluster(iam={"fargatePodExecutionRoleARN": ARN}), "iam.fargatePodExecutionRoleARN", "Fargate"),
    (group(outpostARN="arn:aws:outposts:eu-west-1:111122223333:outpost/op-1"), "managedNodeGroups[0].outpostARN",
     "Outposts"),
    # networking
    (cluster(availabilityZones=["eu-west-1a", "eu-west-1c"]), "availabilityZones", "only the count is carried"),
    (cluster(vpc={"subnets": {"private": {"eu-west-1a": {"cidr": "192.168.0.0/19"}}}}),
     "vpc.subnets.private.eu-west-1a", "subnet given by zone or CIDR"),
    (cluster(vpc={"nat": {"gateway": "Disable"}}), "vpc.nat.gateway", "always get a NAT gateway"),
    (cluster(localZones=["eu-west-1-mad-1a"]), "localZones", "Local Zones"),
    (cluster(privateCluster={"enabled": True}), "privateCluster", "fully private cluster"),
    (cluster(kubernetesNetworkConfig={"ipFamily": "IPv6"}), "kubernetesNetworkConfig.ipFamily", "IPv6"),
    (cluster(kubernetesNetworkConfig={"serviceIPv4CIDR": "10.96.0.0/12"}),
     "kubernetesNetworkConfig.serviceIPv4CIDR", "Service CIDR"),
    (cluster(vpc={"securityGroup": "sg-0123456789abcdef0"}), "vpc.securityGroup", "control plane security group"),
    (cluster(vpc={"sharedNodeSecurityGroup": "sg-0123456789abcdef0"}), "vpc.sharedNodeSecurityGroup",
     "existing node security group"),
    (cluster(vpc={"extraCIDRs": ["100.64.0.0/16"]}), "vpc.extraCIDRs", "secondary VPC CIDRs"),
    (cluster(vpc={"autoAllocateIPv6": True}), "vpc.autoAllocateIPv6", "IPv6"),
    (cluster(vpc={"hostnameType": "resource-name"}), "vpc.hostnameType", "hostname type"),
    (cluster(vpc={"controlPlaneSubnetIDs": ["subnet-0aaaaaaaaaaaaaaa1"]}), "vpc.controlPlaneSubnetIDs",
     "control plane subnets"),
    (cluster(vpc={"controlPlaneSecurityGroupIDs": ["sg-0123456789abcdef0"]}), "vpc.controlPlaneSecurityGroupIDs",
     "extra control plane security groups"),
    (cluster(vpc={"controlPlaneOnPrivateSubnets": True}), "vpc.controlPlaneOnPrivateSubnets", "control plane ENIs"),
    (cluster(vpc={"controlPlaneEgressMode": "CUSTOMER_ROUTED"}), "vpc.controlPlaneEgressMode", "egress routing"),
    (group(securityGroups={"attachIDs": ["sg-0123456789abcdef0"]}), "managedNodeGroups[0].securityGroups.attachIDs",
     "extra node security groups"),
    (group(securityGroups={"withShared": True}), "managedNodeGroups[0].securityGroups.withShared",
     "shared node security group"),
    (group(securityGroups={"withLocal": True}), "managedNodeGroups[0].securityGroups.withLocal",
     "per-group security group"),
    # node group settings
    (group(ami="ami-0123456789abcdef0"), "managedNodeGroups[0].ami", "custom AMI"),
    (group(amiFamily="Ubuntu2404"), "managedNodeGroups[0].amiFamily", "Ubuntu nodes"),
    (group(amiFamily="WindowsServer2022CoreContainer"), "managedNodeGroups[0].amiFamily", "Windows nodes"),
    (group(amiFamily="BottlerocketFips"), "managedNodeGroups[0].amiFamily", "FIPS Bottlerocket nodes"),
    (group(availabilityZones=["eu-west-1a"]), "managedNodeGroups[0].availabilityZones", "per-group zones"),
    (group(subnets=["subnet-0aaaaaaaaaaaaaaa1"]), "managedNodeGroups[0].subnets", "per-group subnets"),
    (group(instancePrefix="shop"), "managedNodeGroups[0].instancePrefix", "instance naming"),
    (group(maxPodsPerNode=110), "managedNodeGroups[0].maxPodsPerNode", "max pods"),
    (group(asgSuspendProcesses=["AZRebalance"]), "managedNodeGroups[0].asgSuspendProcesses", "Auto Scaling group"),
    (group(volumeName="/dev/xvdb"), "managedNodeGroups[0].volumeName", "device name"),
    (group(volumeKmsKeyID="k"), "managedNodeGroups[0].volumeKmsKeyID", "customer KMS key"),
    (group(volumeType="io2"), "managedNodeGroups[0].volumeType", "gp3"),
    (group(volumeIOPS=6000), "managedNodeGroups[0].volumeIOPS", "IOPS"),
    (group(volumeThroughput=500), "managedNodeGroups[0].volumeThroughput", "throughput"),
    (group(additionalVolumes=[{"volumeName": "/dev/sdb"}]), "managedNodeGroups[0].additionalVolumes", "extra volumes"),
    (group(preBootstrapCommands=["echo hi"]), "managedNodeGroups[0].preBootstrapCommands", "custom user data"),
    (group(overrideBootstrapCommand="/etc/eks/bootstrap.sh"), "managedNodeGroups[0].overrideBootstrapCommand",
     "custom user data"),
    (group(placement={"groupName": "pg"}), "managedNodeGroups[0].placement", "placement group"),
    (group(bottlerocket={"settings": {"motd": "hi"}}), "managedNodeGroups[0].bottlerocket", "Bottlerocket settings"),
    (group(capacityReservation={"capacityReservationPreference": "open"}),
     "managedNodeGroups[0].capacityReservation", "capacity reservations"),
    (group(instanceMarketOptions={"marketType": "capacity-block"}), "managedNodeGroups[0].instanceMarketOptions",
     "capacity blocks"),
    (group(launchTemplate={"id": "lt-0123456789abcdef0"}), "managedNodeGroups[0].launchTemplate",
     "existing launch template"),
    (group(releaseVersion="1.34.0-20260801"), "managedNodeGroups[0].releaseVersion", "AMI release pin"),
    (group(instanceSelector={"vCPUs": 2, "memory": "4"}), "managedNodeGroups[0].instanceSelector",
     "instance selector"),
    (group(ebsOptimized=False), "managedNodeGroups[0].ebsOptimized", "EBS optimization off"),
    (group(efaEnabled=True), "managedNodeGroups[0].efaEnabled", "Elastic Fabric Adapter"),
    (group(enableDetailedMonitoring=True), "managedNodeGroups[0].enableDetailedMonitoring", "detailed EC2 monitoring"),
    (group(nodeRepairConfig={"enabled": True, "nodeRepairConfigOverrides": [{"repairAction": "Reboot"}]}),
     "managedNodeGroups[0].nodeRepairConfig.nodeRepairConfigOverrides", "per-condition repair overrides"),
    (group(updateConfig={"maxUnavailablePercentage": 33}), "managedNodeGroups[0].updateConfig.maxUnavailablePercentage",
     "percentage"),
    (group(ssh={"allow": True}), "managedNodeGroups[0].ssh.allow", "SSM Session Manager"),
    (group(ssh={"publicKeyName": "ops"}), "managedNodeGroups[0].ssh.publicKeyName", "SSH keys"),
    (group(ssh={"sourceSecurityGroupIds": ["sg-0123456789abcdef0"]}), "managedNodeGroups[0].ssh.sourceSecurityGroupIds",
     "SSH source security groups"),
    # IAM and identities
    (group(iam={"attachPolicyARNs": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]}),
     "managedNodeGroups[0].iam.attachPolicyARNs", "creates each group's node role"),
    (group(iam={"instanceRoleARN": ARN}), "managedNodeGroups[0].iam.instanceRoleARN", "creates each group's node role"),
    (group(iam={"instanceRolePermissionsBoundary": ARN}), "managedNodeGroups[0].iam.instanceRolePermissionsBoundary",
     "boundary on the node role"),
    (cluster(iam={"serviceAccounts": [{"metadata": {"name": "s3-reader", "namespace": "shop"}}]}),
     "iam.serviceAccounts[0]", "shop/s3-reader (IRSA)"),
    (cluster(iam={"serviceRoleARN": ARN}), "iam.serviceRoleARN", "existing cluster role"),
    (cluster(iam={"serviceRolePermissionsBoundary": ARN}), "iam.serviceRolePermissionsBoundary",
     "boundary on the cluster role"),
    (cluster(iam={"vpcResourceControllerPolicy": False}), "iam.vpcResourceControllerPolicy",
     "AmazonEKSVPCResourceController"),
    (cluster(identityProviders=[{"type": "oidc", "name": "okta"}]), "identityProviders", "OIDC identity providers"),
    (cluster(iamIdentityMappings=[{"account": "111122223333"}]), "iamIdentityMappings[0].account", "account mapping"),
    (cluster(iamIdentityMappings=[{"serviceName": "emr-containers", "namespace": "spark"}]),
     "iamIdentityMappings[0].serviceName", "service mapping"),
    (cluster(accessConfig={"bootstrapClusterCreatorAdminPermissions": False}),
     "accessConfig.bootstrapClusterCreatorAdminPermissions", "cluster admin"),
    (cluster(accessConfig={"accessEntries": [{"principalARN": ARN, "type": "EC2_LINUX"}]}),
     "accessConfig.accessEntries[0]", "access entry of type EC2_LINUX"),
    (cluster(addons=[{**ADDON, "serviceAccountRoleARN": ARN}]), "addons[0].serviceAccountRoleARN", "add-on IAM role"),
    (cluster(addons=[{**ADDON, "attachPolicyARNs": [ARN]}]), "addons[0].attachPolicyARNs", "add-on IAM policies"),
    # add-ons and software
    (cluster(addons=[{"name": "kube-state-metrics"}]), "addons[0]", "install kube-state-metrics from its own pipeline"),
    (cluster(addons=[{"name": "external-dns"}]), "addons[0]", "set enabled: true and hostedZoneIds"),
    (cluster(addons=[{"name": "cert-manager", "configurationValues": '{"replicaCount": 2}'}]),
     "addons[0].configurationValues", "cert-manager's configuration"),
    (cluster(addons=[{**ADDON, "tags": {"a": "b"}}]), "addons[0].tags", "add-on tags"),
    (cluster(addons=[{**ADDON, "resolveConflicts": "overwrite"}]), "addons[0].resolveConflicts", "conflict resolution"),
    (cluster(addons=[{**ADDON, "namespaceConfig": {"namespace": "dns"}}]), "addons[0].namespaceConfig",
     "add-on namespace"),
    (cluster(addonsConfig={"disableDefaultAddons": True}), "addonsConfig.disableDefaultAddons", "always installs"),
    (cluster(gitops={"flux": {"gitProvider": "github"}}), "gitops", "Flux"),
    (cluster(capabilities=[{"name": "argocd", "type": "ARGOCD"}]), "capabilities", "EKS capabilities"),
    # control plane
    (cluster(kubeAPIServerConfig={"eventTTL": "2h"}), "kubeAPIServerConfig", "control plane component settings"),
    (cluster(kubeSchedulerConfig={"nodeResourcesFit": {}}, kubeControllerManagerConfig={"a": 1}),
     "kubeControllerManagerConfig", "control plane component settings"),
    (cluster(metadata={"forceUpdateVersion": True}), "metadata.forceUpdateVersion", "upgrade flag"),
    (cluster(metadata={"rollbackConfig": {"timeoutMinutes": 120}}), "metadata.rollbackConfig", "rollback"),
    (cluster(cloudWatch={"clusterLogging": {"enableTypes": ["api"], "logRetentionInDays": 30}}),
     "cloudWatch.clusterLogging.logRetentionInDays", "log retention"),
    # Pod Identity: the platform's own controllers only
    (cluster(iam={"podIdentityAssociations": [{"namespace": "shop", "serviceAccountName": "s3"}]}),
     "iam.podIdentityAssociations[0]", "Pod Identity association shop/s3: the platform makes them for its own"),
    (cluster(addons=[{**ADDON, "podIdentityAssociations": [{"serviceAccountName": "x"}]}]),
     "addons[0].podIdentityAssociations", "their roles through EKS Pod Identity itself"),
    # unknown to the importer (a field of a newer eksctl, or a typo eksctl itself would refuse)
    (group(minSzie=3), "managedNodeGroups[0].minSzie", "did you mean minSize?"),
    (cluster(newFeature={"on": True}), "newFeature", "not a field this importer knows"),
]  # fmt: skip

ADDON_POLICIES = [
    ("imageBuilder", "Image Builder"),
    ("externalDNS", "limited to the Route 53 hosted zones listed in hostedZoneIds"),
    ("appMesh", "App Mesh"),
    ("appMeshPreview", "App Mesh"),
    ("xRay", "X-Ray"),
    ("cloudWatch", "CloudWatch agents"),
    ("fsx", "FSx CSI driver"),
    ("efs", "EFS CSI driver"),
]
LEFT_BEHIND += [
    (group(iam={"withAddonPolicies": {key: True}}), f"managedNodeGroups[0].iam.withAddonPolicies.{key}", what)
    for key, what in ADDON_POLICIES
]


@pytest.mark.parametrize(("document", "path", "fragment"), LEFT_BEHIND, ids=[row[1] for row in LEFT_BEHIND])
def test_a_field_that_cannot_be_carried_is_named_with_its_reason(document, path, fragment):
    imported = run(document)
    assert path in imported.left_behind, f"{path} not left behind; left behind: {list(imported.left_behind)}"
    assert fragment in imported.left_behind[path]
    # The rest of the file is still imported, and the stack still loads.
    assert imported.problems == []
    assert imported.config["eks-platform:nodeGroups"][0]["name"] == "general"


def test_every_reason_the_importer_gives_has_a_row():
    given = {item.reason for document, _, _ in LEFT_BEHIND for item in import_cluster_config(document).left_behind}
    tables = [value for value in vars(refusals).values() if isinstance(value, dict)]
    reasons = {r.reason for table in tables for r in table.values() if isinstance(r, refusals.Refusal)}
    untested = {reason for reason in reasons if reason and not any(reason in text for text in given)}
    notes = {r.reason for table in tables for r in table.values() if isinstance(r, refusals.Refusal) and r.note}
    assert untested <= notes, f"reasons without a row in LEFT_BEHIND: {sorted(untested - notes)}"


# Values that change nothing here: nothing is left behind, no note.
HARMLESS = [
    group(ssh={"allow": False}),
    group(volumeType="gp3", volumeIOPS=3000, volumeThroughput=125, volumeEncrypted=True),
    group(disableIMDSv1=True, disablePodIMDS=True, ebsOptimized=True, efaEnabled=False, propagateASGTags=False),
    group(iam={"withAddonPolicies": {"externalDNS": False}}),
    cluster(kubernetesNetworkConfig={"ipFamily": "IPv4"}, privateCluster={"enabled": False}),
    cluster(autoModeConfig={"enabled": False}),
    cluster(accessConfig={"bootstrapClusterCreatorAdminPermissions": True}),
    cluster(accessConfig={"accessEntries": [{"principalARN": ARN, "type": "STANDARD"}]}),
    cluster(addonsConfig={"disableDefaultAddons": False}, vpc={"controlPlaneEgressMode": "AWS_MANAGED"}),
    cluster(fargateProfiles=[], nodeGroups=[], iam={"serviceAccounts": []}),
]


@pytest.mark.parametrize("document", HARMLESS)
def test_a_value_that_changes_nothing_passes_silently(document):
    imported = run(document)
    assert imported.problems == [] and imported.left_behind == {}
    assert all(path in ("cloudWatch.clusterLogging.enableTypes", "secretsEncryption.keyARN", "managedNodeGroups",
                        "addons", "managedNodeGroups[0].nodeRepairConfig.enabled")
               for path in imported.notes), imported.notes  # fmt: skip


EXISTING_VPC = cluster(
    vpc={
        "id": "vpc-0123456789abcdef0",
        "cidr": "10.0.0.0/16",
        "nat": {"gateway": "Single"},
        "subnets": {"private": {"a": {"id": "subnet-0aaaaaaaaaaaaaaa1"}, "b": {"id": "subnet-0aaaaaaaaaaaaaaa2"}}},
    },
    availabilityZones=["eu-west-1a", "eu-west-1b"],
)

# What the platform does anyway, or differently from eksctl's silent default: a note, not a field left behind.
NOTES = [
    (cluster(iam={"withOIDC": True}), "iam.withOIDC", "always creates the cluster's IAM OIDC provider"),
    (cluster(metadata={"annotations": {"owner": "shop"}}), "metadata.annotations", "eksctl itself ignores"),
    (group(volumeEncrypted=False), "managedNodeGroups[0].volumeEncrypted", "always encrypted"),
    (group(disableIMDSv1=False), "managedNodeGroups[0].disableIMDSv1", "always require IMDSv2"),
    (group(disablePodIMDS=False), "managedNodeGroups[0].disablePodIMDS", "pods cannot reach instance metadata"),
    (group(ssh={"enableSsm": True}), "managedNodeGroups[0].ssh.enableSsm", "always allowed"),
    (group(iam={"withAddonPolicies": {"ebs": True}}), "managedNodeGroups[0].iam.withAddonPolicies.ebs",
     "its own IAM role"),
    (cluster(secretsEncryption={"keyARN": "arn:aws:kms:eu-west-1:111122223333:key/k"}), "secretsEncryption.keyARN",
     "arn:aws:kms:eu-west-1:111122223333:key/k is not used"),
    (cluster(), "secretsEncryption.keyARN", "eksctl would add no KMS envelope encryption"),
    (cluster(), "cloudWatch.clusterLogging.enableTypes", "eksctl would turn on no control-plane logs"),
    (cluster(), "managedNodeGroups[0].nodeRepairConfig.enabled", "platform's default (node auto repair on"),
    (group(iam={"withAddonPolicies": {"awsLoadBalancerController": True}}),
     "managedNodeGroups[0].iam.withAddonPolicies.awsLoadBalancerController", "not a policy on the node role"),
    (group(iam={"withAddonPolicies": {"certManager": True}}), "managedNodeGroups[0].iam.withAddonPolicies.certManager",
     "certManager.hostedZoneIds"),
    (cluster(addons=[{"name": "cert-manager"}]), "addons[0]", "certManager.hostedZoneIds"),
    (cluster(), "managedNodeGroups", "alpha.eksctl.io/nodegroup-name"),
    (cluster(iamIdentityMappings=[{"arn": ARN, "username": "x"}]), "iamIdentityMappings[*].noDuplicateARNs",
     "keeps the platform's default"),
    (cluster(iamIdentityMappings=[{"arn": ARN, "username": "x", "noDuplicateARNs": True},
                                  {"arn": ARN + "2", "username": "y"}]),
     "iamIdentityMappings[*].noDuplicateARNs", "set on some mappings only"),
    (cluster(addonsConfig={"autoApplyPodIdentityAssociations": True}), "addonsConfig.autoApplyPodIdentityAssociations",
     "their roles through EKS Pod Identity itself"),
    (group(propagateASGTags=True), "managedNodeGroups[0].propagateASGTags", "tags the Auto Scaling group"),
    (group(iam={"withAddonPolicies": {"autoScaler": True}}), "managedNodeGroups[0].iam.withAddonPolicies.autoScaler",
     "runs the Cluster Autoscaler"),
    (EXISTING_VPC, "vpc.cidr", "keeps its own CIDR"),
    (EXISTING_VPC, "vpc.nat.gateway", "creates no NAT in it"),
    (EXISTING_VPC, "availabilityZones", "zones are those of its subnets"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "path", "fragment"), NOTES, ids=[f"{i}:{row[1]}" for i, row in enumerate(NOTES)])
def test_what_the_platform_does_anyway_is_a_note(document, path, fragment):
    imported = run(document)
    assert imported.problems == []
    assert fragment in imported.notes.get(path, ""), imported.notes
    assert path not in imported.left_behind


def test_silence_is_not_noted_when_the_file_speaks():
    notes = run(
        cluster(cloudWatch={"clusterLogging": {"enableTypes": ["api"]}}, addons=[{"name": "metrics-server"}])
    ).notes
    assert "cloudWatch.clusterLogging.enableTypes" not in notes and "addons" not in notes
