"""Network: the VPC an EKS cluster lives in — created across AZs, or an existing one passed through.

Created: a VPC with DNS support (EKS needs it), one private and one public subnet per AZ
with the subnet role tags load balancers look for, an internet gateway, NAT (one for the
VPC or one per AZ) and route tables; the VPC's default security group is emptied so
nothing uses it by accident.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .zones import EKS_UNSUPPORTED_ZONE_IDS


@dataclass(frozen=True)
class SubnetBlock:
    """One availability zone's pair of subnets in a created VPC."""

    az_index: int
    """Which of the region's zones (sorted by name; opt-in zones and those EKS refuses left out): 0 is the first."""
    private_cidr: str
    """Nodes and pods (the VPC CNI gives pods VPC addresses): make it the larger block."""
    public_cidr: str
    """Load balancers and the NAT gateway only."""


@dataclass(frozen=True)
class NetworkArgs:
    cluster_name: str
    """Names resources (`<cluster>-<what>`) and tags subnets `kubernetes.io/cluster/<name>` for load balancers."""
    vpc_cidr: str | None = None
    """Create a VPC with this IPv4 block. Leave None to use an existing VPC (`vpc_id`)."""
    subnet_blocks: Sequence[SubnetBlock] = ()
    """With `vpc_cidr`: one private and one public subnet per zone, inside `vpc_cidr`; at least 2."""
    nat_per_az: bool = False
    """One NAT gateway per zone (an AZ outage stops only that zone's egress) instead of one for the VPC."""
    public_ips_on_launch: bool = False
    """Give instances in the public subnets public addresses (only for node groups in public subnets)."""
    vpc_id: str | None = None
    """An existing VPC: nothing is created, its ids are passed through."""
    private_subnet_ids: Sequence[str] = ()
    """With `vpc_id`: at least 2, in different zones."""
    public_subnet_ids: Sequence[str] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    """On every resource created."""

    def __post_init__(self):
        def refuse(name: str, why: str) -> None:
            raise ValueError(f"Network: args.{name} {why}")

        if (self.vpc_cidr is None) == (self.vpc_id is None):
            refuse("vpc_cidr", "and args.vpc_id: give exactly one (create a VPC, or use an existing one)")
        if self.vpc_cidr is not None and len(self.subnet_blocks) < 2:
            refuse("subnet_blocks", f"has {len(self.subnet_blocks)}; EKS needs subnets in at least 2 zones")
        if self.vpc_id is not None and len(self.private_subnet_ids) < 2:
            refuse("private_subnet_ids", f"has {len(self.private_subnet_ids)}; EKS needs at least 2")


@dataclass(frozen=True)
class _Zone:
    """What every resource of one zone's subnets is made with (`suffix`: az1, az2, ...)."""

    name: str
    args: NetworkArgs
    vpc: aws.ec2.Vpc
    az: str
    suffix: str


def _tags(args: NetworkArgs, resource_name: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**args.tags, "Name": f"{args.cluster_name}-{resource_name}", **(extra or {})}


def _cluster_tag(args: NetworkArgs) -> dict[str, str]:
    """The tag load balancers (the AWS Load Balancer Controller) find a cluster's subnets by."""
    return {f"kubernetes.io/cluster/{args.cluster_name}": "shared"}


