"""ServiceAccountRole: the IAM role a Kubernetes service account's pods act as.

EKS Pod Identity (the default): the role trusts the EKS Pod Identity service principal
`pods.eks.amazonaws.com` with sts:AssumeRole and sts:TagSession (EKS User Guide, "Assign an IAM role
to a Kubernetes service account"), and an `aws.eks.PodIdentityAssociation` names the cluster,
namespace and service account; the eks-pod-identity-agent add-on hands the credentials to the pods.
No OIDC provider, no annotation, and the same role works on any cluster of the account.

IRSA (`mode="irsa"`): the role trusts the cluster's OIDC provider for exactly this service account
(and the `sts.amazonaws.com` audience); the service account, or an add-on's serviceAccountRoleArn,
names the role.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com"
MODES = ("podIdentity", "irsa")


def pod_identity_trust_policy() -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": POD_IDENTITY_PRINCIPAL},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, sort_keys=True)


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


@dataclass(frozen=True)
class ServiceAccountRoleArgs:
    cluster_name: pulumi.Input[str]
    namespace: str
    service_account: str
    mode: str = "podIdentity"
    """podIdentity (a PodIdentityAssociation) or irsa (an OIDC trust: give the two oidc_* fields)."""
    managed_policy_arns: Sequence[str] = ()
    """AWS managed (or your own) policies, attached exclusively: a policy attached by hand is detached."""
    inline_policy: pulumi.Input[str] | None = None
    """A policy document of the role's own (JSON), for least privilege no managed policy gives."""
    oidc_provider_arn: pulumi.Input[str] | None = None
    oidc_issuer_url: pulumi.Input[str] | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    previous: pulumi.Alias | None = None
    """Where the role lived before (an alias keeps the cloud role)."""

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"ServiceAccountRole: args.mode is {self.mode!r}; one of {', '.join(MODES)}")
        if self.mode == "irsa" and (self.oidc_provider_arn is None or self.oidc_issuer_url is None):
            raise ValueError(
                "ServiceAccountRole: args.oidc_provider_arn and args.oidc_issuer_url are required for irsa"
            )
        if not self.managed_policy_arns and self.inline_policy is None:
            raise ValueError("ServiceAccountRole: args.managed_policy_arns or args.inline_policy: give it permissions")


@dataclass(frozen=True, kw_only=True)
class ControllerIdentity:
    """How a controller the platform runs gets its IAM role: the fields its component's Args share."""

    identity: str = "podIdentity"
    """podIdentity (needs the eks-pod-identity-agent add-on: pass it in the Args' `depends_on`) or irsa."""
    oidc_provider_arn: pulumi.Input[str] | None = None
    """With irsa: the cluster's IAM OIDC provider the role trusts."""
    oidc_issuer_url: pulumi.Input[str] | None = None
    partition: str = "aws"
    tags: Mapping[str, str] = field(default_factory=dict)

    def check_identity(self, owner: str) -> None:
        if self.identity not in MODES:
            raise ValueError(f"{owner}: args.identity is {self.identity!r}; one of {', '.join(MODES)}")
        if self.identity == "irsa" and (self.oidc_provider_arn is None or self.oidc_issuer_url is None):
            raise ValueError(f"{owner}: args.oidc_provider_arn and args.oidc_issuer_url are required for irsa")

    def role_args(
        self, cluster_name: pulumi.Input[str], namespace: str, service_account: str, policy: pulumi.Input[str]
    ) -> ServiceAccountRoleArgs:
        """The controller's role: for `namespace/service_account`, with `policy` as its inline policy."""
        return ServiceAccountRoleArgs(
            cluster_name=cluster_name,
            namespace=namespace,
            service_account=service_account,
            mode=self.identity,
            inline_policy=policy,
            oidc_provider_arn=self.oidc_provider_arn,
            oidc_issuer_url=self.oidc_issuer_url,
            tags=self.tags,
        )


class ServiceAccountRole(pulumi.ComponentResource):
    role: aws.iam.Role
    arn: pulumi.Output[str]
    association: aws.eks.PodIdentityAssociation | None
    ready: list[pulumi.Resource]
    """What must exist before pods use the role: its policies and, with Pod Identity, the association
    (the Pod Identity webhook injects credentials only into pods created after it)."""

    def __init__(self, name: str, args: ServiceAccountRoleArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:ServiceAccountRole", name, None, opts)
        subject = f"system:serviceaccount:{args.namespace}:{args.service_account}"
        trust = (
            pulumi.Output.from_input(pod_identity_trust_policy())
            if args.mode == "podIdentity"
            else pulumi.Output.all(args.oidc_provider_arn, args.oidc_issuer_url).apply(
                lambda v: irsa_trust_policy(v[0], v[1], subject)
            )
        )
        self.role = aws.iam.Role(
            name,
            description=f"{subject} ({'EKS Pod Identity' if args.mode == 'podIdentity' else 'IRSA'})",
            assume_role_policy=trust,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self, aliases=[args.previous] if args.previous else None),
        )
        self.arn = self.role.arn
        self.ready = []
        if args.managed_policy_arns:
            self.ready.append(
                aws.iam.RolePolicyAttachmentsExclusive(
                    f"{name}-managed",
                    role_name=self.role.name,
                    policy_arns=list(args.managed_policy_arns),
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )
        if args.inline_policy is not None:
            self.ready.append(
                aws.iam.RolePolicy(
                    f"{name}-inline",
                    role=self.role.id,
                    policy=args.inline_policy,
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )
        self.association = None
        if args.mode == "podIdentity":
            self.association = aws.eks.PodIdentityAssociation(
                f"{name}-association",
                cluster_name=args.cluster_name,
                namespace=args.namespace,
                service_account=args.service_account,
                role_arn=self.role.arn,
                tags=dict(args.tags),
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.ready.append(self.association)
        self.register_outputs(
            {
                "roleArn": self.arn,
                "namespace": args.namespace,
                "serviceAccount": args.service_account,
                "mode": args.mode,
            }
        )
