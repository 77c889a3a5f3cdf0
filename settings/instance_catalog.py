"""EC2 instance types EKS managed node groups commonly run, with EKS's own max-pods and allocatable formulas.

Used before anything is created: do a workload's CPU/memory requests fit on one node of a group, and how many pods
can a group hold at maxSize? The numbers are what the Amazon Linux 2023 EKS AMI (nodeadm) configures on a managed
node group with the VPC CNI in its default mode (one secondary IPv4 address per pod, no prefix delegation).

Data, read 2026-11-27 (every figure below agrees across the three network sources for every type listed):
- ENIs and IPv4 addresses per ENI (on the default network card, which is what max pods counts):
  awslabs/amazon-eks-ami nodeadm/internal/kubelet/instance-info.jsonl @ 81fec2e895854f599974fe4d3d72f61c0a9aaffa
  (the table nodeadm embeds, generated from EC2 DescribeInstanceTypes), checked against
  aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go @ b52188387f2e2f10bf289ace929d6a63b176a4fa and the
  last eni-max-pods.txt, awslabs/amazon-eks-ami templates/shared/runtime/eni-max-pods.txt
  @ 2bed73dc4fafb502298fa67534dc53a030e56b21 (deleted after that commit; nodeadm computes max pods itself now).
- vCPUs, memory (MiB) and NVIDIA GPU count (karpenter.k8s.aws/instance-cpu, -memory, -gpu-count, which Karpenter
  takes from EC2 DescribeInstanceTypes): aws/karpenter-provider-aws website/content/en/preview/reference/
  instance-types.md @ 1d927085dd81a9df9301e613f371dac5b4d16bfe. They match the EC2 Instance Types Guide
  (https://docs.aws.amazon.com/ec2/latest/instancetypes/).
Metal sizes are left out. inf2 carries Inferentia2 (Neuron) accelerators, not GPUs: gpus is 0 for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from .instance_types import architecture_of

SOURCE = (
    "EC2 DescribeInstanceTypes data via awslabs/amazon-eks-ami nodeadm instance-info.jsonl @81fec2e8 and "
    "aws/karpenter-provider-aws instance-types.md @1d927085 (read 2026-11-27); EKS AL2023 nodeadm formulas"
)

# --- formulas --------------------------------------------------------------------------------------------------
# awslabs/amazon-eks-ami @ 81fec2e895854f599974fe4d3d72f61c0a9aaffa, nodeadm/internal/kubelet/:
#   eni_max_pods.go calculateStandardMaxPods: default-card ENIs * (IPv4 per ENI - 1) + 2
#   config.go withDefaultReservedResources: kubeReserved memory = 11Mi * that max pods + 255Mi, kubeReserved cpu by
#     getCPUMillicoresToReserve (6% of the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of the
#     rest, each range rounded down in integer millicores); systemReserved is not set (only its cgroup);
#     evictionHard memory.available = 100Mi.
# Managed node groups (without a custom AMI) then write maxPods into the node's user data, capped at 110 for
# instances with less than 30 vCPUs and 250 for the rest: awsdocs/amazon-eks-user-guide
# latest/ug/nodes/create-managed-node-group.adoc @ 4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7 (also the EKS user
# guide's "How maxPods is determined"). That user-data maxPods does not change kubeReserved, which nodeadm still
# computes from the uncapped ENI figure (awslabs/amazon-eks-ami issues #1698 and #2580).
MNG_MAX_PODS_SMALL = 110  # instances with fewer than 30 vCPUs
MNG_MAX_PODS_LARGE = 250
MNG_LARGE_VCPUS = 30
EVICTION_HARD_MEMORY_MIB = 100
SYSTEM_RESERVED_MEMORY_MIB = 0
# (upper bound of the range in millicores, reserved share in hundredths of a percent), as nodeadm's cpuRanges.
_CPU_RESERVE_RANGES = ((1000, 600), (2000, 100), (4000, 50), (None, 25))


@dataclass(frozen=True)
class InstanceType:
    name: str
    vcpus: int
    memory_mib: int
    enis: int  # network interfaces on the default network card
    ipv4_per_eni: int
    gpus: int = 0

    @property
    def architecture(self) -> str:
        """arm64 for Graviton families (a 'g' after the generation, or a1), else x86_64."""
        return architecture_of(self.name)

    @property
    def eni_max_pods(self) -> int:
        """The VPC CNI's IP-bound pod count: nodeadm's default maxPods and the basis of its kube-reserved memory."""
        return self.enis * (self.ipv4_per_eni - 1) + 2

    @property
    def max_pods(self) -> int:
        """maxPods on a managed node group node: the ENI figure, capped by EKS at 110 (under 30 vCPUs) or 250."""
        cap = MNG_MAX_PODS_LARGE if self.vcpus >= MNG_LARGE_VCPUS else MNG_MAX_PODS_SMALL
        return min(self.eni_max_pods, cap)

    @cached_property
    def kube_reserved_cpu_millicores(self) -> int:
        total, start, reserved = self.vcpus * 1000, 0, 0
        for end, share in _CPU_RESERVE_RANGES:
            top = total if end is None else min(total, end)
            reserved += max(0, top - start) * share // 10000
            start = end or total
        return reserved

    @property
    def kube_reserved_memory_mib(self) -> int:
        return 255 + 11 * self.eni_max_pods

    @property
    def allocatable_cpu_millicores(self) -> int:
        return self.vcpus * 1000 - self.kube_reserved_cpu_millicores

    @property
    def allocatable_memory_mib(self) -> int:
        """Nominal memory less kube-reserved, system-reserved and the memory.available eviction threshold.

        The kubelet's capacity is the kernel's MemTotal, a few percent under the nominal size (Karpenter assumes
        7.5%), so a node reports somewhat less than this.
        """
        return self.memory_mib - self.kube_reserved_memory_mib - SYSTEM_RESERVED_MEMORY_MIB - EVICTION_HARD_MEMORY_MIB


# --- data: type, vCPUs, memory MiB, ENIs (default card), IPv4 addresses per ENI, NVIDIA GPUs ------------------
_TABLE = """
# type        vCPU      MiB ENI  IP GPU
t3.nano          2      512   2   2  0
t3.micro         2     1024   2   2  0
t3.small         2     2048   3   4  0
t3.medium        2     4096   3   6  0
t3.large         2     8192   3  12  0
t3.xlarge        4    16384   4  15  0
t3.2xlarge       8    32768   4  15  0

