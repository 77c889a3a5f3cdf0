"""Realistic outputs for the resources and data sources the platform uses, under the mock engine.

Ids and ARNs look like AWS's and are derived from the resource's type and name, so two runs
of the same program give the same values (the render must be byte-identical). The account
is AWS's documentation account, 123456789012.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime import rpc

from eks_platform.components import urns
from eks_platform.components.zones import ZONES

from . import pulumi_eks

ACCOUNT_ID = "123456789012"
# base64 of a PEM block that says it is a mock: never a real CA.
MOCK_CA_DATA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nmock-ca\n-----END CERTIFICATE-----\n").decode()

# Resource id prefixes AWS uses, by Pulumi type token.
_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
}


def _hex(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _resource_ref(urn: str, resource_id: str) -> dict:
    """What the engine sends for an output that is a resource (e.g. eks.Cluster.eksCluster)."""
    return {rpc._special_sig_key: rpc._special_resource_sig, "urn": urn, "id": resource_id, "packageVersion": ""}


class PlatformMocks(pulumi.runtime.Mocks):
    def __init__(
        self, region: str, stack_references: Mapping[str, Mapping[str, Any]] | None = None, preview: bool = False
    ):
        self.region = region
        # A first preview: resources do not exist yet, so what providers compute is unknown.
        self.preview = preview
        # Stack name -> its outputs (Secret-marked values stay secret), for pulumi.StackReference.
        self.stack_references = dict(stack_references or {})
        # The runner stays free of the settings layer (and its imports): the partition from the prefix.
        self.partition = {"cn": "aws-cn", "us-gov": "aws-us-gov"}.get(region.rsplit("-", 2)[0], "aws")
        self.monitor: Any = None  # set by the runner; child resources are registered on it
        self.current = threading.local()  # URN of the registration being mocked, per thread

    def arn(self, service: str, resource: str, region: bool = True) -> str:
        return f"arn:{self.partition}:{service}:{self.region if region else ''}:{ACCOUNT_ID}:{resource}"

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        inputs, name, typ = dict(args.inputs), args.name, args.typ
        suffix = _hex(pulumi.get_stack(), typ, name)
        if self.preview and typ != "pulumi:pulumi:StackReference":
            # A create in preview: the planned state is the inputs; ids and every computed output
            # are left out, which the SDK resolves as unknown.
            if typ == "eks:index:Cluster":
                return "", self._eks_cluster(name, inputs, suffix, args.transforms)
            return "", inputs
        resource_id = _ID_PREFIX[typ] + suffix if typ in _ID_PREFIX else f"{name}-{suffix[:8]}"
        state = {**inputs, "id": resource_id}

        if typ == "aws:ec2/vpc:Vpc":
            state["arn"] = self.arn("ec2", f"vpc/{resource_id}")
        elif typ == "aws:ec2/subnet:Subnet":
            state["arn"] = self.arn("ec2", f"subnet/{resource_id}")
        elif typ == "aws:ec2/launchTemplate:LaunchTemplate":
            state.update(latestVersion=1, defaultVersion=1, arn=self.arn("ec2", f"launch-template/{resource_id}"))
        elif typ == "aws:iam/role:Role":
            role_name = inputs.get("name") or f"{name}-{suffix[:7]}"
            resource_id = role_name
            state.update(id=role_name, name=role_name, arn=self.arn("iam", f"role/{role_name}", region=False))
        elif typ == "aws:eks/nodeGroup:NodeGroup":
            # EKS names the group from the prefix and creates its Auto Scaling group.
            group = f"{inputs.get('nodeGroupNamePrefix', name + '-')}{suffix[:26]}"
            asg = f"eks-{group}-{_hex('asg', group, length=8)}"
            state.update(nodeGroupName=group, resources=[{"autoscalingGroups": [{"name": asg}]}])
        elif typ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            state["arn"] = self.arn(
                "iam", f"oidc-provider/{str(inputs.get('url', '')).removeprefix('https://')}", False
            )
        elif typ == "aws:kms/key:Key":
            key_id = f"{suffix[:8]}-{suffix[8:12]}-4{suffix[12:15]}-8{_hex(name)[:3]}-{_hex(name, typ)[:12]}"
            resource_id = key_id
            state.update(id=key_id, keyId=key_id, arn=self.arn("kms", f"key/{key_id}"))
        elif typ == "eks:index:Cluster":
            state.update(self._eks_cluster(name, inputs, suffix, args.transforms))
        elif typ == "random:index/randomPassword:RandomPassword":
            # Deterministic, and secret as the provider makes it.
            state["result"] = rpc.wrap_rpc_secret(f"mock-password-{suffix[:16]}")
        elif typ == "pulumi:pulumi:StackReference":
            stack = args.resource_id or inputs.get("name") or name
            if stack not in self.stack_references:
                raise LookupError(f"no outputs given for stack reference {stack}")
            outputs = self.stack_references[stack]
            state = {
                "name": stack,
                "outputs": {k: getattr(v, "value", v) for k, v in outputs.items()},
                "secretOutputNames": sorted(k for k, v in outputs.items() if hasattr(v, "value")),
            }
            resource_id = stack
        elif typ.startswith("kubernetes:"):
            state = self._kubernetes_object(inputs, name)
        return resource_id, state

    def role_arn(self, role_id: str) -> str:
        """A role the program passed by reference arrives as its id (the role name): its ARN."""
        return role_id if role_id.startswith("arn:") else self.arn("iam", f"role/{role_id}", region=False)

    def _eks_cluster(self, name: str, inputs: dict, suffix: str, transforms: list) -> dict:
        """pulumi-eks' Cluster: its children (runner/pulumi_eks.py) are registered on the monitor, after the
        program's transforms on the component (as the engine applies them to its children), and the
        aws.eks.Cluster among them is returned as a resource reference, as pulumi-eks does."""
        cluster_name = inputs.get("name") or f"{name}-eksCluster-{suffix[:7]}"
        oidc_id = _hex("oidc", cluster_name, length=32).upper()
        issuer = f"https://oidc.eks.{self.region}.amazonaws.com/id/{oidc_id}"
        security_group = "sg-" + _hex("cluster-sg", cluster_name)
        endpoint_id = _hex("endpoint", cluster_name, length=32).upper()
        computed = {
            "name": cluster_name,
            "arn": self.arn("eks", f"cluster/{cluster_name}"),
            "endpoint": f"https://{endpoint_id}.gr7.{self.region}.eks.amazonaws.com",
            "certificateAuthority": {"data": MOCK_CA_DATA},
            "identities": [{"oidcs": [{"issuer": issuer}]}],
        }
        found = pulumi_eks.children(
            name, inputs, {} if self.preview else computed, self.region, self.role_arn, transforms or ()
        )
        cluster = found[0]
        parent_urn, dependencies = self.current.urn, self.current.property_dependencies
        child_urn = urns.child_urn(parent_urn, cluster.type, cluster.name)
        if self.preview:
            self.monitor.register_children(parent_urn, found, dependencies)
            return {"eksCluster": _resource_ref(child_urn, "")}
        cluster.outputs["vpcConfig"] = {**cluster.inputs["vpcConfig"], "clusterSecurityGroupId": security_group}
        self.monitor.register_children(parent_urn, found, dependencies)
        return {
            "eksCluster": _resource_ref(child_urn, cluster_name),
            # With skipDefaultSecurityGroups pulumi-eks reports the security group EKS created.
            "clusterSecurityGroupId": security_group,
            "oidcProviderArn": "",  # createOidcProvider: false
            "oidcProviderUrl": issuer,
            "oidcIssuer": issuer.removeprefix("https://"),
        }

    @staticmethod
    def _kubernetes_object(inputs: dict, name: str) -> dict:
        metadata = dict(inputs.get("metadata") or {})
        metadata.setdefault("name", name)
        metadata["uid"] = "-".join((_hex("uid", name)[:8], _hex("uid", name)[8:12], "4000", "8000", _hex(name)[:12]))
        return {**inputs, "metadata": metadata}

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            return self._availability_zones(args.args)
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            arn = f"arn:{self.partition}:iam::{ACCOUNT_ID}:user/platform-admin"
            return {"accountId": ACCOUNT_ID, "arn": arn, "userId": "AIDAEXAMPLE", "id": ACCOUNT_ID}
        if args.token == "aws:eks/getAddonVersion:getAddonVersion":
            # Looked up from EKS at preview; offline, a placeholder that says what it stands for.
            name, version = args.args.get("addonName"), args.args.get("kubernetesVersion")
            which = "most recent" if args.args.get("mostRecent") else "default"
            return {**args.args, "id": name, "version": f"<EKS {which} version of {name} for Kubernetes {version}>"}
        if args.token == "aws:ec2/getVpc:getVpc":
            # An existing VPC's range: read from EC2 at preview; offline, a placeholder that says so.
            vpc = args.args.get("id")
            return {**args.args, "id": vpc, "cidrBlock": f"<IPv4 range of {vpc}, looked up at preview>"}
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": self.partition, "dnsSuffix": "amazonaws.com", "id": self.partition}
        return {}

    def _availability_zones(self, query: Mapping[str, Any]) -> dict:
        """The region's zones from the zone table, as DescribeAvailabilityZones answers the query: every
        zone there is an available Availability Zone that needs no opt-in, so only the exclusions and an
        opt-in filter asking for something else narrow the list. A region the table lacks has none."""
        region = query.get("region") or self.region
        zones = [
            (name, zone_id)
            for name, zone_id in ZONES.get(region, ())
            if name not in (query.get("excludeNames") or ())
            and zone_id not in (query.get("excludeZoneIds") or ())
            and query.get("state", "available") == "available"
        ]
        for wanted in query.get("filters") or ():
            if wanted.get("name") == "opt-in-status" and "opt-in-not-required" not in wanted.get("values", ()):
                zones = []
        return {
            "id": region,
            "names": [name for name, _ in zones],
            "zoneIds": [zone_id for _, zone_id in zones],
            "groupNames": [region for _ in zones],
        }
