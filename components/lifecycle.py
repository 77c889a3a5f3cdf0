"""The EKS API's values for a cluster's lifecycle settings, one table for the components' own argument
checks and the settings layer. Pure data, no imports: the settings layer reads it without Pulumi.

Source: the EKS API model (botocore data/eks/2017-11-01/service-2.json): SupportType,
ProvisionedControlPlaneTier, NodegroupUpdateStrategies.
"""

# UpgradePolicyRequest.supportType. "The default value is EXTENDED. Use STANDARD to disable extended support."
SUPPORT_TYPES = ("STANDARD", "EXTENDED")
# ControlPlaneScalingConfig.tier: "standard" is what every cluster has without EKS Provisioned Control Plane.
TIERS = ("standard", "tier-xl", "tier-2xl", "tier-4xl", "tier-8xl")
# NodegroupUpdateConfig.updateStrategy: DEFAULT launches new nodes before terminating old ones, MINIMAL
# terminates old nodes first (for capacity-constrained groups, e.g. GPUs).
UPDATE_STRATEGIES = ("DEFAULT", "MINIMAL")