t3a.nano         2      512   2   2  0
t3a.micro        2     1024   2   2  0
t3a.small        2     2048   2   4  0
t3a.medium       2     4096   3   6  0
t3a.large        2     8192   3  12  0
t3a.xlarge       4    16384   4  15  0
t3a.2xlarge      8    32768   4  15  0

t4g.nano         2      512   2   2  0
t4g.micro        2     1024   2   2  0
t4g.small        2     2048   3   4  0
t4g.medium       2     4096   3   6  0
t4g.large        2     8192   3  12  0
t4g.xlarge       4    16384   4  15  0
t4g.2xlarge      8    32768   4  15  0

m5.large         2     8192   3  10  0
m5.xlarge        4    16384   4  15  0
m5.2xlarge       8    32768   4  15  0
m5.4xlarge      16    65536   8  30  0
m5.8xlarge      32   131072   8  30  0
m5.12xlarge     48   196608   8  30  0
m5.16xlarge     64   262144  15  50  0
m5.24xlarge     96   393216  15  50  0

m5a.large        2     8192   3  10  0
m5a.xlarge       4    16384   4  15  0
m5a.2xlarge      8    32768   4  15  0
m5a.4xlarge     16    65536   8  30  0
m5a.8xlarge     32   131072   8  30  0
m5a.12xlarge    48   196608   8  30  0
m5a.16xlarge    64   262144  15  50  0
m5a.24xlarge    96   393216  15  50  0

m6i.large        2     8192   3  10  0
m6i.xlarge       4    16384   4  15  0
m6i.2xlarge      8    32768   4  15  0
m6i.4xlarge     16    65536   8  30  0
m6i.8xlarge     32   131072   8  30  0
m6i.12xlarge    48   196608   8  30  0
m6i.16xlarge    64   262144  15  50  0
m6i.24xlarge    96   393216  15  50  0
m6i.32xlarge   128   524288  15  50  0

