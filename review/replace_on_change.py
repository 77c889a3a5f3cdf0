"""Which input properties force Pulumi to replace a resource instead of updating it, per type token.

Read from the providers' own source: a Terraform `ForceNew`/`RequiresReplace` attribute of
terraform-provider-aws v6 (bridged into pulumi-aws 7.x) or terraform-provider-random v3, and the
forceNew table plus DiffConfig of pulumi-kubernetes 4.x. Paths are camelCase input paths as the SDK
sends them (Terraform `vpc_config.subnet_ids` -> `vpcConfig.subnetIds`; a MaxItems=1 block is an
object, not a list). A changed path replaces when it equals an entry or lies under it
("vpcConfig.subnetIds" covers "vpcConfig.subnetIds[2]"); a "*" segment matches any one key or list
index ("spec.containers.*.image" covers "spec.containers[0].image").

`conditional`: replaces (or fails) only in a case the note names; flag it for a human.
`refused`: Kubernetes only: Pulumi plans an in-place update, the API server rejects it, `pulumi up` fails.
A replaced provider (pulumi:providers:kubernetes) replaces every resource it manages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReplaceOnChange:
    properties: tuple[str, ...]  # camelCase paths; "*" in a path segment = any key
    source: str  # where it was read (provider file + commit, or doc URL)
    note: str = ""  # e.g. what is updatable in place that people fear is not
    conditional: tuple[str, ...] = ()  # replaces only in the case the note names
    refused: tuple[str, ...] = ()  # Kubernetes: planned as update, rejected by the API server


def _tf(path: str, commit: str) -> str:
    return f"terraform-provider-aws internal/service/{path} @{commit} (ForceNew)"


# terraform-provider-aws v6 adds a top-level `region` to regional resources; "Changing the value of
# `region` will force resource replacement." (website/docs/guides/enhanced-region-support.html.markdown
# @0cb788ce0d5a). IAM is global and has no `region`.
_REGION = ("region",)
_UNSEEN = "Not in the source version read (newer SDK field): treated as replace, unconfirmed: "

_K8S = "pulumi-kubernetes provider/pkg/provider/diff.go @94977969d641 (forceNew table; v4.32.0+27)"
_NAMESPACED = ("metadata.name", "metadata.namespace")
# Cluster-scoped kinds: Pulumi blanks metadata.namespace on both sides before diffing (provider.go Diff).
_CLUSTER_SCOPED = ("metadata.name",)
_ONLY_META = (
    "Only identity replaces (provider.go Diff: .metadata.name/.metadata.namespace for every kind); "
    "the rest of the object is patched in place."
)
_CONTAINER_FIELDS = (
    "args", "command", "env", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "ports", "readinessProbe",
    "resources", "securityContext", "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy",
    "tty", "volumeDevices", "volumeMounts", "workingDir",
)  # fmt: skip
_POD_SPEC_FIELDS = (
    "affinity", "automountServiceAccountToken", "dnsConfig", "dnsPolicy", "enableServiceLinks", "hostAliases",
    "hostIPC", "hostNetwork", "hostPID", "hostname", "imagePullSecrets", "nodeName", "nodeSelector", "overhead",
    "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "restartPolicy", "runtimeClassName",
    "schedulerName", "securityContext", "serviceAccount", "serviceAccountName", "shareProcessNamespace",
    "subdomain", "terminationGracePeriodSeconds", "volumes",
)  # fmt: skip
_POD = tuple(f"spec.{f}" for f in _POD_SPEC_FIELDS) + tuple(
    f"spec.{c}.*.{f}" for c in ("containers", "initContainers") for f in _CONTAINER_FIELDS
)
_POD_REFUSED = (
    "spec.tolerations", "spec.activeDeadlineSeconds", "spec.topologySpreadConstraints", "spec.schedulingGates",
    "spec.os", "spec.setHostnameAsFQDN", "spec.hostUsers", "spec.resourceClaims", "spec.resources",
    "spec.ephemeralContainers",
    *(f"spec.{c}.*.{f}" for c in ("containers", "initContainers")
      for f in ("name", "envFrom", "startupProbe", "resizePolicy", "restartPolicy")),
)  # fmt: skip

# fmt: off
REPLACE_ON_CHANGE: dict[str, ReplaceOnChange] = {
    # ---- AWS (pulumi-aws 7.51.1 = terraform-provider-aws v6) ----
    "aws:ec2/vpc:Vpc": ReplaceOnChange(
        ("cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", *_REGION), _tf("ec2/vpc_.go", "00081ce41cc6"),
        "In place: enableDnsHostnames/Support, enableNetworkAddressUsageMetrics, instanceTenancy, all ipv6*, tags.",
    ),
    "aws:ec2/subnet:Subnet": ReplaceOnChange(
        ("availabilityZone", "availabilityZoneId", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength",
         "ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn", "vpcId", *_REGION),
        _tf("ec2/vpc_subnet.go", "00cda125a19d"),
        "ipv6CidrBlock replaces only if the subnet has assignIpv6AddressOnCreation=true (CustomizeDiff "
        "ForceNewIf); otherwise re-associated in place. In place: mapPublicIpOnLaunch, tags (ELB role tags), dns*.",
        conditional=("ipv6CidrBlock",),
    ),
    "aws:ec2/internetGateway:InternetGateway": ReplaceOnChange(
        _REGION, _tf("ec2/vpc_internet_gateway.go", "08923b68b5ad"),
        "vpcId is NOT ForceNew: a change detaches and re-attaches the same gateway (brief loss of egress).",
    ),
    "aws:ec2/eip:Eip": ReplaceOnChange(
        ("address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool", *_REGION),
        _tf("ec2/ec2_eip.go", "01606926a0c0"),
        "In place: instance, networkInterface, associateWithPrivateIp (re-association), tags.",
    ),
    "aws:ec2/natGateway:NatGateway": ReplaceOnChange(
        ("allocationId", "connectivityType", "privateIp", "secondaryPrivateIpAddressCount", "subnetId", *_REGION,
         "availabilityMode", "vpcId"),
        _tf("ec2/vpc_nat_gateway.go", "04088eaa5494"),
        _UNSEEN + "availabilityMode, vpcId (regional NAT gateway fields). "
        "In place: secondaryAllocationIds, secondaryPrivateIpAddresses, tags.",
    ),
    "aws:ec2/routeTable:RouteTable": ReplaceOnChange(
        ("vpcId", *_REGION), _tf("ec2/vpc_route_table.go", "022092419b7c"),
        "In place: routes (added/replaced/deleted one by one), propagatingVgws, tags.",
    ),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ReplaceOnChange(
        ("gatewayId", "subnetId", *_REGION), _tf("ec2/vpc_route_table_association.go", "0be71beb458a"),
        "routeTableId is updated in place (ReplaceRouteTableAssociation); the association ID changes.",
    ),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ReplaceOnChange(
        ("vpcId", *_REGION), _tf("ec2/vpc_default_security_group.go", "01f431114674"),
        "Delete is a no-op (the VPC's default group is only adopted); ingress/egress/tags change in place.",
    ),
    "aws:ec2/launchTemplate:LaunchTemplate": ReplaceOnChange(
        ("name", "namePrefix", *_REGION), _tf("ec2/ec2_launch_template.go", "025e4f81cab8"),
        "Every other input makes a new template version in place; a NodeGroup pinned to launchTemplate.version "
        "then rolls its nodes (an update, not a replace).",
    ),
    "aws:ec2/securityGroupRule:SecurityGroupRule": ReplaceOnChange(
        ("cidrBlocks", "fromPort", "ipv6CidrBlocks", "prefixListIds", "protocol", "securityGroupId", "self",
         "sourceSecurityGroupId", "toPort", "type", *_REGION),
        _tf("ec2/vpc_security_group_rule.go", "0d90774d0fdd"),
        "Only description changes in place.",
    ),
    "aws:eks/cluster:Cluster": ReplaceOnChange(
        ("name", "roleArn", "bootstrapSelfManagedAddons", "accessConfig.bootstrapClusterCreatorAdminPermissions",
         "kubernetesNetworkConfig.ipFamily", "kubernetesNetworkConfig.serviceIpv4Cidr", "remoteNetworkConfig",
         "outpostConfig", *_REGION,
         "defaultAddonsToRemoves", "kubeApiServerConfig", "kubeControllerManagerConfig", "kubeSchedulerConfig"),
        _tf("eks/cluster.go", "00555dc5b38f"),
        "v6: vpcConfig.subnetIds and vpcConfig.securityGroupIds are NOT ForceNew (UpdateClusterConfig, one change "
        "at a time); also in place: version, endpoint*/publicAccessCidrs, enabledClusterLogTypes, "
        "accessConfig.authenticationMode, upgradePolicy, zonalShiftConfig, storageConfig, computeConfig, "
        "kubernetesNetworkConfig.elasticLoadBalancing, tags. encryptionConfig: removing it replaces "
        "(ForceNewIfChange), adding associates in place, changing the key has no update path. "
        "computeConfig.nodeRoleArn replaces only when an existing role changes. "
        "vpcConfig.controlPlaneEgressMode CUSTOMER_ROUTED->AWS_MANAGED replaces (SDK docstring only). "
        "outpostConfig: ForceNew fields plus no update path for the rest. " + _UNSEEN
        + "defaultAddonsToRemoves, kube*Config; forceUpdateVersion assumed in place. In place, each its own "
        "UpdateClusterConfig (cluster.go resourceClusterUpdate, v6 line as stored in the public index, a version "
        "newer than the commit above): upgradePolicy.supportType, zonalShiftConfig.enabled, "
        "controlPlaneScalingConfig.tier, deletionProtection. pulumi-eks sets ignoreChanges on "
        "bootstrapSelfManagedAddons and accessConfig.bootstrapClusterCreatorAdminPermissions.",
        conditional=("encryptionConfig", "computeConfig.nodeRoleArn", "vpcConfig.controlPlaneEgressMode"),
    ),
    "aws:eks/nodeGroup:NodeGroup": ReplaceOnChange(
        ("amiType", "capacityType", "clusterName", "diskSize", "instanceTypes", "launchTemplate.id",
         "launchTemplate.name", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "remoteAccess", "subnetIds",
         *_REGION, "warmPoolConfig"),
        _tf("eks/node_group.go", "012e0a32f068"),
        "In place: scalingConfig, labels, taints, updateConfig (maxUnavailable*, updateStrategy), nodeRepairConfig "
        "(enabled and its limits) through one UpdateNodegroupConfig (node_group.go resourceNodeGroupUpdate); "
        "version, releaseVersion, launchTemplate.version (these roll nodes), forceUpdateVersion, tags. "
        + _UNSEEN + "warmPoolConfig; updateConfig.updateStrategy and the nodeRepairConfig limits (newer than "
        "that commit, inside blocks it updates in place; no 'forces a new resource' in pulumi-aws 7.51's docs).",
    ),
    "aws:eks/addon:Addon": ReplaceOnChange(
        ("addonName", "clusterName", *_REGION, "namespaceConfig"), _tf("eks/addon.go", "00a35305dc1b"),
        "In place: addonVersion, configurationValues, serviceAccountRoleArn, podIdentityAssociations, "
        "resolveConflicts*, preserve, tags. " + _UNSEEN + "namespaceConfig.",
    ),
    "aws:eks/accessEntry:AccessEntry": ReplaceOnChange(
        ("clusterName", "principalArn", "type", *_REGION), _tf("eks/access_entry.go", "01f431114674"),
        "In place: kubernetesGroups, userName, tags.",
    ),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": ReplaceOnChange(
        ("accessScope", "clusterName", "policyArn", "principalArn", *_REGION),
        _tf("eks/access_policy_association.go", "01f431114674"),
        "No Update function: every input replaces (access briefly removed between delete and create).",
    ),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": ReplaceOnChange(
        ("clusterName", "namespace", "serviceAccount", *_REGION, "policy"),
        "terraform-provider-aws internal/service/eks/pod_identity_association.go @00a35305dc1b (RequiresReplace)",
        "In place: roleArn, targetRoleArn, disableSessionTags, tags. " + _UNSEEN + "policy.",
    ),
    "aws:iam/role:Role": ReplaceOnChange(
        ("name", "namePrefix", "path"), _tf("iam/role.go", "0040ea6911af"),
        "In place: assumeRolePolicy, description, maxSessionDuration, permissionsBoundary, inlinePolicies, "
        "managedPolicyArns, forceDetachPolicies, tags.",
    ),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ReplaceOnChange(
        ("role", "policyArn"), _tf("iam/role_policy_attachment.go", "04c79849dbe7"),
        "No Update function: both inputs replace (detach, then attach).",
    ),
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": ReplaceOnChange(
        ("roleName",),
        "terraform-provider-aws internal/service/iam/role_policy_attachments_exclusive.go @20e0a28a9480 "
        "(RequiresReplace)",
        "policyArns is synced in place (attach missing, detach extra); delete is a no-op.",
    ),
    "aws:iam/policy:Policy": ReplaceOnChange(
        ("description", "name", "namePrefix", "path"), _tf("iam/policy.go", "01ccd9a2d118"),
        "description is ForceNew (IAM has no API to change it). policy makes a new default version in place.",
    ),
    "aws:iam/rolePolicy:RolePolicy": ReplaceOnChange(
        ("name", "namePrefix", "role"), _tf("iam/role_policy.go", "02f97af85f89"),
        "policy is re-put in place.",
    ),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ReplaceOnChange(
        ("url",), _tf("iam/openid_connect_provider.go", "01606926a0c0"),
        "In place: clientIdLists, thumbprintLists, tags. A replaced provider gets a new ARN (IRSA trust policies).",
    ),
    "aws:kms/key:Key": ReplaceOnChange(
        ("customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", *_REGION),
        _tf("kms/key.go", "00a35305dc1b"),
        "In place: description, policy, enableKeyRotation, rotationPeriodInDays, isEnabled, "
        "deletionWindowInDays, bypassPolicyLockoutSafetyCheck, tags. A replace schedules the old key's deletion.",
    ),
    "aws:autoscaling/tag:Tag": ReplaceOnChange(
        ("autoscalingGroupName", "tag.key", *_REGION), _tf("autoscaling/group_tag.go", "050ac11163ca"),
        "tag.value and tag.propagateAtLaunch change in place.",
    ),
    # ---- Kubernetes (pulumi-kubernetes 4.x) ----
    "kubernetes:core/v1:Namespace": ReplaceOnChange(_CLUSTER_SCOPED, _K8S, _ONLY_META),
    "kubernetes:core/v1:ConfigMap": ReplaceOnChange(
        (*_NAMESPACED, "data", "binaryData"), _K8S,
        "data/binaryData replace by default (provider enableConfigMapMutable=false); with it true they update in "
        "place unless `immutable: true`. Named objects are deleted before the new one is created (aws-auth!). "
        "Kubernetes refuses immutable true->false.",
        refused=("immutable",),
    ),
    "kubernetes:core/v1:Secret": ReplaceOnChange(
        (*_NAMESPACED, "type", "data", "stringData"), _K8S,
        "data/stringData replace by default (enableSecretMutable=false); with it true only `type` replaces, "
        "unless `immutable: true`. Kubernetes refuses immutable true->false.",
        refused=("immutable",),
    ),
    "kubernetes:core/v1:Service": ReplaceOnChange(
        (*_NAMESPACED, "spec.clusterIP"), _K8S,
        "spec.type changes in place (allowed by the API). clusterIPs/loadBalancerClass are immutable in the API "
        "(ServiceSpec docs) but not in Pulumi's table; ipFamilies may only add/remove the secondary family.",
        conditional=("spec.ipFamilies",),
        refused=("spec.clusterIPs", "spec.loadBalancerClass"),
    ),
    "kubernetes:core/v1:ServiceAccount": ReplaceOnChange(_NAMESPACED, _K8S, _ONLY_META),
    "kubernetes:core/v1:Pod": ReplaceOnChange(
        (*_NAMESPACED, *_POD), _K8S,
        "Pulumi replaces on most spec fields, including container image. The API allows in place only image, "
        "activeDeadlineSeconds (decrease), toleration additions and schedulingGate removal; the rest is refused.",
        refused=_POD_REFUSED,
    ),
    "kubernetes:core/v1:PersistentVolumeClaim": ReplaceOnChange(
        (*_NAMESPACED, "spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"), _K8S,
        "A replaced claim loses its volume's data unless reclaimPolicy is Retain. resources.requests.storage: "
        "growth is in place if the StorageClass allows expansion, shrinking is refused. volumeAttributesClassName "
        "is mutable. The API refuses other spec changes (PVC spec is immutable after creation).",
        conditional=("spec.resources.requests",),
        refused=("spec.volumeMode", "spec.dataSource", "spec.dataSourceRef", "spec.resources.limits"),
    ),
    "kubernetes:apps/v1:Deployment": ReplaceOnChange(
        (*_NAMESPACED, "spec.selector"), _K8S,
        "spec.template changes are a rolling update, not a replace.",
    ),
    "kubernetes:apps/v1:StatefulSet": ReplaceOnChange(
        (*_NAMESPACED, "spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.selector", "spec.serviceName",
         "spec.volumeClaimTemplates"),
        _K8S,
        "The API forbids spec fields other than replicas, ordinals, template, updateStrategy, revisionHistoryLimit, "
        "persistentVolumeClaimRetentionPolicy, minReadySeconds; all it freezes are in Pulumi's table, which also "
        "has revisionHistoryLimit (mutable in the API). PVCs made from volumeClaimTemplates are not deleted.",
    ),
    "kubernetes:apps/v1:DaemonSet": ReplaceOnChange(
        (*_NAMESPACED, "spec.selector"), _K8S,
        "spec.template changes are a rolling update, not a replace.",
    ),
    "kubernetes:batch/v1:Job": ReplaceOnChange(
        (*_NAMESPACED, "spec.completions", "spec.parallelism", "spec.selector", "spec.template"), _K8S,
        "Pulumi also replaces on parallelism (mutable in the API). The API (pkg/apis/batch/validation "
        "ValidateJobSpecUpdate) further freezes the fields under `refused`. The pulumi.com/replaceUnready "
        "annotation replaces an unready Job (needs the live cluster).",
        refused=("spec.completionMode", "spec.podFailurePolicy", "spec.backoffLimitPerIndex", "spec.managedBy",
                 "spec.successPolicy"),
    ),
    "kubernetes:batch/v1:CronJob": ReplaceOnChange(
        _NAMESPACED, _K8S,
        "Not in Pulumi's forceNew table and fully mutable in the API: jobTemplate changes only affect future Jobs.",
    ),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": ReplaceOnChange(_NAMESPACED, _K8S, _ONLY_META),
    "kubernetes:networking.k8s.io/v1:Ingress": ReplaceOnChange(
        _NAMESPACED, _K8S,
        _ONLY_META + " Its load balancer is the ingress controller's: what a change does to it is in "
        "review/load_balancers.py (a new scheme, a re-created Ingress: a new load balancer).",
    ),
    "kubernetes:networking.k8s.io/v1:IngressClass": ReplaceOnChange(
        _CLUSTER_SCOPED, _K8S,
        "Not in Pulumi's forceNew table. The API refuses a new spec.controller (IngressClassSpec: \"This field is "
        "immutable\"); parameters update in place.",
        refused=("spec.controller",),
    ),
    "kubernetes:policy/v1:PodDisruptionBudget": ReplaceOnChange(
        _NAMESPACED, _K8S,
        "Pulumi's `.spec` forceNew applies to policy/v1beta1 only; policy/v1 spec updates in place.",
    ),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": ReplaceOnChange(_CLUSTER_SCOPED, _K8S, _ONLY_META),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": ReplaceOnChange(
        (*_CLUSTER_SCOPED, "roleRef"), _K8S, "roleRef is immutable in the API too; subjects update in place."
    ),
    "kubernetes:rbac.authorization.k8s.io/v1:Role": ReplaceOnChange(_NAMESPACED, _K8S, _ONLY_META),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": ReplaceOnChange(
        (*_NAMESPACED, "roleRef"), _K8S, "roleRef is immutable in the API too; subjects update in place."
    ),
    "kubernetes:storage.k8s.io/v1:StorageClass": ReplaceOnChange(
        (*_CLUSTER_SCOPED, "parameters", "provisioner"), _K8S,
        "The API (pkg/apis/storage/validation ValidateStorageClassUpdate) also forbids reclaimPolicy and "
        "volumeBindingMode changes, which Pulumi plans as updates. allowVolumeExpansion, mountOptions change "
        "in place.",
        refused=("reclaimPolicy", "volumeBindingMode"),
    ),
    # ---- Helm ----
    "kubernetes:helm.sh/v3:Release": ReplaceOnChange(
        ("name", "namespace"),
        "pulumi-kubernetes provider/pkg/provider/helm_release.go Diff, forceNewFields .name .namespace @94977969d641",
        "A new chart version or new values is a `helm upgrade` in place. Helm does not upgrade the CRDs a chart "
        "ships in crds/: apply the new version's CRDs first (the chart's upgrade notes).",
    ),
    # ---- Providers and others ----
    "pulumi:providers:kubernetes": ReplaceOnChange(
        ("renderYamlToDirectory",),
        "pulumi-kubernetes provider/pkg/provider/provider.go DiffConfig @94977969d641; engine: pulumi/pulumi "
        "pkg/resource/deploy/step_generator.go providerChanged",
        "A kubeconfig change replaces only if the active cluster entry (server, CA, ...) changes, or if "
        "kubeconfig/context/cluster is unknown at preview (e.g. the cluster is being created/replaced). "
        "clusterIdentifier replaces when changed from one value to another (not when added or removed); while it "
        "is set and unchanged nothing replaces. Other settings (namespace, enableConfigMapMutable, ...) update. "
        "Every resource managed by a replaced provider is replaced too.",
        conditional=("kubeconfig", "context", "cluster", "clusterIdentifier"),
    ),
    "random:index/randomPassword:RandomPassword": ReplaceOnChange(
        ("keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number", "numeric",
         "overrideSpecial", "special", "upper"),
        "terraform-provider-random internal/provider/resource_password.go passwordSchemaV3 @ad788e233bb4 "
        "(v3.9.0+4, RequiresReplace)",
        "Every input replaces (a new password). Exceptions: keepers keys set to null, overrideSpecial "
        '"" -> unset. The exact random version bundled by pulumi-random 4.21.4 was not checked.',
    ),
}
# fmt: on
