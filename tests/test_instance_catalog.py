"""The instance catalog against figures written out by hand, not read from the module's own table.

vCPUs, memory and GPUs: the EC2 Instance Types Guide (https://docs.aws.amazon.com/ec2/latest/instancetypes/).
ENIs and IPv4 addresses per ENI: its "Network specifications" tables (default network card).
Max pods: awslabs/amazon-eks-ami templates/shared/runtime/eni-max-pods.txt @ 2bed73dc, then the managed node
group cap (110 under 30 vCPUs, 250 otherwise). Reservations: nodeadm's kubeReserved (255Mi + 11Mi per ENI max pod;
CPU 6% / 1% / 0.5% / 0.25% by core) and evictionHard memory.available 100Mi; no systemReserved.
"""

from __future__ import annotations

import pytest

from settings.instance_catalog import CATALOG, SOURCE, InstanceType, lookup

# (type, vCPUs, memory MiB, ENIs, IPv4 per ENI, GPUs, architecture, max pods, allocatable CPU m, allocatable MiB)
CASES = [
    # 3 * (6 - 1) + 2 = 17 pods; 255 + 11 * 17 = 442 MiB reserved; 2000 - (60 + 10) m
    ("t3.medium", 2, 4096, 3, 6, 0, "x86_64", 17, 1930, 4096 - 442 - 100),
    ("t3.small", 2, 2048, 3, 4, 0, "x86_64", 11, 1930, 2048 - 376 - 100),
    ("m5.large", 2, 8192, 3, 10, 0, "x86_64", 29, 1930, 8192 - 574 - 100),
    # 4 vCPU: 60 + 10 + 2 * 5 = 80 m reserved
    ("m5.xlarge", 4, 16384, 4, 15, 0, "x86_64", 58, 3920, 16384 - 893 - 100),
    ("c5.large", 2, 4096, 3, 10, 0, "x86_64", 29, 1930, 4096 - 574 - 100),
    ("g5.xlarge", 4, 16384, 4, 15, 1, "x86_64", 58, 3920, 16384 - 893 - 100),
    ("m7g.large", 2, 8192, 3, 10, 0, "arm64", 29, 1930, 8192 - 574 - 100),
    # 8 vCPU: 80 + 4 * 2.5 = 90 m
    ("r6i.2xlarge", 8, 65536, 4, 15, 0, "x86_64", 58, 7910, 65536 - 893 - 100),
    # 1 vCPU: 60 m; 2 * 3 + 2 = 8 pods
    ("m6g.medium", 1, 4096, 2, 4, 0, "arm64", 8, 940, 4096 - 343 - 100),
    # 8 * 29 + 2 = 234 ENI pods, capped at 110 (16 vCPU); kube-reserved memory still counts 234: 255 + 2574
    ("m5.4xlarge", 16, 65536, 8, 30, 0, "x86_64", 110, 16000 - 110, 65536 - 2829 - 100),
    # 15 * 49 + 2 = 737 ENI pods, capped at 250 (64 vCPU); CPU 80 + 60 * 2.5 = 230 m; memory 255 + 8107
    ("m5.16xlarge", 64, 262144, 15, 50, 0, "x86_64", 250, 64000 - 230, 262144 - 8362 - 100),
    # two ENIs on the default network card: 2 * 49 + 2 = 100; CPU 80 + 188 * 2.5 = 550 m
    ("p5.48xlarge", 192, 2097152, 2, 50, 8, "x86_64", 100, 192000 - 550, 2097152 - 1355 - 100),
]


