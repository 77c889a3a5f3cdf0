"""Permission rows of the IAM, KMS and Auto Scaling types: the stack's roles and their policies, the
cluster's OIDC provider, the secrets key, and node-template tags on a node group's Auto Scaling group.

Sources: terraform-provider-aws internal/service/{iam,kms,autoscaling}/<file>.go. Role names are the
stack's (explicit, or Pulumi's auto-name `<logical name>-<suffix>`); managed policies may be attached
only when they are the ones the plan names (iam:PolicyARN).
"""

from __future__ import annotations

from .extras import attach_policies
from .rows import Row

TF = "terraform-provider-aws internal/service/"

IAM_ROWS = (
    Row(
        "aws:iam/role:Role",
        TF + "iam/role.go (the read lists inline and attached policies; delete first removes the role "
        "from instance profiles, such as the one EKS makes for a node role)",
        creates="iam:role",
        create=("iam:CreateRole", "iam:GetRole"),
        read=("iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"),
        update=("iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy"),
        delete=("iam:ListInstanceProfilesForRole", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteRole"),
        tag=("iam:TagRole", "iam:UntagRole"),
    ),
    Row(
        "aws:iam/rolePolicy:RolePolicy",
        TF + "iam/role_policy.go",
        create=("iam:PutRolePolicy",),
        read=("iam:GetRolePolicy",),
        update=("iam:PutRolePolicy",),
        delete=("iam:DeleteRolePolicy",),
    ),
    Row(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        TF + "iam/role_policy_attachment.go",
        read=("iam:ListAttachedRolePolicies",),
        extras=(
            attach_policies("create", "iam:AttachRolePolicy", "role", "policyArn", "only the plan's policies"),
            attach_policies("delete", "iam:DetachRolePolicy", "role", "policyArn", "only the plan's policies"),
        ),
    ),
    Row(
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        TF + "iam/role_policy_attachments_exclusive.go (syncAttachments: attaches what is missing, "
        "detaches any policy not listed; delete only forgets it)",
        read=("iam:ListAttachedRolePolicies",),
        update=("iam:DetachRolePolicy",),
        extras=(attach_policies("create", "iam:AttachRolePolicy", "roleName", "policyArns", "only the plan's"),),
    ),
    Row(
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        TF + "iam/openid_connect_provider.go",
        creates="iam:oidc-provider",
        create=("iam:CreateOpenIDConnectProvider",),
        read=("iam:GetOpenIDConnectProvider",),
        update=(
            "iam:UpdateOpenIDConnectProviderThumbprint",
            "iam:AddClientIDToOpenIDConnectProvider",
            "iam:RemoveClientIDFromOpenIDConnectProvider",
        ),
        delete=("iam:DeleteOpenIDConnectProvider",),
        tag=("iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider"),
    ),
    Row(
        "aws:kms/key:Key",
        TF + "kms/key.go (create waits until DescribeKey, GetKeyPolicy, GetKeyRotationStatus and "
        "ListResourceTags agree; delete schedules deletion after deletionWindowInDays)",
        creates="kms:key",
        create=("kms:CreateKey", "kms:EnableKeyRotation"),
        read=("kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"),
        update=(
            "kms:UpdateKeyDescription",
            "kms:PutKeyPolicy",
            "kms:EnableKeyRotation",
            "kms:DisableKeyRotation",
            "kms:EnableKey",
            "kms:DisableKey",
        ),
        delete=("kms:ScheduleKeyDeletion",),
        tag=("kms:TagResource", "kms:UntagResource"),
        note="no key policy is given, so the key's default policy lets IAM policies such as this one decide",
    ),
    Row(
        "aws:autoscaling/tag:Tag",
        TF + "autoscaling/tag.go (the Auto Scaling group is the one EKS made for a node group)",
        create=("autoscaling:CreateOrUpdateTags",),
        read=("autoscaling:DescribeTags",),
        update=("autoscaling:CreateOrUpdateTags",),
        delete=("autoscaling:DeleteTags",),
    ),
)
