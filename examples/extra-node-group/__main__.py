"""extra-node-group: a team adds its own managed node group and access to the platform's cluster.

Built from eks-platform's components alone — plain Args, no settings layer: `pip install` the
eks-platform repository and import them like any library. The platform stack is read through a
StackReference (clusterName, kubeconfig, kubernetesVersion, privateSubnetIds). The cluster must
use access entries (API or API_AND_CONFIG_MAP): EKS then gives the new group's node role its access
entry itself, and the team's role gets one here.
"""

import pulumi
import pulumi_kubernetes as k8s

from eks_platform.components.aws_auth import AccessEntry, AwsAuth, AwsAuthArgs, GroupBinding
from eks_platform.components.managed_node_group import ManagedNodeGroup, ManagedNodeGroupArgs, Taint
from eks_platform.components.node_role import NodeRole, NodeRoleArgs

TEAM = "team-b"
POOL = "team-b.example.com/pool"

config = pulumi.Config()
platform = pulumi.StackReference(config.require("platformStack"))
cluster_name = platform.require_output("clusterName")
provider = k8s.Provider("platform", kubeconfig=platform.require_output("kubeconfig"))
tags = {"team": TEAM, "managed-by": pulumi.get_project()}

role = NodeRole(f"{TEAM}-node-role", NodeRoleArgs(role_name=f"{TEAM}-{pulumi.get_stack()}-batch-node", tags=tags))
group = ManagedNodeGroup(
    f"{TEAM}-batch",
    ManagedNodeGroupArgs(
        name=f"{TEAM}-batch",
        cluster_name=cluster_name,
        kubernetes_version=platform.require_output("kubernetesVersion"),
        node_role=role.role,
        subnet_ids=platform.require_output("privateSubnetIds"),
        instance_types=config.get_object("instanceTypes") or ["c6i.large", "c5.large"],
        min_size=0,
        max_size=config.get_int("maxSize") or 3,
        labels={POOL: "batch"},
        # Only the team's pods, which tolerate it, land here.
        taints=[Taint(POOL, "NoSchedule", "batch")],
        tags=tags,
    ),
)

namespace = k8s.core.v1.Namespace(
    TEAM,
    metadata={"name": TEAM, "labels": {"pod-security.kubernetes.io/enforce": "restricted"}},
    opts=pulumi.ResourceOptions(provider=provider),
)
AwsAuth(
    f"{TEAM}-access",
    AwsAuthArgs(
        cluster_name=cluster_name,
        provider=provider,
        authentication_mode="API_AND_CONFIG_MAP",
        access_entries=[AccessEntry(config.require("teamRoleArn"), username=TEAM, groups=[TEAM])],
        bindings=[GroupBinding(TEAM, "edit", namespaces=[TEAM])],
        namespaces={TEAM: namespace},
        tags=tags,
    ),
)

pulumi.export("nodeGroup", group.node_group.node_group_name)
pulumi.export("nodeSelector", {POOL: "batch"})
pulumi.export("toleration", {"key": POOL, "operator": "Equal", "value": "batch", "effect": "NoSchedule"})
