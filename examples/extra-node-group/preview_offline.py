"""What this program would create on the platform's cluster, with no cloud and no Pulumi CLI:
eks-platform's mock-engine runner runs it with this folder's stack file and made-up outputs of the
platform stack. The same runner works in your own tests (assert on `result.resources`).

    python preview_offline.py    # in this folder: the runner reads Pulumi.yaml, Pulumi.dev.yaml, __main__.py here
"""

from eks_platform.runner import load_stack_config, run_program

# What the StackReference would read: `pulumi stack output` of the platform's dev stack.
PLATFORM_OUTPUTS = {
    "clusterName": "eks-platform-dev",
    "kubernetesVersion": "1.35",
    "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    "kubeconfig": "{}",
}

config = load_stack_config("dev")
platform = config.values["extra-node-group:platformStack"]
result = run_program(config, stack_references={platform: PLATFORM_OUTPUTS})
for resource in sorted(result.resources, key=lambda r: (r.type, r.name)):
    print(f"+ {resource.type:<70} {resource.name}")
print(f"{len(result.resources)} resources; outputs: {', '.join(sorted(result.outputs))}")
