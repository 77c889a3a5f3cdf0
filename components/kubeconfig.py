"""The kubeconfig of an EKS cluster: no stored credentials, a token from `aws eks get-token`.

Unlike a plain Kubernetes kubeconfig (client certificate and key inside), EKS
authenticates through IAM: kubectl runs the AWS CLI for a short-lived token each time.
Built here rather than read from pulumi-eks because `Cluster.get_kubeconfig()` cannot run
under the mock engine (pulumi/pulumi#8328) and pulumi-eks' own output is not secret.
"""

from __future__ import annotations

import json

EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1"


def build_kubeconfig(
    cluster_name: str,
    endpoint: str,
    certificate_authority: str,
    region: str,
    profile: str | None = None,
    role_arn: str | None = None,
) -> str:
    args = ["--region", region, "eks", "get-token", "--cluster-name", cluster_name, "--output", "json"]
    if role_arn:
        args += ["--role-arn", role_arn]
    if profile:
        # --profile rather than AWS_PROFILE: ambient AWS_* variables would override the latter.
        args += ["--profile", profile]
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": cluster_name,
                "cluster": {"server": endpoint, "certificate-authority-data": certificate_authority},
            }
        ],
        "users": [
            {
                "name": cluster_name,
                "user": {
                    "exec": {
                        "apiVersion": EXEC_API_VERSION,
                        "command": "aws",
                        "args": args,
                        "interactiveMode": "Never",
                    }
                },
            }
        ],
        "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
        "current-context": cluster_name,
    }
    return json.dumps(config, indent=2)


def update_kubeconfig_command(cluster_name: str, region: str, role_arn: str | None = None) -> str:
    """For the people mapped in: each uses their own AWS profile, so none is named here."""
    command = f"aws eks update-kubeconfig --name {cluster_name} --region {region}"
    if role_arn:
        command += f" --role-arn {role_arn}"
    return command
