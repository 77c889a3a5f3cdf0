"""The access section of the render: identity -> username -> groups -> what the groups may do."""

from __future__ import annotations

from render.access import access_review, access_text

ACCOUNT = "111122223333"


def rows(result) -> dict[str, dict]:
    return {r["identity"].rsplit("/", 1)[-1]: r for r in access_review(result)["identities"]}


def test_dev_review_follows_each_identity_to_its_grants(dev):
    review = access_review(dev)
    assert review["authenticationMode"] == "API_AND_CONFIG_MAP"
    found = rows(dev)
    assert found["my-role"] == {
        "identity": f"arn:aws:iam::{ACCOUNT}:role/my-role",
        "via": "aws-auth mapRoles",
        "username": "admin",
        "groups": ["platform-admins"],
        "grants": ["cluster-admin (cluster-wide)"],
    }
    assert found["auditor"]["grants"] == ["view (cluster-wide)"]
    assert found["team-a-developer"]["via"] == "access entry"
    assert found["team-a-developer"]["grants"] == ["edit in team-a"]
    node = found["eks-platform-dev-general-node"]
    assert (node["via"], node["groups"]) == ("aws-auth (node role)", ["system:bootstrappers", "system:nodes"])


def test_prod_review_shows_policies_and_eks_managed_node_entries(prod):
    found = rows(prod)
    assert found["platform-admin"]["grants"] == ["AmazonEKSClusterAdminPolicy (cluster)"]
    assert found["platform-admin"]["username"] == "(set by EKS)"
    assert found["team-a-developer"]["grants"] == ["AmazonEKSViewPolicy (namespaces team-a)", "edit in team-a"]
    assert found["eks-platform-prod-system-node"]["via"] == "access entry (EKS, node role)"


def test_printed_table_and_warnings(dev):
    text = access_text(access_review(dev))
    assert text.startswith("Access (authenticationMode API_AND_CONFIG_MAP):")
    assert "my-role" in text and "cluster-admin (cluster-wide)" in text and "edit in team-a" in text


def test_the_deployer_is_shown_as_cluster_admin_through_the_creators_entry(prod):
    deployer = rows(prod)["platform-deployer"]
    assert deployer["via"] == "cluster creator (EKS)"
    assert deployer["grants"] == ["AmazonEKSClusterAdminPolicy (cluster)"]
    assert not [w for w in access_review(prod)["warnings"] if "access.deployer is not set" in w]


def test_without_a_deployer_the_review_says_whoever_runs_pulumi_up_is_admin(dev):
    found = rows(dev)
    assert found["(whoever runs `pulumi up`)"]["grants"] == ["AmazonEKSClusterAdminPolicy (cluster)"]
    assert any("access.deployer is not set" in w for w in access_review(dev)["warnings"])
    assert "access.deployer is not set" in access_text(access_review(dev))
