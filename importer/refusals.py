"""Every eksctl ClusterConfig field this platform cannot carry over, grouped, with the reason.

Checked against eksctl's schema (pkg/apis/eksctl.io/v1alpha5/assets/schema.json, eksctl-io/eksctl
main of 2026-08). A field set to a value that changes nothing here (`ssh.allow: false`,
`volumeType: gp3`) passes silently; `note=True` fields lose nothing the platform does not do
anyway, so they are reported as notes and `--strict` lets them pass. Fields the mapping modules
read are not listed here; a field in neither place is reported as unknown to the importer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

COMPUTE = "Compute this platform does not run"
NODE_GROUPS = "Node group settings"
NETWORK = "Networking"
IAM = "IAM and identities"
SOFTWARE = "Add-ons and software on the cluster"
CONTROL_PLANE = "Control plane settings"
NOT_YET = "Not in this platform yet"
UNKNOWN = "Fields this importer does not know"
GROUPS = (COMPUTE, NODE_GROUPS, NETWORK, IAM, SOFTWARE, CONTROL_PLANE, NOT_YET, UNKNOWN)


def is_empty(value: Any) -> bool:
    return value is None or value is False or value in ("", [], {})


def equals(*same: Any) -> Callable[[Any], bool]:
    """Harmless when empty or one of `same` (what the platform does anyway)."""
    return lambda value: is_empty(value) or value in same


def disabled(value: Any) -> bool:
    """A `{enabled: false}` block (or none) turns nothing on."""
    return is_empty(value) or (isinstance(value, dict) and not value.get("enabled"))


@dataclass(frozen=True)
class Refusal:
    group: str
    reason: str
    harmless: Callable[[Any], bool] = is_empty
    note: bool = False


def _refused(group: str, reasons: dict[str, str]) -> dict[str, Refusal]:
    return {key: Refusal(group, reason) for key, reason in reasons.items()}


NODE_ROLE = (
    "the platform creates each group's node role itself (AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, "
    "AmazonEC2ContainerRegistryReadOnly, AmazonSSMManagedInstanceCore); give other permissions to the pods "
    "that need them (EKS Pod Identity or IRSA) instead"
)
USER_DATA = "custom user data: the platform's launch template carries none (EKS bootstraps its own AMI)"
IPV6 = "IPv6: the platform builds IPv4 VPCs and clusters"
CUSTOM_CONTROL_PLANE = "EKS control plane component settings: the platform keeps EKS's defaults"

# Top level of the ClusterConfig. nodeGroups, fargateProfiles, iam.serviceAccounts and
# iam.podIdentityAssociations are reported item by item by the mapping modules.
CLUSTER = {
    **_refused(
        COMPUTE,
        {
            "karpenter": "Karpenter: the platform scales managed node groups with the Cluster Autoscaler",
            "outpost": "AWS Outposts: the platform creates clusters in an AWS Region",
            "remoteNetworkConfig": "EKS Hybrid Nodes (remote node and pod networks): not supported here",
        },
    ),
    "autoModeConfig": Refusal(
        COMPUTE, "EKS Auto Mode: the platform runs managed node groups it defines", harmless=disabled
    ),
    "localZones": Refusal(NETWORK, "Local Zones: the platform uses Availability Zones only"),
    "privateCluster": Refusal(
        NETWORK,
        "fully private cluster (no internet egress, VPC endpoints instead): the platform's nodes reach the "
        "internet through NAT gateways; set endpointPublicAccess: false to keep the API private",
        harmless=disabled,
    ),
    "identityProviders": Refusal(
        IAM, "OIDC identity providers for people: the platform authenticates with IAM (aws-auth or access entries)"
    ),
    **_refused(
        SOFTWARE,
        {
            "gitops": "Flux bootstrap: install GitOps tooling from its own pipeline once the cluster exists",
            "capabilities": "EKS capabilities (managed Argo CD, ACK, kro): not managed here",
        },
    ),
    **_refused(
        CONTROL_PLANE,
        {
            "kubeAPIServerConfig": CUSTOM_CONTROL_PLANE,
            "kubeSchedulerConfig": CUSTOM_CONTROL_PLANE,
            "kubeControllerManagerConfig": CUSTOM_CONTROL_PLANE,
        },
    ),
}

METADATA = {
    "annotations": Refusal(CONTROL_PLANE, "annotations eksctl itself ignores; not needed", note=True),
    "forceUpdateVersion": Refusal(CONTROL_PLANE, "an eksctl upgrade flag; upgrades here are a cluster.version change"),
    "rollbackConfig": Refusal(CONTROL_PLANE, "eksctl's upgrade rollback timeout; not configurable here"),
}

KUBERNETES_NETWORK = {
    "ipFamily": Refusal(NETWORK, IPV6, harmless=lambda v: is_empty(v) or str(v).lower() == "ipv4"),
    "serviceIPv4CIDR": Refusal(NETWORK, "Service CIDR: EKS picks 10.100.0.0/16 or 172.20.0.0/16 itself"),
    "serviceIPv6CIDR": Refusal(NETWORK, IPV6),
}

CLUSTER_IAM = {
    **_refused(
        IAM,
        {
            "serviceRoleARN": "an existing cluster role: pulumi-eks creates the cluster's own role",
            "serviceRolePermissionsBoundary": "a boundary on the cluster role: not configured here",
        },
    ),
    **_refused(
        COMPUTE,
        {
            "fargatePodExecutionRoleARN": "Fargate: the platform runs pods on managed node groups only",
            "fargatePodExecutionRolePermissionsBoundary": "Fargate: the platform runs pods on managed node groups only",
        },
    ),
    "vpcResourceControllerPolicy": Refusal(
        IAM,
        "AmazonEKSVPCResourceController on the cluster role (security groups for pods): not configured here",
        harmless=lambda v: v is not False,
    ),
    "withOIDC": Refusal(
        IAM,
        "the platform always creates the cluster's IAM OIDC provider (stack output oidcProviderArn)",
        harmless=lambda v: False,
        note=True,
    ),
}

VPC = {
    **_refused(
        NETWORK,
        {
            "securityGroup": "an existing control plane security group: pulumi-eks creates the cluster's own",
            "sharedNodeSecurityGroup": "an existing node security group: pulumi-eks creates the cluster's own",
            "extraCIDRs": "secondary VPC CIDRs (custom pod networking): not configured here",
            "extraIPv6CIDRs": IPV6,
            "ipv6Cidr": IPV6,
            "ipv6Pool": IPV6,
            "hostnameType": "instance hostname type: EC2's default",
            "controlPlaneSubnetIDs": "control plane subnets: EKS gets the platform's private and public subnets",
            "controlPlaneSecurityGroupIDs": "extra control plane security groups: not configured here",
        },
    ),
    "autoAllocateIPv6": Refusal(NETWORK, IPV6),
    # Only means something with sharedNodeSecurityGroup, which is reported itself.
    "manageSharedNodeSecurityGroupRules": Refusal(NETWORK, "", harmless=lambda v: True),
    "controlPlaneOnPrivateSubnets": Refusal(
        NETWORK, "control plane ENIs in private subnets only: EKS gets both subnet kinds here"
    ),
    "controlPlaneEgressMode": Refusal(
        NETWORK, "control plane egress routing: EKS's default", harmless=equals("AWS_MANAGED")
    ),
}

MANAGED_NODE_GROUP = {
    **_refused(
        NODE_GROUPS,
        {
            "ami": "a custom AMI: the group runs the EKS-optimized AMI of its amiType",
            "availabilityZones": "per-group zones: every group spans all the cluster's zones",
            "subnets": "per-group subnets: each group uses all private (or, with privateNetworking false, public) "
            "subnets",
            "instancePrefix": "instance naming: not configurable here",
            "instanceName": "instance naming: not configurable here",
            "maxPodsPerNode": "max pods per node: the VPC CNI's default for the instance type",
            "asgSuspendProcesses": "Auto Scaling group processes: EKS manages the group",
            "volumeName": "the root volume's device name: set by the AMI",
            "volumeKmsKeyID": "a customer KMS key for node volumes: they are encrypted with the account's EBS key",
            "additionalVolumes": "extra volumes: nodes get one root volume",
            "preBootstrapCommands": USER_DATA,
            "overrideBootstrapCommand": USER_DATA,
            "placement": "a placement group: not configurable here",
            "bottlerocket": "Bottlerocket settings: the AMI's defaults",
            "capacityReservation": "capacity reservations: not configurable here",
            "instanceMarketOptions": "capacity blocks: not configurable here",
            "launchTemplate": "an existing launch template: the platform builds its own (IMDSv2, encrypted gp3)",
            "releaseVersion": "an AMI release pin: the group takes the latest release for its Kubernetes version",
            "instanceSelector": "instance selector: list instanceTypes instead",
        },
    ),
    "outpostARN": Refusal(COMPUTE, "AWS Outposts: the platform creates clusters in an AWS Region"),
    "ebsOptimized": Refusal(
        NODE_GROUPS, "EBS optimization off: instances keep their type's default", harmless=lambda v: v is not False
    ),
    "volumeType": Refusal(NODE_GROUPS, "volume type: node volumes are gp3", harmless=equals("gp3")),
    "volumeIOPS": Refusal(NODE_GROUPS, "volume IOPS: gp3's baseline 3000", harmless=equals(3000)),
    "volumeThroughput": Refusal(NODE_GROUPS, "volume throughput: gp3's baseline 125 MiB/s", harmless=equals(125)),
    "volumeEncrypted": Refusal(
        NODE_GROUPS, "node volumes are always encrypted here", harmless=lambda v: v is not False, note=True
    ),
    "disableIMDSv1": Refusal(
        NODE_GROUPS, "nodes always require IMDSv2 here (hop limit 1)", harmless=lambda v: v is not False, note=True
    ),
    "disablePodIMDS": Refusal(
        NODE_GROUPS,
        "pods cannot reach instance metadata here (IMDSv2 with hop limit 1): give them roles through EKS Pod Identity",
        harmless=lambda v: v is not False,
        note=True,
    ),
    "propagateASGTags": Refusal(
        NODE_GROUPS,
        "the platform tags the Auto Scaling group of each group that starts at zero with its labels and taints "
        "(what the Cluster Autoscaler reads); node group tags are not copied",
        harmless=lambda v: v is not True,
        note=True,
    ),
    "efaEnabled": Refusal(NODE_GROUPS, "Elastic Fabric Adapter: not configurable here"),
    "enableDetailedMonitoring": Refusal(NODE_GROUPS, "detailed EC2 monitoring: not configurable here"),
}

NODE_REPAIR = {
    "nodeRepairConfigOverrides": Refusal(
        NODE_GROUPS, "per-condition repair overrides: the group repairs with EKS's actions and wait times"
    ),
}

UPDATE_CONFIG = {
    "maxUnavailablePercentage": Refusal(NODE_GROUPS, "a percentage: the platform takes maxUnavailable as a count"),
}

NODE_GROUP_SSH = {
    **_refused(
        NODE_GROUPS,
        {
            "allow": "SSH to nodes: the platform opens no SSH port; use SSM Session Manager "
            "(aws ssm start-session), which the node role allows",
            "publicKey": "SSH keys: no SSH here; use SSM Session Manager",
            "publicKeyName": "SSH keys: no SSH here; use SSM Session Manager",
            "publicKeyPath": "SSH keys: no SSH here; use SSM Session Manager",
            "sourceSecurityGroupIds": "SSH source security groups: no SSH here",
        },
    ),
    "enableSsm": Refusal(NODE_GROUPS, "SSM Session Manager is always allowed on nodes here", note=True),
}

NODE_GROUP_IAM = _refused(
    IAM,
    {
        "attachPolicyARNs": NODE_ROLE,
        "attachPolicy": NODE_ROLE,
        "instanceRoleARN": NODE_ROLE,
        "instanceRoleName": NODE_ROLE,
        "instanceProfileARN": NODE_ROLE,
        "instanceRolePermissionsBoundary": "a boundary on the node role: not configured here",
    },
)

_ADDON_POLICY = (
    "a policy on the node role for {}: the platform does not install it; give it its own IAM role (EKS Pod Identity)"
)
ADDON_POLICIES = {
    **{
        key: Refusal(IAM, _ADDON_POLICY.format(what))
        for key, what in {
            "imageBuilder": "Image Builder",
            "appMesh": "App Mesh",
            "appMeshPreview": "App Mesh",
            "xRay": "X-Ray",
            "cloudWatch": "CloudWatch agents",
            "fsx": "the FSx CSI driver",
            "efs": "the EFS CSI driver",
        }.items()
    },
    "autoScaler": Refusal(
        IAM,
        "the platform runs the Cluster Autoscaler (autoscaling.enabled, on by default) with its own EKS Pod "
        "Identity role, not a policy on the node role",
        note=True,
    ),
    "ebs": Refusal(IAM, "the platform's EBS CSI driver has its own IAM role (EKS Pod Identity)", note=True),
}

NODE_GROUP_SECURITY_GROUPS = {
    "attachIDs": Refusal(NETWORK, "extra node security groups: the launch template uses the cluster's own"),
    "withShared": Refusal(NETWORK, "eksctl's shared node security group: not used here"),
    "withLocal": Refusal(NETWORK, "eksctl's per-group security group: not used here"),
}

CLOUDWATCH_LOGGING = {
    "logRetentionInDays": Refusal(
        CONTROL_PLANE, "log retention: EKS's log group keeps logs until you set a retention on it"
    ),
}

ACCESS_CONFIG = {
    "bootstrapClusterCreatorAdminPermissions": Refusal(
        IAM,
        "pulumi-eks always makes the identity that runs `pulumi up` a cluster admin",
        harmless=lambda v: v is not False,
    ),
}

_POD_IDENTITY = (
    "add-on Pod Identity associations: the platform gives the add-ons it runs their roles through EKS Pod "
    "Identity itself"
)
ADDON = {
    **_refused(
        IAM,
        {
            "serviceAccountRoleARN": "an add-on IAM role: the platform gives add-ons the roles they need",
            "attachPolicyARNs": "add-on IAM policies: the platform gives add-ons the roles they need",
            "attachPolicy": "add-on IAM policies: the platform gives add-ons the roles they need",
            "permissionsBoundary": "add-on IAM policies: the platform gives add-ons the roles they need",
            "wellKnownPolicies": "add-on IAM policies: the platform gives add-ons the roles they need",
        },
    ),
    "podIdentityAssociations": Refusal(IAM, _POD_IDENTITY),
    "useDefaultPodIdentityAssociations": Refusal(IAM, _POD_IDENTITY, note=True),
    **_refused(
        SOFTWARE,
        {
            "tags": "add-on tags: add-ons carry the cluster's tags",
            "resolveConflicts": "conflict resolution: the platform owns the add-on's configuration",
            "namespaceConfig": "a custom add-on namespace: add-ons run in kube-system",
        },
    ),
    # Fields of `eksctl utils describe-addon-versions`' filters; they configure nothing.
    **{key: Refusal(SOFTWARE, "", harmless=lambda v: True) for key in ("owners", "publishers", "types")},
}

ADDONS_CONFIG = {
    "disableDefaultAddons": Refusal(
        SOFTWARE, "the platform always installs vpc-cni, kube-proxy and coredns", harmless=equals(False)
    ),
    "autoApplyPodIdentityAssociations": Refusal(IAM, _POD_IDENTITY, note=True),
}

IDENTITY_MAPPING = {
    "account": Refusal(IAM, "an account mapping (aws-auth mapAccounts): map its roles or users one by one"),
    "serviceName": Refusal(IAM, "a service mapping (EMR on EKS): not supported here"),
    "namespace": Refusal(IAM, "a service mapping (EMR on EKS): not supported here"),
}