m6a.large        2     8192   3  10  0
m6a.xlarge       4    16384   4  15  0
m6a.2xlarge      8    32768   4  15  0
m6a.4xlarge     16    65536   8  30  0
m6a.8xlarge     32   131072   8  30  0
m6a.12xlarge    48   196608   8  30  0
m6a.16xlarge    64   262144  15  50  0
m6a.24xlarge    96   393216  15  50  0
m6a.32xlarge   128   524288  15  50  0
m6a.48xlarge   192   786432  15  50  0

m6g.medium       1     4096   2   4  0
m6g.large        2     8192   3  10  0
m6g.xlarge       4    16384   4  15  0
m6g.2xlarge      8    32768   4  15  0
m6g.4xlarge     16    65536   8  30  0
m6g.8xlarge     32   131072   8  30  0
m6g.12xlarge    48   196608   8  30  0
m6g.16xlarge    64   262144  15  50  0

m7i.large        2     8192   3  10  0
m7i.xlarge       4    16384   4  15  0
m7i.2xlarge      8    32768   4  15  0
m7i.4xlarge     16    65536   8  30  0
m7i.8xlarge     32   131072   8  30  0
m7i.12xlarge    48   196608   8  30  0
m7i.16xlarge    64   262144  15  50  0
m7i.24xlarge    96   393216  15  50  0
m7i.48xlarge   192   786432  15  50  0

m7a.medium       1     4096   2   4  0
m7a.large        2     8192   3  10  0
m7a.xlarge       4    16384   4  15  0
m7a.2xlarge      8    32768   4  15  0
m7a.4xlarge     16    65536   8  30  0
m7a.8xlarge     32   131072   8  30  0
m7a.12xlarge    48   196608   8  30  0
m7a.16xlarge    64   262144  15  50  0
m7a.24xlarge    96   393216  15  50  0
m7a.32xlarge   128   524288  15  50  0
m7a.48xlarge   192   786432  15  50  0

m7g.medium       1     4096   2   4  0
m7g.large        2     8192   3  10  0
m7g.xlarge       4    16384   4  15  0
m7g.2xlarge      8    32768   4  15  0
m7g.4xlarge     16    65536   8  30  0
m7g.8xlarge     32   131072   8  30  0
m7g.12xlarge    48   196608   8  30  0
m7g.16xlarge    64   262144  15  50  0

m8g.medium       1     4096   2   4  0
m8g.large        2     8192   3  10  0
m8g.xlarge       4    16384   4  15  0
m8g.2xlarge      8    32768   4  15  0
m8g.4xlarge     16    65536   8  30  0
m8g.8xlarge     32   131072   8  30  0
m8g.12xlarge    48   196608   8  30  0
m8g.16xlarge    64   262144  15  50  0
m8g.24xlarge    96   393216  15  50  0
m8g.48xlarge   192   786432  15  50  0

c5.large         2     4096   3  10  0
c5.xlarge        4     8192   4  15  0
c5.2xlarge       8    16384   4  15  0
c5.4xlarge      16    32768   8  30  0
c5.9xlarge      36    73728   8  30  0
c5.12xlarge     48    98304   8  30  0
c5.18xlarge     72   147456  15  50  0
c5.24xlarge     96   196608  15  50  0

c6i.large        2     4096   3  10  0
c6i.xlarge       4     8192   4  15  0
c6i.2xlarge      8    16384   4  15  0
c6i.4xlarge     16    32768   8  30  0
c6i.8xlarge     32    65536   8  30  0
c6i.12xlarge    48    98304   8  30  0
c6i.16xlarge    64   131072  15  50  0
c6i.24xlarge    96   196608  15  50  0
c6i.32xlarge   128   262144  15  50  0

c6a.large        2     4096   3  10  0
c6a.xlarge       4     8192   4  15  0
c6a.2xlarge      8    16384   4  15  0
c6a.4xlarge     16    32768   8  30  0
c6a.8xlarge     32    65536   8  30  0
c6a.12xlarge    48    98304   8  30  0
c6a.16xlarge    64   131072  15  50  0
c6a.24xlarge    96   196608  15  50  0
c6a.32xlarge   128   262144  15  50  0
c6a.48xlarge   192   393216  15  50  0

