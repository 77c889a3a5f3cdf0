"""Drive the policy pack the way the Pulumi CLI does, over the analyzer gRPC protocol.

The CLI's shim runs `python -u -m pulumi.policy <engine address> .` in the pack's folder and reads
the pack's port from its first line of output; then it calls Handshake, ConfigureStack,
GetAnalyzerInfo, Configure (the --policy-pack-config file reconciled with the pack's defaults, as
pulumi/pulumi pkg/resource/analyzer/config.go ReconcilePolicyPackConfig does), Analyze for each
resource and AnalyzeStack. This module plays the CLI and a stand-in Engine service (the pack logs
through it); messages are pulumi's and pulumi-policy's own protobuf classes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2_grpc

from eks_platform.runner.engine import Resource
from render.policy import UNDECIDED

LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
    "remediate": analyzer_pb2.REMEDIATE,
}
NAMES = {v: k for k, v in LEVELS.items()}
CANT_RUN = "can't run policy"


class _Engine(engine_pb2_grpc.EngineServicer):
    """What the pack may call back: logging. Messages are kept for the test to read."""

    def __init__(self):
        self.logs: list[str] = []

    def Log(self, request, context):
        self.logs.append(request.message)
        return empty_pb2.Empty()


def load_policy_config(path: Path) -> dict[str, dict[str, Any]]:
    """LoadPolicyPackConfigFromFile: a level string, or an object with enforcementLevel and properties."""
    config = {}
    for name, value in json.loads(path.read_text()).items():
        if isinstance(value, str):
            config[name] = {"enforcementLevel": value, "properties": {}}
        else:
            level = value.get("enforcementLevel", "")
            config[name] = {
                "enforcementLevel": level,
                "properties": {k: v for k, v in value.items() if k != "enforcementLevel"},
            }
    return config


def reconcile(info: analyzer_pb2.AnalyzerInfo, config: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """ReconcilePolicyPackConfig: the pack's levels and schema defaults, then `all`, then each policy."""
    result = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties) if policy.configSchema.properties else {}
        defaults = {k: v["default"] for k, v in schema.items() if "default" in v}
        result[policy.name] = {"enforcementLevel": NAMES[policy.enforcementLevel], "properties": defaults}
    everything = config.get("all", {}).get("enforcementLevel")
    if everything in LEVELS:
        for entry in result.values():
            entry["enforcementLevel"] = everything
    for name, given in config.items():
        entry = result.setdefault(name, {"enforcementLevel": "", "properties": {}})
        if given["enforcementLevel"] in LEVELS:
            entry["enforcementLevel"] = given["enforcementLevel"]
        entry["properties"] = {**entry["properties"], **given["properties"]}
    return result


@dataclass
class Finding:
    policy: str
    enforcement: str
    resource: str  # type::name
    message: str


class PolicyPackProcess:
    """The pack, started as the CLI's shim starts it, and a client that speaks to it."""

    def __init__(self, pack_dir: Path):
        self.engine = _Engine()
        self._engine_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(self.engine, self._engine_server)
        engine_port = self._engine_server.add_insecure_port("127.0.0.1:0")
        self._engine_server.start()
        self.engine_address = f"127.0.0.1:{engine_port}"
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", self.engine_address, "."],
            cwd=pack_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first_line = self.process.stdout.readline().strip()
        if not first_line.isdigit():
            raise RuntimeError(f"the pack did not print its port: {first_line!r} {self.process.stderr.read()}")
        self._channel = grpc.insecure_channel(f"127.0.0.1:{first_line}")
        self.analyzer = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        self.pack_dir = pack_dir
        self.info: analyzer_pb2.AnalyzerInfo | None = None

    def handshake(self) -> None:
        request = analyzer_pb2.AnalyzerHandshakeRequest(
            engine_address=self.engine_address, root_directory=str(self.pack_dir), program_directory=str(self.pack_dir)
        )
        try:
            self.analyzer.Handshake(request)
        except grpc.RpcError as error:  # older packs do not implement it; the CLI carries on
            if error.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise

    def configure(self, project: str, stack: str, preview: bool, policy_config: Mapping[str, dict[str, Any]]):
        self.analyzer.ConfigureStack(
            analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=stack, project=project, organization="acme", dry_run=preview
            )
        )
        self.info = self.analyzer.GetAnalyzerInfo(empty_pb2.Empty())
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, entry in reconcile(self.info, policy_config).items():
            properties = struct_pb2.Struct()
            properties.update(entry["properties"])
            request.policyConfig[name].CopyFrom(
                analyzer_pb2.PolicyConfig(
                    enforcementLevel=LEVELS.get(entry["enforcementLevel"], 0), properties=properties
                )
            )
        self.analyzer.Configure(request)

    def analyze(self, resources: Iterable[Resource], remote_components_empty: bool = True) -> list[Finding]:
        """Analyze each resource as the engine sends it, then the stack; remote components (inside a
        provider's Construct, a Node ComponentResource) arrive without properties."""
        findings: list[Finding] = []
        descriptions = {p.name: p.description for p in self.info.policies}
        analyzed = []
        for resource in resources:
            properties = struct_pb2.Struct() if (resource.remote and remote_components_empty) else resource.wire
            request = analyzer_pb2.AnalyzeRequest(
                type=resource.type, properties=properties, urn=resource.urn, name=resource.name
            )
            for diagnostic in self.analyzer.Analyze(request).diagnostics:
                findings.append(_finding(diagnostic, resource, descriptions))
            # The engine sends a resource's parent twice: as AnalyzerResource.parent and in its options.
            parent = resource.parent or ""
            analyzed.append(
                analyzer_pb2.AnalyzerResource(
                    type=resource.type,
                    properties=properties,
                    urn=resource.urn,
                    name=resource.name,
                    parent=parent,
                    options=analyzer_pb2.AnalyzerResourceOptions(parent=parent),
                )
            )
        for diagnostic in self.analyzer.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=analyzed)).diagnostics:
            findings.append(_finding(diagnostic, None, descriptions))
        return findings

    def close(self) -> None:
        self._channel.close()
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        self._engine_server.stop(0)


def _finding(diagnostic, resource: Resource | None, descriptions: Mapping[str, str]) -> Finding:
    if resource is not None:
        where = f"{resource.type}::{resource.name}"
    elif diagnostic.urn:  # a stack policy names the resource at fault by URN: ...::<type chain>::<name>
        _, _, chain, name = diagnostic.urn.split("::", 3)
        where = f"{chain.rsplit('$', 1)[-1]}::{name}"
    else:
        where = ""
    message = diagnostic.message
    if message.startswith(CANT_RUN):
        # pulumi-policy: "can't run policy 'x' from policy pack 'p@vN' during preview: <why>"
        why = message.split("during preview: ", 1)[1]
        return Finding(diagnostic.policyName, NAMES[diagnostic.enforcementLevel], where, f"{UNDECIDED}: {why}")
    # pulumi-policy puts the policy's description before the rule's own message.
    prefix = descriptions[diagnostic.policyName] + "\n"
    return Finding(diagnostic.policyName, NAMES[diagnostic.enforcementLevel], where, message.removeprefix(prefix))
