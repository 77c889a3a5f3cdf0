"""Whose AWS identity runs `pulumi up`: the profile every Kubernetes provider must authenticate with.

The AWS provider creates the cluster, and EKS makes that identity the cluster's first admin
(bootstrapClusterCreatorAdminPermissions). The provider takes its profile from its configuration before
the environment (Terraform AWS provider, "Authentication and Configuration": parameters in the provider
configuration first, then environment variables; hashicorp/aws-sdk-go-base passes a configured profile to
the SDK as WithSharedConfigProfile, which outranks AWS_PROFILE): `aws:profile`, else AWS_PROFILE. The
Kubernetes providers' kubeconfigs name the same profile with `--profile`, so aws-auth, access entries and
everything in the cluster are written by the identity that created it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .problems import show


def deployer_profile(config: Mapping[str, Any], environment: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """(the profile, warnings): `aws:profile` wins over AWS_PROFILE, as in the AWS provider."""
    configured = config.get("aws:profile")
    configured = configured if isinstance(configured, str) and configured else None
    ambient = environment.get("AWS_PROFILE") or None
    warnings = []
    if configured and ambient and configured != ambient:
        warnings.append(
            f"aws:profile: {show(configured)} and AWS_PROFILE {show(ambient)} differ; the AWS provider creates the "
            f"cluster as {show(configured)} (its configuration outranks the environment) and the Kubernetes "
            f"providers use {show(configured)} too, while the aws CLI and kubectl in this shell use "
            f"{show(ambient)}: unset AWS_PROFILE or make the two agree"
        )
    return configured or ambient, warnings