c6g.medium       1     2048   2   4  0
c6g.large        2     4096   3  10  0
c6g.xlarge       4     8192   4  15  0
c6g.2xlarge      8    16384   4  15  0
c6g.4xlarge     16    32768   8  30  0
c6g.8xlarge     32    65536   8  30  0
c6g.12xlarge    48    98304   8  30  0
c6g.16xlarge    64   131072  15  50  0

c7i.large        2     4096   3  10  0
c7i.xlarge       4     8192   4  15  0
c7i.2xlarge      8    16384   4  15  0
c7i.4xlarge     16    32768   8  30  0
c7i.8xlarge     32    65536   8  30  0
c7i.12xlarge    48    98304   8  30  0
c7i.16xlarge    64   131072  15  50  0
c7i.24xlarge    96   196608  15  50  0
c7i.48xlarge   192   393216  15  50  0

c7a.medium       1     2048   2   4  0
c7a.large        2     4096   3  10  0
c7a.xlarge       4     8192   4  15  0
c7a.2xlarge      8    16384   4  15  0
c7a.4xlarge     16    32768   8  30  0
c7a.8xlarge     32    65536   8  30  0
c7a.12xlarge    48    98304   8  30  0
c7a.16xlarge    64   131072  15  50  0
c7a.24xlarge    96   196608  15  50  0
c7a.32xlarge   128   262144  15  50  0
c7a.48xlarge   192   393216  15  50  0

c7g.medium       1     2048   2   4  0
c7g.large        2     4096   3  10  0
c7g.xlarge       4     8192   4  15  0
c7g.2xlarge      8    16384   4  15  0
c7g.4xlarge     16    32768   8  30  0
c7g.8xlarge     32    65536   8  30  0
c7g.12xlarge    48    98304   8  30  0
c7g.16xlarge    64   131072  15  50  0

c8g.medium       1     2048   2   4  0
c8g.large        2     4096   3  10  0
c8g.xlarge       4     8192   4  15  0
c8g.2xlarge      8    16384   4  15  0
c8g.4xlarge     16    32768   8  30  0
c8g.8xlarge     32    65536   8  30  0
c8g.12xlarge    48    98304   8  30  0
c8g.16xlarge    64   131072  15  50  0
c8g.24xlarge    96   196608  15  50  0
c8g.48xlarge   192   393216  15  50  0

r5.large         2    16384   3  10  0
r5.xlarge        4    32768   4  15  0
r5.2xlarge       8    65536   4  15  0
r5.4xlarge      16   131072   8  30  0
r5.8xlarge      32   262144   8  30  0
r5.12xlarge     48   393216   8  30  0
r5.16xlarge     64   524288  15  50  0
r5.24xlarge     96   786432  15  50  0

r6i.large        2    16384   3  10  0
r6i.xlarge       4    32768   4  15  0
r6i.2xlarge      8    65536   4  15  0
r6i.4xlarge     16   131072   8  30  0
r6i.8xlarge     32   262144   8  30  0
r6i.12xlarge    48   393216   8  30  0
r6i.16xlarge    64   524288  15  50  0
r6i.24xlarge    96   786432  15  50  0
r6i.32xlarge   128  1048576  15  50  0

r6a.large        2    16384   3  10  0
r6a.xlarge       4    32768   4  15  0
r6a.2xlarge      8    65536   4  15  0
r6a.4xlarge     16   131072   8  30  0
r6a.8xlarge     32   262144   8  30  0
r6a.12xlarge    48   393216   8  30  0
r6a.16xlarge    64   524288  15  50  0
r6a.24xlarge    96   786432  15  50  0
r6a.32xlarge   128  1048576  15  50  0
r6a.48xlarge   192  1572864  15  50  0

r6g.medium       1     8192   2   4  0
r6g.large        2    16384   3  10  0
r6g.xlarge       4    32768   4  15  0
r6g.2xlarge      8    65536   4  15  0
r6g.4xlarge     16   131072   8  30  0
r6g.8xlarge     32   262144   8  30  0
r6g.12xlarge    48   393216   8  30  0
r6g.16xlarge    64   524288  15  50  0

r7i.large        2    16384   3  10  0
r7i.xlarge       4    32768   4  15  0
r7i.2xlarge      8    65536   4  15  0
r7i.4xlarge     16   131072   8  30  0
r7i.8xlarge     32   262144   8  30  0
r7i.12xlarge    48   393216   8  30  0
r7i.16xlarge    64   524288  15  50  0
r7i.24xlarge    96   786432  15  50  0
r7i.48xlarge   192  1572864  15  50  0

