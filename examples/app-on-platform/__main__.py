"""app-on-platform: a small web app on eks-platform, found through the platform's stack outputs.

It reads clusterName, kubeconfig (secret), nodeGroups and clusterSecurityGroupId from the platform
stack, deploys into a namespace of its own, places its pods on a platform node group by that
group's labels, and lets its clients (e.g. an internal load balancer's subnets) reach its NodePort
through the cluster security group — the one EKS attaches to every node of the platform.
"""

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from placement import placement

config = pulumi.Config()
platform = pulumi.StackReference(config.require("platformStack"))
cluster_name = platform.require_output("clusterName")
node_groups = platform.require_output("nodeGroups")
namespace = config.get("namespace") or "shop"
labels = {"app.kubernetes.io/name": "shop"}

provider = k8s.Provider("platform", kubeconfig=platform.require_output("kubeconfig"))
k8s_opts = pulumi.ResourceOptions(provider=provider)

ns = k8s.core.v1.Namespace(
    "shop",
    metadata={
        "name": namespace,
        "labels": {"pod-security.kubernetes.io/enforce": "restricted"},
        "annotations": {"app-on-platform/cluster": cluster_name},
    },
    opts=k8s_opts,
)

container = {
    "name": "shop",
    "image": "nginxinc/nginx-unprivileged:1.27.3-alpine",
    "ports": [{"containerPort": 8080}],
    "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"cpu": "250m", "memory": "128Mi"}},
    "securityContext": {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "runAsUser": 10101,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
}

deployment = k8s.apps.v1.Deployment(
    "shop",
    metadata={"name": "shop", "namespace": namespace, "labels": labels},
    spec=node_groups.apply(
        lambda groups: {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                    "automountServiceAccountToken": False,
                    **placement(groups, config.get("nodeGroup") or ""),
                },
            },
        }
    ),
    opts=pulumi.ResourceOptions(provider=provider, depends_on=[ns]),
)

NODE_PORT = 30080
k8s.core.v1.Service(
    "shop",
    metadata={"name": "shop", "namespace": namespace, "labels": labels},
    spec={"type": "NodePort", "selector": labels, "ports": [{"port": 80, "targetPort": 8080, "nodePort": NODE_PORT}]},
    opts=pulumi.ResourceOptions(provider=provider, depends_on=[ns]),
)
aws.ec2.SecurityGroupRule(
    "shop-clients",
    type="ingress",
    description="app-on-platform: clients reach the shop's NodePort",
    security_group_id=platform.require_output("clusterSecurityGroupId"),
    protocol="tcp",
    from_port=NODE_PORT,
    to_port=NODE_PORT,
    cidr_blocks=[config.get("clientCidr") or "10.0.0.0/8"],
)

pulumi.export("cluster", cluster_name)
pulumi.export("namespace", namespace)
