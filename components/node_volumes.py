"""The EBS volumes a managed node boots with, per EKS AMI type: what the node group's launch template must map
(and encrypt) so that no volume of a node is left to the AMI's snapshot and the account's default.

- Amazon Linux 2023 and Amazon Linux 2: one root volume, /dev/xvda (OS, images and pod data).
- Bottlerocket: two (bottlerocket-os/bottlerocket README, "Default Volumes"): "The root device, /dev/xvda,
  holds the active and passive partition sets" (the OS); "The data device, /dev/xvdb, is used as persistent
  storage for container images, container orchestration, host-containers, and bootstrap containers".

Pure data with no imports: the policy pack (policy/node_rules.py), which runs in a virtualenv of its own without
this package, reads this file by its path, so the rule and the component share one table.
"""

# AMI type prefix -> (the devices a node boots with, the one that holds images and pod data).
AMI_VOLUMES = {
    "BOTTLEROCKET": (("/dev/xvda", "/dev/xvdb"), "/dev/xvdb"),
    "AL2023": (("/dev/xvda",), "/dev/xvda"),
    "AL2": (("/dev/xvda",), "/dev/xvda"),
}


def _family(ami_type: str) -> str:
    """BOTTLEROCKET_ARM_64 -> BOTTLEROCKET; AL2023_x86_64_STANDARD -> AL2023. EKS's default (no amiType) is an
    Amazon Linux type: one root volume."""
    for family in AMI_VOLUMES:
        if (ami_type or "").startswith(family + "_"):
            return family
    return "AL2023"


def boot_devices(ami_type: str) -> tuple[str, ...]:
    return AMI_VOLUMES[_family(ami_type)][0]


def data_device(ami_type: str) -> str:
    """The volume that gets the node group's disk size: images and pod data live there."""
    return AMI_VOLUMES[_family(ami_type)][1]
