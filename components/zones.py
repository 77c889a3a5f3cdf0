"""The Availability Zones of each AWS region, and the ones EKS refuses: one table for the program's
config check (a stack cannot ask for more zones than its region has), the Network component's
zone query, and the mock engine's answer to `aws.get_availability_zones`.

What the table holds is what EC2 DescribeAvailabilityZones lists for an account created today with
the Network component's filters: zone type `availability-zone`, state `available`, opt-in status
`opt-in-not-required` (AWS: "For Availability Zones, this parameter always has the value of
opt-in-not-required"). Pure data, no imports: the settings layer reads it without Pulumi.

Sources, read 2026-12-06:
- Counts and AZ IDs: AWS "Regions and Availability Zones", AWS Availability Zones
  (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html):
  every region has at least three zones; in the oldest regions names are mapped to physical zones
  per account (us-east-1, us-west-1, us-west-2, ap-northeast-1, ap-southeast-1, ap-southeast-2,
  eu-west-1, sa-east-1 ...), the AZ ID is the same physical zone in every account.
- Zone names and IDs per region ("ec2" rows): EC2 DescribeInstanceTypeOfferings with location types
  availability-zone and availability-zone-id, as recorded by getmoto/moto
  moto/ec2/resources/instance_type_offerings/ @ c6bd43ff2d090b35b6491f1cc80bffd29063e5c8 (2026-08-01);
  name-to-ID pairs of the oldest regions from moto/ec2/models/availability_zones_and_regions.py
  @ 0af643a5dbfc98797f08ee64f5be3ef8002d56ff (one account's pairing: another account's differs).
- "min3" rows (regions opened after that recording, the China and GovCloud partitions): three zones,
  the minimum the AWS page states, named a, b, c by the uniform mapping of regions opened after
  November 2012; cn-north-1 lists a, b, d as accounts there see them. Not read from the API: the
  IDs follow the AZ ID pattern.
- Zones EKS refuses: Amazon EKS User Guide, "View Amazon EKS networking requirements for VPC and
  subnets" (awsdocs/amazon-eks-user-guide latest/ug/networking/network-reqs.adoc @ 4d52b4d0):
  "The subnets can't reside in the following Availability Zones": use1-az3, usw1-az2, cac1-az3.

Not covered: Local Zones, Wavelength Zones and Outposts (opt-in, zone types other than
availability-zone: EKS cluster subnets cannot live there, and the Network component leaves them out);
the zones only accounts created long ago still see (usw1-az2, apne1-az3 as ap-northeast-1b,
cac1-az3); zones a given account sees impaired at run time (the Network component then refuses with
the zones it got); the aws-iso* and aws-eusc partitions.
"""

from __future__ import annotations

# EKS refuses cluster subnets in these zones (by AZ ID, the same physical zone in every account).
EKS_UNSUPPORTED_ZONE_IDS = ("use1-az3", "usw1-az2", "cac1-az3")

# region, source, then zones as <letter>:<AZ ID>.
_TABLE = """
af-south-1      ec2   a:afs1-az1 b:afs1-az2 c:afs1-az3
ap-east-1       ec2   a:ape1-az1 b:ape1-az2 c:ape1-az3
ap-east-2       min3  a:ape2-az1 b:ape2-az2 c:ape2-az3
ap-northeast-1  ec2   a:apne1-az4 c:apne1-az1 d:apne1-az2
ap-northeast-2  ec2   a:apne2-az1 b:apne2-az2 c:apne2-az3 d:apne2-az4
ap-northeast-3  ec2   a:apne3-az1 b:apne3-az2 c:apne3-az3
ap-south-1      ec2   a:aps1-az1 b:aps1-az3 c:aps1-az2
ap-south-2      ec2   a:aps2-az1 b:aps2-az2 c:aps2-az3
ap-southeast-1  ec2   a:apse1-az1 b:apse1-az2 c:apse1-az3
ap-southeast-2  ec2   a:apse2-az1 b:apse2-az3 c:apse2-az2
ap-southeast-3  ec2   a:apse3-az1 b:apse3-az2 c:apse3-az3
ap-southeast-4  ec2   a:apse4-az1 b:apse4-az2 c:apse4-az3
ap-southeast-5  ec2   a:apse5-az1 b:apse5-az2 c:apse5-az3
ap-southeast-6  min3  a:apse6-az1 b:apse6-az2 c:apse6-az3
ap-southeast-7  min3  a:apse7-az1 b:apse7-az2 c:apse7-az3
ca-central-1    ec2   a:cac1-az1 b:cac1-az2 d:cac1-az4
ca-west-1       ec2   a:caw1-az1 b:caw1-az2 c:caw1-az3
eu-central-1    ec2   a:euc1-az1 b:euc1-az2 c:euc1-az3
eu-central-2    ec2   a:euc2-az1 b:euc2-az2 c:euc2-az3
eu-north-1      ec2   a:eun1-az1 b:eun1-az2 c:eun1-az3
eu-south-1      ec2   a:eus1-az1 b:eus1-az2 c:eus1-az3
eu-south-2      ec2   a:eus2-az1 b:eus2-az2 c:eus2-az3
eu-west-1       ec2   a:euw1-az3 b:euw1-az1 c:euw1-az2
eu-west-2       ec2   a:euw2-az2 b:euw2-az3 c:euw2-az1
eu-west-3       ec2   a:euw3-az1 b:euw3-az2 c:euw3-az3
il-central-1    ec2   a:ilc1-az1 b:ilc1-az2 c:ilc1-az3
me-central-1    ec2   a:mec1-az1 b:mec1-az2 c:mec1-az3
me-south-1      ec2   a:mes1-az1 b:mes1-az2 c:mes1-az3
mx-central-1    min3  a:mxc1-az1 b:mxc1-az2 c:mxc1-az3
sa-east-1       ec2   a:sae1-az1 b:sae1-az2 c:sae1-az3
us-east-1       ec2   a:use1-az6 b:use1-az1 c:use1-az2 d:use1-az4 e:use1-az3 f:use1-az5
us-east-2       ec2   a:use2-az1 b:use2-az2 c:use2-az3
us-west-1       ec2   a:usw1-az3 b:usw1-az1
us-west-2       ec2   a:usw2-az2 b:usw2-az1 c:usw2-az3 d:usw2-az4
cn-north-1      min3  a:cnn1-az1 b:cnn1-az2 d:cnn1-az4
cn-northwest-1  min3  a:cnnw1-az1 b:cnnw1-az2 c:cnnw1-az3
us-gov-east-1   min3  a:usge1-az1 b:usge1-az2 c:usge1-az3
us-gov-west-1   min3  a:usgw1-az1 b:usgw1-az2 c:usgw1-az3
"""


def _parse(table: str) -> dict[str, tuple[tuple[str, str], ...]]:
    regions = {}
    for line in table.strip().splitlines():
        region, _source, *zones = line.split()
        regions[region] = tuple((f"{region}{z.split(':')[0]}", z.split(":")[1]) for z in zones)
    return regions


# Region -> its zones as (name, AZ ID), sorted by name: what DescribeAvailabilityZones lists.
ZONES: dict[str, tuple[tuple[str, str], ...]] = _parse(_TABLE)


def eks_zones(region: str) -> tuple[tuple[str, str], ...] | None:
    """The region's zones EKS accepts cluster subnets in, sorted by name; None for a region the table
    does not hold."""
    zones = ZONES.get(region)
    if zones is None:
        return None
    return tuple(z for z in zones if z[1] not in EKS_UNSUPPORTED_ZONE_IDS)
