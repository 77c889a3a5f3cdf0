"""EbsCsiDriver: what makes PersistentVolumeClaims bind on EKS — the EBS CSI driver add-on, its
IAM role (IRSA through the cluster's OIDC provider), and an encrypted gp3 StorageClass.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from .addons import Addons, AddonsArgs, AddonSpec

SERVICE_ACCOUNT = "system:serviceaccount:kube-system:ebs-csi-controller-sa"
STORAGE_CLASS = "gp3-encrypted"


@dataclass(frozen=True)
class EbsCsiDriverArgs:
    cluster_name: pulumi.Input[str]
    oidc_provider_arn: pulumi.Input[str]
    """The cluster's IAM OIDC provider: the driver's role trusts its service account through it."""
    oidc_issuer_url: pulumi.Input[str]
    provider: k8s.Provider
    """The cluster's Kubernetes provider (for the StorageClass)."""
    kubernetes_version: str
    reclaim_policy: str = "Delete"
    """Delete or Retain: whether a volume (and its data) outlives its claim."""
    partition: str = "aws"
    tags: Mapping[str, str] = field(default_factory=dict)
    addon: AddonSpec = field(default_factory=lambda: AddonSpec("aws-ebs-csi-driver"))
    """The add-on's version and configuration (its name must be aws-ebs-csi-driver)."""
    wait_for: Sequence[pulumi.Resource] = ()
    """Its controller is a Deployment: the add-on is created once these (node groups) exist."""

    def __post_init__(self):
        if self.reclaim_policy not in ("Delete", "Retain"):
            raise ValueError(f"EbsCsiDriver: args.reclaim_policy is {self.reclaim_policy!r}; Delete or Retain")
        if self.addon.name != "aws-ebs-csi-driver":
            raise ValueError(f"EbsCsiDriver: args.addon is {self.addon.name!r}; it must be aws-ebs-csi-driver")


def irsa_trust_policy(provider_arn: str, issuer_url: str, service_account: str) -> str:
    """Only this Kubernetes service account, through this cluster's OIDC provider, may assume the role."""
    issuer = issuer_url.removeprefix("https://")
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {f"{issuer}:sub": service_account, f"{issuer}:aud": "sts.amazonaws.com"}
                    },
                }
            ],
        },
        sort_keys=True,
    )


class EbsCsiDriver(pulumi.ComponentResource):
    storage_class_name: pulumi.Output[str]
    addon: aws.eks.Addon

    def __init__(self, name: str, args: EbsCsiDriverArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:EbsCsiDriver", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=pulumi.Output.all(args.oidc_provider_arn, args.oidc_issuer_url).apply(
                lambda v: irsa_trust_policy(v[0], v[1], SERVICE_ACCOUNT)
            ),
            tags=dict(args.tags),
            opts=child,
        )
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-policy",
            role=role.name,
            policy_arn=f"arn:{args.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
            opts=child,
        )
        addon = Addons(
            f"{name}-addon",
            AddonsArgs(
                cluster_name=args.cluster_name,
                kubernetes_version=args.kubernetes_version,
                addons=[
                    dataclasses.replace(
                        args.addon,
                        service_account_role_arn=role.arn,
                        previous=pulumi.Alias(name=f"{name}-addon", parent=self),
                    )
                ],
                tags=args.tags,
                depends_on=[attachment, *args.wait_for],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.addon = addon.by_name[args.addon.name]
        storage_class = k8s.storage.v1.StorageClass(
            f"{name}-gp3",
            metadata={
                "name": STORAGE_CLASS,
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            provisioner="ebs.csi.aws.com",
            parameters={"type": "gp3", "encrypted": "true", "csi.storage.k8s.io/fstype": "ext4"},
            reclaim_policy=args.reclaim_policy,
            volume_binding_mode="WaitForFirstConsumer",
            allow_volume_expansion=True,
            opts=pulumi.ResourceOptions(parent=self, provider=args.provider, depends_on=[self.addon]),
        )
        self.storage_class_name = storage_class.metadata.name
        self.register_outputs({"storageClassName": self.storage_class_name, "roleArn": role.arn})