class Network(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list[str]]
    public_subnet_ids: pulumi.Output[list[str]]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:index:Network", name, None, opts)
        self._cidr_block: pulumi.Output[str] | None = None
        if args.vpc_id is not None:
            self.vpc_id = pulumi.Output.from_input(args.vpc_id)
            self.private_subnet_ids = pulumi.Output.from_input(list(args.private_subnet_ids))
            self.public_subnet_ids = pulumi.Output.from_input(list(args.public_subnet_ids))
        else:
            self._create(name, args)
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "privateSubnetIds": self.private_subnet_ids,
                "publicSubnetIds": self.public_subnet_ids,
            }
        )

    def _create(self, name: str, args: NetworkArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        zones = self._zones(args)
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.vpc_cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags=_tags(args, "vpc"),
            opts=child,
        )
        aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg", vpc_id=vpc.id, tags=_tags(args, "default-unused"), opts=child
        )
        gateway = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=_tags(args, "igw"), opts=child)
        public_routes = aws.ec2.RouteTable(
            f"{name}-public",
            vpc_id=vpc.id,
            routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": gateway.id}],
            tags=_tags(args, "public"),
            opts=child,
        )
        public_subnets, private_subnets, nats = [], [], []
        for block in args.subnet_blocks:
            zone = _Zone(name, args, vpc, zones[block.az_index], f"az{block.az_index + 1}")
            public = self._public_subnet(zone, block, public_routes)
            if args.nat_per_az or not nats:
                nats.append(self._nat_gateway(zone, public, gateway))
            private_subnets.append(self._private_subnet(zone, block, nats[-1]))
            public_subnets.append(public)

        self.vpc_id = vpc.id
        self._cidr_block = vpc.cidr_block
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private_subnets])
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public_subnets])

    def _public_subnet(self, zone: _Zone, block: SubnetBlock, routes: aws.ec2.RouteTable) -> aws.ec2.Subnet:
        """Load balancers and NAT gateways; tagged for internet-facing load balancers, routed to the internet."""
        public = aws.ec2.Subnet(
            f"{zone.name}-public-{zone.suffix}",
            vpc_id=zone.vpc.id,
            cidr_block=block.public_cidr,
            availability_zone=zone.az,
            map_public_ip_on_launch=zone.args.public_ips_on_launch,
            tags=_tags(zone.args, f"public-{zone.suffix}", {**_cluster_tag(zone.args), "kubernetes.io/role/elb": "1"}),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.ec2.RouteTableAssociation(
            f"{zone.name}-public-{zone.suffix}",
            subnet_id=public.id,
            route_table_id=routes.id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return public

    def _nat_gateway(self, zone: _Zone, public: aws.ec2.Subnet, gateway: aws.ec2.InternetGateway) -> aws.ec2.NatGateway:
        eip = aws.ec2.Eip(
            f"{zone.name}-nat-{zone.suffix}",
            domain="vpc",
            tags=_tags(zone.args, f"nat-{zone.suffix}"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return aws.ec2.NatGateway(
            f"{zone.name}-nat-{zone.suffix}",
            allocation_id=eip.id,
            subnet_id=public.id,
            tags=_tags(zone.args, f"nat-{zone.suffix}"),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[gateway]),
        )

    def _private_subnet(self, zone: _Zone, block: SubnetBlock, nat: aws.ec2.NatGateway) -> aws.ec2.Subnet:
        """Nodes and pods; tagged for internal load balancers, routed out through the NAT gateway."""
        child = pulumi.ResourceOptions(parent=self)
        private = aws.ec2.Subnet(
            f"{zone.name}-private-{zone.suffix}",
            vpc_id=zone.vpc.id,
            cidr_block=block.private_cidr,
            availability_zone=zone.az,
            tags=_tags(
                zone.args, f"private-{zone.suffix}", {**_cluster_tag(zone.args), "kubernetes.io/role/internal-elb": "1"}
            ),
            opts=child,
        )
        routes = aws.ec2.RouteTable(
            f"{zone.name}-private-{zone.suffix}",
            vpc_id=zone.vpc.id,
            routes=[{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat.id}],
            tags=_tags(zone.args, f"private-{zone.suffix}"),
            opts=child,
        )
        aws.ec2.RouteTableAssociation(
            f"{zone.name}-private-{zone.suffix}", subnet_id=private.id, route_table_id=routes.id, opts=child
        )
        return private

    def vpc_cidr_block(self) -> pulumi.Output[str]:
        """The VPC's IPv4 block: the one it was created with, or an existing VPC's, looked up at preview
        (ec2:DescribeVpcs) — only when asked, so a stack that never needs it reads nothing."""
        if self._cidr_block is None:
            self._cidr_block = aws.ec2.get_vpc_output(
                id=self.vpc_id, opts=pulumi.InvokeOutputOptions(parent=self)
            ).cidr_block
        return self._cidr_block

    def _zones(self, args: NetworkArgs) -> list[str]:
        """The zones the subnets go in, asked before anything is created: a region (or an account) that
        offers fewer than the subnet blocks need stops here with the zones it has, not half-way."""
        # Local Zones and Wavelength Zones need opting in and cannot host EKS; nor can the zones EKS
        # refuses cluster subnets in (its user guide's subnet requirements): leave them out.
        found = aws.get_availability_zones(
            state="available",
            filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]}],
            exclude_zone_ids=list(EKS_UNSUPPORTED_ZONE_IDS),
            opts=pulumi.InvokeOptions(parent=self),
        )
        names = sorted(found.names)
        needed = max(block.az_index for block in args.subnet_blocks) + 1
        if needed > len(names):
            raise pulumi.RunError(
                f"Network: the region offers {len(names)} available Availability Zones EKS accepts "
                f"({', '.join(names) or 'none'}); the subnet blocks need {needed}: use at most {len(names)}"
            )
        return names
