"""The documentation's samples of the commands that write a stack (`make new-stack`, `make
import-eksctl`), produced by running them in a scratch copy of the project: from inside it, as a user
runs them in the repository, so every path they print is what the user sees."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from eks_platform.runner.stack_config import PROJECT_DIR

from .sample_text import fenced


@contextlib.contextmanager
def scratch_project() -> Iterator[Path]:
    """A project folder with the repository's project file, stack files and policy configs, as cwd."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        project = Path(tmp)
        (project / "policy" / "config").mkdir(parents=True)
        for stack_file in [PROJECT_DIR / "Pulumi.yaml", *PROJECT_DIR.glob("Pulumi.*.yaml")]:
            shutil.copy(stack_file, project)
        for policy in (PROJECT_DIR / "policy" / "config").glob("*.json"):
            shutil.copy(policy, project / "policy" / "config")
        yield project


def new_stack() -> str:
    """`make new-stack NAME=staging FROM=dev`."""
    from new_stack import main

    with scratch_project() as project:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main(["staging", "--from", "dev"], project)
    assert code == 0
    return fenced(f"$ make new-stack NAME=staging FROM=dev\n{printed.getvalue()}")


LEFT_BEHIND = """\
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: shop, region: eu-west-1, version: "1.35"}
iam:
  withOIDC: true
  serviceAccounts:
    - metadata: {name: s3-reader, namespace: shop}
      attachPolicyARNs: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
managedNodeGroups:
  - name: general
    instanceType: m6i.large
    privateNetworking: true
    ssh: {allow: true}
nodeGroups:
  - name: legacy
    instanceType: m5.large
fargateProfiles:
  - name: fp-default
    selectors: [{namespace: default}]
"""
WONT_LOAD = """\
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: shop, region: eu-west-1, version: "1.20"}
managedNodeGroups:
  - name: general
    volumeSize: 10
    privateNetworking: true
"""


def _import(cluster_yaml: str) -> str:
    """`python -m importer cluster.yaml --stack shop` in the project: its transcript."""
    from importer.__main__ import main

    with scratch_project() as project:
        (project / "cluster.yaml").write_text(cluster_yaml)
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["cluster.yaml", "--stack", "shop", "--dir", str(project)])  # --dir: the default's place
    printed = stdout.getvalue() + stderr.getvalue()
    return fenced(
        f"$ cat cluster.yaml\n{cluster_yaml}$ python -m importer cluster.yaml --stack shop\n{printed}$ echo $?\n{code}"
    )


STACK_SAMPLES: dict[str, Callable[[], str]] = {
    "new-stack": new_stack,
    "import-left-behind": lambda: _import(LEFT_BEHIND),
    "import-problems": lambda: _import(WONT_LOAD),
}
