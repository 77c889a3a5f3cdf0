"""The guardrails on the EKS control plane: who reaches its API endpoint, whether Secrets are encrypted, whether
the audit log is kept, whether the cluster can be deleted. Registered in policy/rules.py's RULES on import.

They judge the `aws:eks/cluster:Cluster` pulumi-eks creates, in the AWS provider's input shape. Each rule reads
only the fields it judges: a value unknown at preview (pulumi-policy raises on reading it) puts off that one
rule until `pulumi up`, never the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

if __package__:  # imported as policy.cluster_rules (tests, render)
    from .rules import AWS_EKS_CLUSTER, rule
else:  # run by the Pulumi CLI from the pack's own directory
    from rules import AWS_EKS_CLUSTER, rule


def _vpc(props: Mapping[str, Any]) -> Mapping[str, Any]:
    return props.get("vpcConfig") or {}


@rule(
    "eks-public-endpoint-restricted",
    "The Kubernetes API endpoint is not open to the whole internet (0.0.0.0/0).",
    "high",
    AWS_EKS_CLUSTER,
)
def public_endpoint(type_, props, config):
    # AWS provider: vpcConfig.endpointPublicAccess defaults to true, publicAccessCidrs to 0.0.0.0/0.
    if _vpc(props).get("endpointPublicAccess", True) is False:
        return
    cidrs = list(_vpc(props).get("publicAccessCidrs") or [])
    if not cidrs or "0.0.0.0/0" in cidrs:
        yield "the public API endpoint accepts 0.0.0.0/0; set publicAccessCidrs or turn endpointPublicAccess off"


@rule(
    "eks-secrets-encryption",
    "Kubernetes Secrets are envelope-encrypted with a KMS key.",
    "high",
    AWS_EKS_CLUSTER,
)
def secrets_encryption(type_, props, config):
    encryption = props.get("encryptionConfig") or {}
    provider = encryption.get("provider") or {}
    # Whether a key is named, not which: the key's ARN is unknown until the key exists.
    if "secrets" not in list(encryption.get("resources") or []) or "keyArn" not in list(provider.keys()):
        yield "secrets encryption is off (no KMS key); set cluster.secretsEncryption: true"


@rule(
    "eks-audit-logging",
    "The control plane's audit log goes to CloudWatch.",
    "medium",
    AWS_EKS_CLUSTER,
)
def audit_logging(type_, props, config):
    if "audit" not in list(props.get("enabledClusterLogTypes") or []):
        yield "the audit log is off; add audit to cluster.logTypes"


@rule(
    "eks-cluster-deletion-protection",
    "The cluster cannot be deleted by accident (production).",
    "high",
    AWS_EKS_CLUSTER,
)
def deletion_protection(type_, props, config):
    if props.get("deletionProtection") is not True:
        yield "deletion protection is off; set cluster.deletionProtection: true"
