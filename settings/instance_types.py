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


def root_volume_device(ami_type: str) -> str:
    """The block device that holds images and pod data: Bottlerocket keeps it on xvdb."""
    return "/dev/xvdb" if ami_type.startswith("BOTTLEROCKET") else "/dev/xvda"


# --- capacity, for the plan-time check that a pod's requests fit a node --------------

# vCPUs and memory (GiB) per size, by family class; max pods from the VPC CNI's ENI limits.
_SIZES = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32}
_GIB_PER_VCPU = {"m": 4, "c": 2, "r": 8}
_MAX_PODS = {"large": 29, "xlarge": 58, "2xlarge": 58, "4xlarge": 234, "8xlarge": 234}
_BURSTABLE = {  # t3 / t3a / t4g: (vCPU, GiB, max pods)
    "micro": (2, 1, 4),
    "small": (2, 2, 11),
    "medium": (2, 4, 17),
    "large": (2, 8, 35),
    "xlarge": (4, 16, 58),
    "2xlarge": (8, 32, 58),
}
SUPPORTED_CAPACITY_FAMILIES = (
    "t3", "t3a", "t4g", "m5", "m5a", "m6i", "m6a", "m7i", "m6g", "m7g",
    "c5", "c6i", "c7i", "c6g", "c7g", "r5", "r6i", "r7i", "r6g", "r7g",
)  # fmt: skip


def capacity(instance_type: str) -> tuple[int, int, int] | None:
    """(vCPU, memory MiB, max pods), or None for a type outside the table."""
    family, _, size = instance_type.partition(".")
    if family not in SUPPORTED_CAPACITY_FAMILIES:
        return None
    if family.startswith("t"):
        if size not in _BURSTABLE:
            return None
        vcpu, gib, pods = _BURSTABLE[size]
    else:
        if size not in _SIZES:
            return None
        vcpu, gib, pods = _SIZES[size], _SIZES[size] * _GIB_PER_VCPU[family[0]], _MAX_PODS[size]
    return vcpu, gib * 1024, pods


def allocatable(instance_type: str) -> tuple[int, int] | None:
    """(CPU millicores, memory MiB) left for pods after EKS AMI reservations, or None if unknown.

    The EKS AMIs' kube-reserved: CPU 6% of the first core, 1% of the second, 0.5% of the next
    two, 0.25% of the rest; memory 255Mi + 11Mi per pod; plus a 100Mi eviction threshold.
    """
    found = capacity(instance_type)
    if found is None:
        return None
    vcpu, memory_mib, max_pods = found
    cores = [60, 10, 5, 5] + [2.5] * max(0, vcpu - 4)
    reserved_cpu = sum(cores[:vcpu])
    reserved_memory = 255 + 11 * max_pods + 100
    return int(vcpu * 1000 - reserved_cpu), memory_mib - reserved_memory