r7a.medium       1     8192   2   4  0
r7a.large        2    16384   3  10  0
r7a.xlarge       4    32768   4  15  0
r7a.2xlarge      8    65536   4  15  0
r7a.4xlarge     16   131072   8  30  0
r7a.8xlarge     32   262144   8  30  0
r7a.12xlarge    48   393216   8  30  0
r7a.16xlarge    64   524288  15  50  0
r7a.24xlarge    96   786432  15  50  0
r7a.32xlarge   128  1048576  15  50  0
r7a.48xlarge   192  1572864  15  50  0

r7g.medium       1     8192   2   4  0
r7g.large        2    16384   3  10  0
r7g.xlarge       4    32768   4  15  0
r7g.2xlarge      8    65536   4  15  0
r7g.4xlarge     16   131072   8  30  0
r7g.8xlarge     32   262144   8  30  0
r7g.12xlarge    48   393216   8  30  0
r7g.16xlarge    64   524288  15  50  0

r8g.medium       1     8192   2   4  0
r8g.large        2    16384   3  10  0
r8g.xlarge       4    32768   4  15  0
r8g.2xlarge      8    65536   4  15  0
r8g.4xlarge     16   131072   8  30  0
r8g.8xlarge     32   262144   8  30  0
r8g.12xlarge    48   393216   8  30  0
r8g.16xlarge    64   524288  15  50  0
r8g.24xlarge    96   786432  15  50  0
r8g.48xlarge   192  1572864  15  50  0

g4dn.xlarge      4    16384   3  10  1
g4dn.2xlarge     8    32768   3  10  1
g4dn.4xlarge    16    65536   3  10  1
g4dn.8xlarge    32   131072   4  15  1
g4dn.12xlarge   48   196608   8  30  4
g4dn.16xlarge   64   262144   4  15  1

g5.xlarge        4    16384   4  15  1
g5.2xlarge       8    32768   4  15  1
g5.4xlarge      16    65536   8  30  1
g5.8xlarge      32   131072   8  30  1
g5.12xlarge     48   196608  15  50  4
g5.16xlarge     64   262144   8  30  1
g5.24xlarge     96   393216  15  50  4
g5.48xlarge    192   786432   7  50  8

g6.xlarge        4    16384   4  15  1
g6.2xlarge       8    32768   4  15  1
g6.4xlarge      16    65536   8  30  1
g6.8xlarge      32   131072   8  30  1
g6.12xlarge     48   196608   8  30  4
g6.16xlarge     64   262144  15  50  1
g6.24xlarge     96   393216  15  50  4
g6.48xlarge    192   786432  15  50  8

g6e.xlarge       4    32768   4  15  1
g6e.2xlarge      8    65536   4  15  1
g6e.4xlarge     16   131072   8  30  1
g6e.8xlarge     32   262144   8  30  1
g6e.12xlarge    48   393216  10  30  4
g6e.16xlarge    64   524288  15  50  1
g6e.24xlarge    96   786432  10  50  4
g6e.48xlarge   192  1572864  10  50  8

p4d.24xlarge    96  1179648  15  50  8

p5.4xlarge      16   262144   4  30  1
p5.48xlarge    192  2097152   2  50  8

inf2.xlarge      4    16384   4  15  0
inf2.8xlarge    32   131072   8  30  0
inf2.24xlarge   96   393216  15  50  0
inf2.48xlarge  192   786432  15  50  0
"""


def _parse(table: str) -> dict[str, InstanceType]:
    catalog: dict[str, InstanceType] = {}
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *numbers = line.split()
        vcpus, memory_mib, enis, ipv4_per_eni, gpus = (int(n) for n in numbers)
        catalog[name] = InstanceType(name, vcpus, memory_mib, enis, ipv4_per_eni, gpus)
    return catalog


CATALOG: Mapping[str, InstanceType] = MappingProxyType(_parse(_TABLE))


def lookup(instance_type: str) -> InstanceType | None:
    """The catalog entry for an instance type like "m7g.large", or None if the catalog does not hold it."""
    return CATALOG.get(instance_type.strip().lower())
