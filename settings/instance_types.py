"""EC2 instance types and EKS AMI types: their syntax and CPU architecture.

A managed node group runs one AMI on every instance type it lists, so all of the types
must share the AMI's architecture: `m7g.large` (Graviton) needs an `*_ARM_64*` AMI type.
"""

from __future__ import annotations

import re

X86_64 = "x86_64"
ARM64 = "arm64"

_INSTANCE_TYPE = re.compile(
    r"^(?P<family>[a-z]+)(?P<generation>\d+)(?P<options>[a-z]*(-flex)?)\."
    r"(?P<size>nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$"
)

# Linux AMI types EKS managed node groups accept (eks:CreateNodegroup amiType), by the CPU
# architecture they boot on. Windows AMI types are left out: this platform runs Linux nodes.
AMI_TYPES: dict[str, str] = {
    "AL2023_x86_64_STANDARD": X86_64,
    "AL2023_ARM_64_STANDARD": ARM64,
    "AL2023_x86_64_NVIDIA": X86_64,
    "AL2023_ARM_64_NVIDIA": ARM64,
    "AL2023_x86_64_NEURON": X86_64,
    "BOTTLEROCKET_x86_64": X86_64,
    "BOTTLEROCKET_ARM_64": ARM64,
    "BOTTLEROCKET_x86_64_NVIDIA": X86_64,
    "BOTTLEROCKET_ARM_64_NVIDIA": ARM64,
    "AL2_x86_64": X86_64,
    "AL2_ARM_64": ARM64,
    "AL2_x86_64_GPU": X86_64,
}

# Amazon Linux 2 AMIs are not published for Kubernetes 1.33 and later.
AL2_LAST_VERSION = (1, 32)


def instance_type_error(name: str) -> str | None:
    if not _INSTANCE_TYPE.match(name):
        return "is not an EC2 instance type like t3.medium, m7g.large or c6i.2xlarge"
    return None


def architecture_of(instance_type: str) -> str:
    """Graviton families carry a 'g' after the generation (m7g, c6gn, x2gd, is4gen) or are a1."""
    match = _INSTANCE_TYPE.match(instance_type)
    if match is None:
        raise ValueError(f"not an instance type: {instance_type}")
    family, generation, options = match["family"], match["generation"], match["options"]
    if (family, generation) == ("a", "1") or "g" in options:
        return ARM64
    return X86_64
