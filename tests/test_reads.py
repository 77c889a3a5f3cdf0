"""Which input reads which computed output (render/reads.py): the edges a replacement ripples along.

Traced from the mock's distinct ids and ARNs within each input's recorded property dependencies: an
input that equals an output reads it; one that contains it (an ARN in aws-auth's YAML) reads the
longest it contains; a value that is also one of the source's own inputs stays known.
"""

from __future__ import annotations

import pytest

from render.reads import all_reads


@pytest.fixture(scope="module")
def reads(dev):
    by_name = {}
    for urn, found in all_reads(dev).items():
        resource = next(r for r in dev.resources if r.urn == urn)
        by_name[resource.type, resource.name] = {
            path: sorted((s["from"].rsplit("::", 1)[-1], s["output"]) for s in sources)
            for path, sources in found.items()
        }
    return by_name


def test_the_node_group_reads_subnets_template_and_role(reads):
    assert reads["aws:eks/nodeGroup:NodeGroup", "general"] == {
        "launchTemplate.id": [("general-nodes", "id")],
        # "1" is both the latest and the default version (update_default_version)
        "launchTemplate.version": [("general-nodes", "defaultVersion"), ("general-nodes", "latestVersion")],
        "nodeRoleArn": [("general-node-role", "arn")],  # the ARN, not the name inside it
        "subnetIds[0]": [("network-private-az1", "id")],
        "subnetIds[1]": [("network-private-az2", "id")],
    }


def test_a_value_inside_a_document_reads_the_output_it_contains(reads):
    assert reads["kubernetes:core/v1:ConfigMap", "cluster-nodeAccess"] == {
        "data.mapRoles": [("general-node-role", "arn")]
    }


def test_a_value_the_source_was_given_stays_known(dev, reads):
    # The node role is named by the program: its attachments read a name that survives a replacement.
    assert dev.one("aws:iam/role:Role", "general-node-role").inputs["name"]
    attachments = [k for k in reads if k[1].startswith("general-node-role-")]
    assert attachments == []
    # The cluster's role is named by the provider (computed): its attachment reads it.
    assert reads["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cluster-service-role-cluster-policy"] == {
        "role": [("cluster-service-role", "id"), ("cluster-service-role", "name")]
    }


def test_what_a_multi_language_component_returns_is_read_from_what_it_creates(reads):
    # the OIDC provider's url is the issuer of the aws:eks/cluster:Cluster, not eks:index:Cluster's output
    assert reads["aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-oidc"] == {
        "url": [("cluster-eksCluster", "identities[0].oidcs[0].issuer")]
    }
    assert reads["pulumi:providers:kubernetes", "cluster-k8s"] == {
        "kubeconfig": [("cluster-eksCluster", "certificateAuthority.data"), ("cluster-eksCluster", "endpoint")]
    }


def test_plain_inputs_read_nothing(reads):
    assert ("aws:ec2/vpc:Vpc", "network-vpc") not in reads
    assert ("aws:ec2/launchTemplate:LaunchTemplate", "general-nodes") not in reads


def test_a_document_reads_the_longest_output_it_contains():
    from render.reads import matching_outputs

    arn = ("u", "arn", "arn:aws:iam::123456789012:role/cluster-service-role-1a2b3c4")
    role_id = ("u", "id", "cluster-service-role-1a2b3c4")
    document = f"- rolearn: {arn[2]}\n  username: admin\n"
    assert matching_outputs(document, [arn, role_id]) == [arn]  # the ARN, not also the id inside it
    assert matching_outputs(role_id[2], [arn, role_id]) == [role_id]  # equal wins over contained
    assert matching_outputs("1", [("lt", "latestVersion", 1)]) == [("lt", "latestVersion", 1)]
    assert matching_outputs("role: x", [("u", "id", "x")]) == []  # too short to be taken as contained
