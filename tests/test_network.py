"""Network: the VPC, subnets, NAT and routes it creates — or the existing VPC it passes through."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pulumi
import pytest

from settings.subnets import plan_subnets
from tests.conftest import config_with, run_config

SUBNET = "aws:ec2/subnet:Subnet"
NAT = "aws:ec2/natGateway:NatGateway"
ROUTES = "aws:ec2/routeTable:RouteTable"


def subnets(result, kind: str):
    return sorted((r for r in result.of_type(SUBNET) if f"-{kind}-" in r.name), key=lambda r: r.name)


def test_vpc_has_the_cidr_and_the_dns_eks_needs(dev):
    vpc = dev.one("aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == "10.10.0.0/16"
    assert vpc.inputs["enableDnsHostnames"] is True
    assert vpc.inputs["enableDnsSupport"] is True


def test_one_private_and_one_public_subnet_per_az_with_elb_role_tags(prod):
    private, public = subnets(prod, "private"), subnets(prod, "public")
    assert len(private) == len(public) == 3
    zones = {s.inputs["availabilityZone"] for s in private}
    assert zones == {"ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"}
    for s in private:
        assert s.inputs["tags"]["kubernetes.io/role/internal-elb"] == "1"
        assert "kubernetes.io/role/elb" not in s.inputs["tags"]
        assert s.inputs["tags"]["kubernetes.io/cluster/eks-platform-prod"] == "shared"
    for s in public:
        assert s.inputs["tags"]["kubernetes.io/role/elb"] == "1"
        assert s.inputs["mapPublicIpOnLaunch"] is False


def test_subnet_cidrs_follow_the_plan_and_do_not_overlap(prod):
    blocks = plan_subnets("10.20.0.0/16", 3)
    assert [s.inputs["cidrBlock"] for s in subnets(prod, "private")] == [b.private_cidr for b in blocks]
    assert [s.inputs["cidrBlock"] for s in subnets(prod, "public")] == [b.public_cidr for b in blocks]
    nets = [ipaddress.IPv4Network(s.inputs["cidrBlock"]) for s in prod.of_type(SUBNET)]
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])
    assert all(n.subnet_of(ipaddress.IPv4Network("10.20.0.0/16")) for n in nets)


@pytest.mark.parametrize(("vpc_cidr", "zones"), [("10.0.0.0/16", 2), ("10.0.0.0/16", 3), ("192.168.0.0/24", 6)])
def test_subnet_plan_fits_every_allowed_vpc(vpc_cidr, zones):
    blocks = plan_subnets(vpc_cidr, zones)
    nets = [ipaddress.IPv4Network(c) for b in blocks for c in (b.private_cidr, b.public_cidr)]
    assert len(nets) == 2 * zones
    assert all(n.prefixlen <= 28 for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])


def test_single_nat_serves_every_private_route_table(dev):
    (nat,) = dev.of_type(NAT)
    private_tables = [r for r in dev.of_type(ROUTES) if "private" in r.name]
    assert len(private_tables) == 2
    assert {t.inputs["routes"][0]["natGatewayId"] for t in private_tables} == {nat.outputs["id"]}


def test_nat_per_az_routes_each_az_through_its_own_nat(prod):
    nats = {n.name.rsplit("-", 1)[1]: n for n in prod.of_type(NAT)}
    assert sorted(nats) == ["az1", "az2", "az3"]
    for table in (r for r in prod.of_type(ROUTES) if "private" in r.name):
        az = table.name.rsplit("-", 1)[1]
        assert table.inputs["routes"] == [{"cidrBlock": "0.0.0.0/0", "natGatewayId": nats[az].outputs["id"]}]
    public_ids = {s.outputs["id"] for s in subnets(prod, "public")}
    assert {n.inputs["subnetId"] for n in nats.values()} == public_ids


def test_public_routes_go_through_the_internet_gateway(dev):
    gateway = dev.one("aws:ec2/internetGateway:InternetGateway")
    public = dev.one(ROUTES, "network-public")
    assert public.inputs["routes"] == [{"cidrBlock": "0.0.0.0/0", "gatewayId": gateway.outputs["id"]}]


def test_default_security_group_is_emptied(dev):
    default_sg = dev.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert not default_sg.inputs.get("ingress") and not default_sg.inputs.get("egress")


def test_public_node_group_gets_public_ips_on_launch():
    result = run_config(config_with(nodeGroups=[{"name": "edge", "subnets": "public"}]))
    assert all(s.inputs["mapPublicIpOnLaunch"] for s in subnets(result, "public"))
    mng = result.one("aws:eks/nodeGroup:NodeGroup")
    assert mng.inputs["subnetIds"] == [s.outputs["id"] for s in subnets(result, "public")]


def test_existing_vpc_is_passed_through_and_nothing_is_created():
    existing = {
        "vpcId": "vpc-0123456789abcdef0",
        "privateSubnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
        "publicSubnetIds": ["subnet-0bbbbbbbbbbbbbbb1"],
    }
    result = run_config(config_with(network=existing))
    network = result.one("eks-platform:index:Network")
    assert result.children(network) == []
    assert [r.type for r in result.resources if r.type.startswith("aws:ec2/vpc") or r.type == SUBNET] == []
    cluster = result.one("eks:index:Cluster")
    assert cluster.inputs["vpcId"] == existing["vpcId"]
    assert cluster.inputs["privateSubnetIds"] == existing["privateSubnetIds"]
    assert result.outputs["publicSubnetIds"] == existing["publicSubnetIds"]


@pytest.mark.parametrize(
    "stack, private, public",
    [
        # 10.10.0.0/16 over 2 zones: the first half in /18s for pods, public /20s from the second half.
        ("dev", ["10.10.0.0/18", "10.10.64.0/18"], ["10.10.128.0/20", "10.10.144.0/20"]),
        # 10.20.0.0/16 over 3 zones: 4 slots of /19, public /21s.
        (
            "prod",
            ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
            ["10.20.128.0/21", "10.20.136.0/21", "10.20.144.0/21"],
        ),
    ],
)
def test_the_checked_in_stacks_get_these_subnets(stack, private, public, request):
    result = request.getfixturevalue(stack)
    assert [s.inputs["cidrBlock"] for s in subnets(result, "private")] == private
    assert [s.inputs["cidrBlock"] for s in subnets(result, "public")] == public


# --- zones: the region's own, never an index past what AWS returns ------------------------------------
# Zone names and IDs as AWS lists them ("Regions and Availability Zones"; EC2 DescribeAvailabilityZones),
# written here, not read from the zone table; use1-az3 is refused by EKS (EKS User Guide, subnet
# requirements), so the program's query excludes it.
ZONE_QUERY = "aws:index/getAvailabilityZones:getAvailabilityZones"


@pytest.mark.parametrize(
    ("region", "query", "names"),
    [
        ("ap-northeast-2", {}, ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"]),
        ("ap-northeast-3", {}, ["ap-northeast-3a", "ap-northeast-3b", "ap-northeast-3c"]),
        ("ap-northeast-1", {}, ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]),
        ("us-east-1", {"excludeZoneIds": ["use1-az3"]}, [f"us-east-1{z}" for z in "abcdf"]),
        ("us-west-1", {"excludeNames": ["us-west-1a"]}, ["us-west-1b"]),
        ("eu-west-1", {"filters": [{"name": "opt-in-status", "values": ["opted-in"]}]}, []),
        ("eu-west-1", {"state": "impaired"}, []),
        ("xx-nowhere-1", {}, []),
    ],
)
def test_the_mock_answers_with_the_regions_real_zones(region, query, names):
    from eks_platform.runner.mocks import PlatformMocks

    answer = PlatformMocks(region).call(pulumi.runtime.MockCallArgs(ZONE_QUERY, query, ""))
    assert answer["names"] == names
    assert len(answer["zoneIds"]) == len(names)


def test_subnets_skip_the_zone_eks_refuses():
    result = run_config(config_with(region="us-east-1", network={"availabilityZones": 5}))
    zones = [s.inputs["availabilityZone"] for s in subnets(result, "private")]
    assert zones == ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"]
    (query,) = [i for i in result.invokes if i.token == ZONE_QUERY]
    assert query.args["excludeZoneIds"] == ["use1-az3", "usw1-az2", "cac1-az3"]
    assert query.args["state"] == "available"


@pytest.mark.parametrize(("region", "zones", "fails"), [("us-west-1", 2, False), ("us-west-1", 3, True)])
def test_the_component_refuses_more_zones_than_the_region_returns_before_creating_anything(region, zones, fails):
    from eks_platform.runner.engine import ProgramError, run_program
    from eks_platform.runner.stack_config import StackConfig

    program = Path(__file__).parent / "fixtures" / "network_program" / "__main__.py"
    config = StackConfig("eks-platform", "test", {"aws:region": region, "test:zones": str(zones)}, set())
    if not fails:
        assert len(subnets(run_program(config, program), "private")) == zones
        return
    with pytest.raises(ProgramError) as caught:
        run_program(config, program)
    assert caught.value.user_error
    assert "offers 2 available Availability Zones EKS accepts (us-west-1a, us-west-1b)" in caught.value.message
    assert "need 3" in caught.value.message
    assert [r.type for r in caught.value.resources] == ["eks-platform:index:Network"]