@pytest.mark.parametrize(
    ("name", "vcpus", "memory_mib", "enis", "ipv4", "gpus", "arch", "max_pods", "cpu_m", "memory_alloc"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_published_figures_and_eks_formulas(
    name, vcpus, memory_mib, enis, ipv4, gpus, arch, max_pods, cpu_m, memory_alloc
) -> None:
    found = lookup(name)
    assert found == InstanceType(name, vcpus, memory_mib, enis, ipv4, gpus)
    assert found.architecture == arch
    assert found.max_pods == max_pods
    assert found.allocatable_cpu_millicores == cpu_m
    assert found.allocatable_memory_mib == memory_alloc


# eni-max-pods.txt (the AMI's last published list) for types off the common path: many ENIs, multi-card, GPUs.
@pytest.mark.parametrize(
    ("name", "eni_max_pods"),
    [
        ("t3.nano", 4),
        ("t3a.small", 8),
        ("c8g.medium", 8),
        ("c5.9xlarge", 234),
        ("g4dn.12xlarge", 234),
        ("g4dn.16xlarge", 58),
        ("g5.48xlarge", 345),
        ("g6e.12xlarge", 292),
        ("inf2.xlarge", 58),
        ("p4d.24xlarge", 737),
        ("r8g.48xlarge", 737),
    ],
)
def test_eni_max_pods_match_the_ami_list(name: str, eni_max_pods: int) -> None:
    assert lookup(name).eni_max_pods == eni_max_pods


def test_max_pods_cap_follows_vcpus() -> None:
    # c5.9xlarge: 36 vCPUs, 234 ENI pods, under the 250 cap; c5.4xlarge: 16 vCPUs, 234 capped to 110
    assert lookup("c5.9xlarge").max_pods == 234
    assert lookup("c5.4xlarge").max_pods == 110
    assert lookup("p4d.24xlarge").max_pods == 250


FAMILIES = {
    "t3": "nano", "t3a": "nano", "t4g": "nano",
    "m5": "large", "m5a": "large", "m6i": "large", "m6a": "large", "m6g": "medium", "m7i": "large",
    "m7a": "medium", "m7g": "medium", "m8g": "medium",
    "c5": "large", "c6i": "large", "c6a": "large", "c6g": "medium", "c7i": "large", "c7a": "medium",
    "c7g": "medium", "c8g": "medium",
    "r5": "large", "r6i": "large", "r6a": "large", "r6g": "medium", "r7i": "large", "r7a": "medium",
    "r7g": "medium", "r8g": "medium",
    "g4dn": "xlarge", "g5": "xlarge", "g6": "xlarge", "g6e": "xlarge", "p4d": "24xlarge", "p5": "4xlarge",
    "inf2": "xlarge",
}  # fmt: skip
GRAVITON = {"t4g", "m6g", "m7g", "m8g", "c6g", "c7g", "c8g", "r6g", "r7g", "r8g"}
GPU = {"g4dn", "g5", "g6", "g6e", "p4d", "p5"}


@pytest.mark.parametrize(("family", "smallest"), FAMILIES.items())
def test_every_family_from_its_smallest_size(family: str, smallest: str) -> None:
    assert f"{family}.{smallest}" in CATALOG
    if smallest in {"nano", "medium"}:
        assert f"{family}.large" in CATALOG


def test_largest_sizes_and_no_metal() -> None:
    for name in ("m5.24xlarge", "m6i.32xlarge", "m7i.48xlarge", "c6a.48xlarge", "r8g.48xlarge", "m6g.16xlarge"):
        assert name in CATALOG
    assert not [name for name in CATALOG if "metal" in name]
    assert {name.split(".")[0] for name in CATALOG} == set(FAMILIES)


def test_architecture_gpus_and_sane_numbers() -> None:
    for name, entry in CATALOG.items():
        family = name.split(".")[0]
        assert entry.name == name
        assert entry.architecture == ("arm64" if family in GRAVITON else "x86_64"), name
        assert (entry.gpus > 0) == (family in GPU), name
        assert entry.enis >= 2 and entry.ipv4_per_eni >= 2, name
        assert 0 < entry.allocatable_cpu_millicores < entry.vcpus * 1000, name
        assert 0 < entry.allocatable_memory_mib < entry.memory_mib, name
        assert entry.max_pods <= (250 if entry.vcpus >= 30 else 110), name


def test_lookup_misses_and_source() -> None:
    assert lookup("m5.metal") is None
    assert lookup("x2iedn.xlarge") is None
    assert lookup("not-a-type") is None
    assert lookup("M5.Large") == lookup("m5.large")
    assert "amazon-eks-ami" in SOURCE and "\n" not in SOURCE
