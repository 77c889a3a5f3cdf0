"""What eksctl does where a ClusterConfig is silent, so that an import creates the cluster eksctl
would have created.

Read from eksctl-io/eksctl (main, 2026-08) and its user guide; each value names its source.
Where eksctl's "default" is to leave a protection off (no control-plane logs, no envelope
encryption key) the platform's own default stays and the import says so in a note.
"""

from __future__ import annotations

# pkg/apis/eksctl.io/v1alpha5/types.go: DefaultVersion = Version1_34.
KUBERNETES_VERSION = "1.34"

# pkg/apis/eksctl.io/v1alpha5/types.go: DefaultNodeType = "m5.large" (applied to a managed node
# group without instanceType, instanceTypes or instanceSelector in pkg/eks/nodegroup_service.go).
INSTANCE_TYPE = "m5.large"

# types.go: DefaultNodeCount = 2, DefaultMaxSize = 1; how they combine is node_group_sizes below.
NODE_COUNT = 2
MAX_SIZE_WHEN_ZERO = 1

# types.go: DefaultNodeVolumeSize = 80 (GiB), DefaultNodeVolumeType = gp3.
VOLUME_SIZE = 80

# defaults.go: DefaultNodeImageFamily = NodeImageFamilyAmazonLinux2023 for every Kubernetes version.
AMI_FAMILY = "AmazonLinux2023"

# vpc.go: DefaultCIDR() = 192.168.0.0/16; ClusterNATDefault = ClusterSingleNAT.
# User guide, "VPC Configuration": "The default VPC CIDR used by eksctl is 192.168.0.0/16 ...
# The initial nodegroup is created in public subnets."
VPC_CIDR = "192.168.0.0/16"
NAT_GATEWAY = "Single"

# pkg/az/az.go: RecommendedAvailabilityZones (3) zones picked at random, MinRequiredAvailabilityZones
# (2) in us-east-1.
AVAILABILITY_ZONES = 3
AVAILABILITY_ZONES_US_EAST_1 = 2

# defaults.go ClusterEndpointAccessDefaults: public on, private off.
ENDPOINT_PUBLIC_ACCESS = True
ENDPOINT_PRIVATE_ACCESS = False

# types.go: DefaultSupportType = SupportTypeExtended; pkg/cfn/builder/cluster.go sends an UpgradePolicy only
# when supportType is set, and EKS's own default is EXTENDED (EKS API UpgradePolicyRequest).
SUPPORT_TYPE = "EXTENDED"

# defaults.go getDefaultAuthenticationMode: API_AND_CONFIG_MAP outside Outposts.
AUTHENTICATION_MODE = "API_AND_CONFIG_MAP"

# known_addons.go: the add-ons eksctl installs when `addons` does not name them (IsDefault).
DEFAULT_ADDONS = ("vpc-cni", "kube-proxy", "coredns", "metrics-server")

# cloudwatch.go: "all" and "*" in enableTypes mean every log type.
LOG_TYPE_WILDCARDS = ("all", "*")
ALL_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")

# The labels eksctl puts on every node (defaults.go setDefaultNodeLabels).
NODE_LABELS = ("alpha.eksctl.io/cluster-name", "alpha.eksctl.io/nodegroup-name")


def availability_zones(region: str | None) -> int:
    return AVAILABILITY_ZONES_US_EAST_1 if region == "us-east-1" else AVAILABILITY_ZONES


def node_group_sizes(min_size: int | None, max_size: int | None, desired: int | None) -> tuple[int, int, int]:
    """(minSize, maxSize, desiredCapacity) as eksctl completes them for a managed node group
    (validation.go, ValidateManagedNodeGroup): min from desired else 2; max from desired else
    min (at least 1); desired from min."""
    if min_size is None:
        min_size = desired if desired is not None else NODE_COUNT
    if max_size is None:
        max_size = desired if desired is not None else min_size
        if max_size == 0:
            max_size = MAX_SIZE_WHEN_ZERO
    if desired is None:
        desired = min_size
    return min_size, max_size, desired
