"""EbsCsiDriver: what makes PersistentVolumeClaims bind on EKS — the EBS CSI driver add-on, the IAM
role its controller acts as (EKS Pod Identity, or IRSA), and an encrypted gp3 StorageClass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from .addons import Addons, AddonsArgs, AddonSpec
from .service_account_role import MODES, ServiceAccountRole, ServiceAccountRoleArgs

SERVICE_ACCOUNT = "ebs-csi-controller-sa"  # in kube-system, created by the add-on
STORAGE_CLASS = "gp3-encrypted"


@dataclass(frozen=True)
class EbsCsiDriverArgs:
    cluster_name: pulumi.Input[str]
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
    identity: str = "podIdentity"
    """How the controller gets its role: podIdentity (needs the eks-pod-identity-agent add-on) or irsa."""
    oidc_provider_arn: pulumi.Input[str] | None = None
    """With irsa: the cluster's IAM OIDC provider the role trusts."""
    oidc_issuer_url: pulumi.Input[str] | None = None

    def __post_init__(self):
        if self.reclaim_policy not in ("Delete", "Retain"):
            raise ValueError(f"EbsCsiDriver: args.reclaim_policy is {self.reclaim_policy!r}; Delete or Retain")
        if self.identity not in MODES:
            raise ValueError(f"EbsCsiDriver: args.identity is {self.identity!r}; one of {', '.join(MODES)}")
        if self.identity == "irsa" and (self.oidc_provider_arn is None or self.oidc_issuer_url is None):
            raise ValueError("EbsCsiDriver: args.oidc_provider_arn and args.oidc_issuer_url are required for irsa")
        if self.addon.name != "aws-ebs-csi-driver":
            raise ValueError(f"EbsCsiDriver: args.addon is {self.addon.name!r}; it must be aws-ebs-csi-driver")


class EbsCsiDriver(pulumi.ComponentResource):
    storage_class_name: pulumi.Output[str]
    addon: aws.eks.Addon

    def __init__(self, name: str, args: EbsCsiDriverArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:EbsCsiDriver", name, None, opts)
        policy_arn = f"arn:{args.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
        identity = ServiceAccountRole(
            f"{name}-role",
            ServiceAccountRoleArgs(
                cluster_name=args.cluster_name,
                namespace="kube-system",
                service_account=SERVICE_ACCOUNT,
                mode=args.identity,
                managed_policy_arns=[policy_arn],
                oidc_provider_arn=args.oidc_provider_arn,
                oidc_issuer_url=args.oidc_issuer_url,
                tags=args.tags,
                previous=pulumi.Alias(parent=self),  # the role was this component's own child
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # The attachment the first version made, kept under its name: dropping it would detach the
        # policy when `pulumi up` ends (Pulumi deletes last), after the role's own set attached it.
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-policy",
            role=identity.role.name,
            policy_arn=policy_arn,
            opts=pulumi.ResourceOptions(parent=self),
        )
        irsa = args.identity == "irsa"
        addon = Addons(
            f"{name}-addon",
            AddonsArgs(
                cluster_name=args.cluster_name,
                kubernetes_version=args.kubernetes_version,
                addons=[
                    dataclasses.replace(
                        args.addon,
                        service_account_role_arn=identity.arn if irsa else None,
                        previous=pulumi.Alias(name=f"{name}-addon", parent=self),
                    )
                ],
                tags=args.tags,
                depends_on=[*identity.ready, attachment, *args.wait_for],
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
        self.register_outputs({"storageClassName": self.storage_class_name, "roleArn": identity.arn})
