"""Run the platform's Pulumi program on Pulumi's mock engine and record what it registers.

The one runner of the codebase: the tests assert on its records and the offline render
writes them out. No Pulumi CLI, no plugins, no cloud: every resource registration, invoke and
output registration goes to an in-process monitor that records it and answers with the
realistic values of `mocks.PlatformMocks`.

Why a monitor of our own:
- it does not advertise resource references, so passing a component (eks.Cluster) to another
  (eks.ManagedNodeGroup) does not deserialize it on a worker thread, which fails at random
  with "attached to a different loop" (pulumi/pulumi#6561);
- it keeps what the stock mock engine drops: parent, provider, dependencies (per input property
  too), options, and which values are secret;
- its URNs are the engine's (components/urns.py), not the stock mock's, which keeps only the
  parent's last type: aliases, reviews and the policy pack see what `pulumi up` would see.
"""

from __future__ import annotations

import logging
import runpy
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import resource as pulumi_resource
from pulumi.runtime import rpc
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import _resolve_callbacks
from pulumi.runtime.proto import resource_pb2, source_pb2
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from eks_platform.components import urns

from . import pulumi_eks
from .mocks import PlatformMocks
from .stack_config import StackConfig

STACK_TYPE = urns.ROOT_STACK_TYPE

# The SDK walks the Python stack on every registration to tell the engine which source line
# created the resource (for the CLI's error messages). No engine reads it here, and it is a
# tenth of the mock engine's time on a large program: skip it in this runner only.
pulumi_resource._get_stack_trace = source_pb2.StackTrace


class Secret:
    """A value the program marked secret. Compare and read `.value` in tests; render masks it."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return "Secret([secret])"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.value == self.value

    def __hash__(self) -> int:
        return hash(repr(self.value))


def reveal(value: Any) -> Any:
    """The value with Secret markers removed (for assertions on what a secret holds)."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def _mark_secrets(value: Any) -> Any:
    if rpc.is_rpc_secret(value):
        return Secret(_mark_secrets(rpc.unwrap_rpc_secret(value)))
    if isinstance(value, dict):
        return {k: _mark_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_secrets(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf numbers are doubles; the program passed ints
    return value


@dataclass
class Resource:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    provider: str | None
    dependencies: list[str]
    inputs: dict[str, Any]
    options: dict[str, Any]
    remote: bool = False
    outputs: dict[str, Any] = field(default_factory=dict)
    # Top-level input property -> the URNs its value was computed from (the engine's
    # propertyDependencies): which inputs read another resource's outputs.
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    # Set for what a multi-language component creates inside itself (runner/pulumi_eks.py):
    # not registered by the program, but created by `pulumi up` all the same.
    created_by: str | None = None
    # The provider plugin version the SDK asks the engine to load for it ("" for a component).
    plugin_version: str = ""
    # The properties exactly as the engine receives them (protobuf Struct: unknowns as the
    # UNKNOWN sentinel, secrets as secret markers): what an analyzer is sent.
    wire: Any = None


@dataclass
class Invoke:
    token: str
    args: dict[str, Any]
    plugin_version: str = ""


@dataclass
class RunResult:
    project: str
    stack: str
    resources: list[Resource]
    outputs: dict[str, Any]
    invokes: list[Invoke]
    warnings: list[str]
    config: StackConfig | None = None  # what the program ran with

    def of_type(self, type_token: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str, name: str | None = None) -> Resource:
        found = [r for r in self.of_type(type_token) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_token} {name or ''}, found {[r.name for r in found]}")
        return found[0]

    def children(self, parent: Resource) -> list[Resource]:
        return [r for r in self.resources if r.parent == parent.urn]


class ProgramError(Exception):
    """The program failed. `user_error` is True for a configuration mistake (pulumi.RunError)."""

    def __init__(self, message: str, user_error: bool, resources: list[Resource]):
        super().__init__(message)
        self.message = message
        self.user_error = user_error
        self.resources = resources


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: PlatformMocks):
        super().__init__(mocks)
        self.records: list[Resource] = []
        self.invokes: list[Invoke] = []
        self.registered_outputs: dict[str, dict] = {}
        self.stack_urn = ""
        mocks.monitor = self

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The engine's URN (the stock mock monitor keeps only the parent's last type)."""
        return urns.resource_urn(pulumi.get_stack(), pulumi.get_project(), type_, name, parent or None)

    def SupportsFeature(self, request):
        has = request.id not in ("outputValues", "resourceReferences")
        return type("SupportsFeatureResponse", (), {"hasSupport": has})

    def GetDeploymentInfo(self, request):
        info = super().GetDeploymentInfo(request)
        features = [f for f in info.supportedFeatures if f != resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES]
        return resource_pb2.DeploymentInfo(supportedFeatures=features)

    def RegisterResource(self, request):
        """The stock MockMonitor's registration, resolving transform callbacks only for a request that
        carries some: resolving reads the SDK's callback servicer, which another thread may still be
        creating when nothing of this run has registered a transform (a race that fails a run at random);
        a request with a transform comes after its servicer registered it."""
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            self.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()  # serialization below runs on this worker thread's own loop
        inputs = _sentinels(rpc.deserialize_properties(request.object, keep_unknowns=self.mocks.preview))
        property_dependencies = {
            key: sorted(set(deps.urns)) for key, deps in sorted(request.propertyDependencies.items()) if deps.urns
        }
        self.mocks.current.urn = urn
        self.mocks.current.property_dependencies = property_dependencies
        resource_id, state = self.mocks.new_resource(
            pulumi_mocks.MockResourceArgs(
                typ=request.type,
                name=request.name,
                inputs=inputs,
                provider=request.provider,
                resource_id=request.importId,
                custom=request.custom or False,
                transforms=_resolve_callbacks(request.transforms) if request.transforms else [],
            )
        )
        response = resource_pb2.RegisterResourceResponse(
            urn=urn, id=resource_id, object=_sync_await(rpc.serialize_properties(state, {}))
        )
        self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, resource_id, state)
        self.records.append(
            Resource(
                urn=urn,
                type=request.type,
                name=request.name,
                custom=request.custom,
                parent=request.parent or None,
                provider=request.provider.rsplit("::", 1)[0] if request.provider else None,
                dependencies=sorted(set(request.dependencies)),
                inputs=_mark_secrets(inputs),
                options=_options(request, self.alias_urns(request, urn)),
                remote=request.remote,
                outputs=_mark_secrets(state),
                property_dependencies=property_dependencies,
                plugin_version=request.version,
                wire=_copy(request.object),
            )
        )
        return response

    @staticmethod
    def alias_urns(request, urn: str) -> list[str]:
        """Where the resource used to live, as URNs: what `pulumi up` matches against the state.
        An alias spec's unset name, type or parent means the resource's current one (alias.proto).
        (Not modelled: the aliases the engine derives from a parent's own aliases; no component of
        this program has any.)"""
        found = list(request.aliasURNs)
        for alias in request.aliases:
            spec = alias.spec
            found.append(
                alias.urn
                if alias.WhichOneof("alias") == "urn"
                else urns.alias_urn(urn, request.parent or None, name=spec.name, type_=spec.type,
                                    parent=spec.parentUrn, no_parent=spec.noParent, stack=spec.stack,
                                    project=spec.project)
            )  # fmt: skip
        return sorted(found)

    def register_children(
        self, parent_urn: str, children: list[pulumi_eks.Child], component_dependencies: Mapping[str, list[str]]
    ) -> None:
        """Record what a multi-language component creates inside itself, as `pulumi up` would: each
        child depends on what the component's inputs it reads depend on, and on the siblings it reads."""
        by_name = {c.name: urns.child_urn(parent_urn, c.type, c.name) for c in children}
        for child in children:
            urn = by_name[child.name]
            property_dependencies = child.property_dependencies(component_dependencies, by_name)
            self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(
                urn, "" if self.mocks.preview else child.name, child.outputs
            )
            self.records.append(
                Resource(
                    urn=urn,
                    type=child.type,
                    name=child.name,
                    custom=True,
                    parent=parent_urn,
                    provider=by_name.get(child.provider) if child.provider else None,
                    dependencies=sorted({u for deps in property_dependencies.values() for u in deps}),
                    inputs=_mark_secrets(child.inputs),
                    options=child.options,
                    outputs=_mark_secrets(child.outputs),
                    property_dependencies=property_dependencies,
                    created_by=f"pulumi-eks {pulumi_eks.VERIFIED_VERSION}",
                    plugin_version=pulumi_eks.PLUGINS[pulumi_eks.plugin_package(child.type)],
                    wire=_sync_await(rpc.serialize_properties(child.inputs, {})),
                )
            )

    def RegisterResourceOutputs(self, request):
        self.registered_outputs[request.urn] = _mark_secrets(rpc.deserialize_properties(request.outputs))
        return super().RegisterResourceOutputs(request)

    def Invoke(self, request):
        if request.tok != "pulumi:pulumi:getResource":
            args = _mark_secrets(rpc.deserialize_properties(request.args))
            self.invokes.append(Invoke(request.tok, args, request.version))
        return super().Invoke(request)


def _sentinels(value: Any) -> Any:
    """Unknown values as the engine's own sentinel string: JSON-friendly, and what goes on the wire."""
    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if isinstance(value, dict):
        return {k: _sentinels(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_sentinels(v) for v in value]
    return value


def _copy(struct):
    copied = type(struct)()
    copied.CopyFrom(struct)
    return copied


def _options(request, aliases: list[str]) -> dict[str, Any]:
    options = {
        "protect": request.protect,
        "ignoreChanges": sorted(request.ignoreChanges),
        "replaceOnChanges": sorted(request.replaceOnChanges),
        "deleteBeforeReplace": request.deleteBeforeReplace,
        "retainOnDelete": request.retainOnDelete,
        "additionalSecretOutputs": sorted(request.additionalSecretOutputs),
        "aliases": aliases,
        "transforms": len(request.transforms),
    }
    return {k: v for k, v in options.items() if v}


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _quiet_about_abandoned_futures(loop, context: dict) -> None:
    """A failed program leaves outputs whose error nobody awaits; the failure itself is already
    reported as a ProgramError, so asyncio's "never retrieved" notes are noise."""
    if context.get("message", "").startswith("Future exception was never retrieved"):
        return
    loop.default_exception_handler(context)


def run_program(
    config: StackConfig,
    program: Path | None = None,
    stack_references: Mapping[str, Mapping[str, Any]] | None = None,
    preview: bool = False,
) -> RunResult:
    """Run `program` (default: `__main__.py` in the current directory, as `pulumi up` runs it) with
    `config` on the mock engine; raise ProgramError if it fails.

    `stack_references` maps a stack name to the outputs a `pulumi.StackReference` to it reads
    (Secret-marked values are secret outputs) — e.g. another run's `RunResult.outputs`.

    `preview`: run as a first `pulumi preview` does — nothing exists yet, so every value a
    provider computes (ids, ARNs, endpoints) is unknown, and so is everything derived from it;
    inputs then hold the engine's UNKNOWN sentinel (pulumi.runtime.rpc.UNKNOWN) where a real
    preview would."""
    program = program or Path.cwd() / "__main__.py"
    project_dir = str(program.parent)
    if project_dir not in sys.path:
        sys.path.insert(0, project_dir)

    region = config.values.get("aws:region")
    region = region if isinstance(region, str) else "us-east-1"
    mocks = PlatformMocks(region=region, stack_references=stack_references, preview=preview)
    monitor = _RecordingMonitor(mocks)
    collector = _Collect()
    logger = logging.getLogger(f"eks-platform.runner.{id(collector)}")
    logger.propagate = False
    logger.addHandler(collector)

    pulumi.runtime.set_all_config(config.runtime_values(), sorted(config.secret_keys))
    pulumi.runtime.set_mocks(mocks, config.project, config.stack, preview=preview, logger=logger, monitor=monitor)
    # set_mocks made a root stack of its own; run_in_stack makes the one outputs attach to.
    pulumi_settings.set_root_resource(None)
    pulumi_settings.SETTINGS.outputs.clear()

    loop = _ensure_event_loop()
    loop.set_exception_handler(_quiet_about_abandoned_futures)
    try:
        _sync_await(run_in_stack(lambda: runpy.run_path(str(program), run_name="__main__")))
    except pulumi.RunError as error:
        raise ProgramError(str(error), True, monitor.records) from None
    except Exception as error:
        raise ProgramError(f"{type(error).__name__}: {error}", False, monitor.records) from error
    finally:
        logger.removeHandler(collector)

    for record in monitor.records:
        if not record.custom and not record.remote and record.urn in monitor.registered_outputs:
            record.outputs = monitor.registered_outputs[record.urn]  # a component's register_outputs
    return RunResult(
        project=config.project,
        stack=config.stack,
        resources=list(monitor.records),
        outputs=monitor.registered_outputs.get(monitor.stack_urn, {}),
        invokes=list(monitor.invokes),
        warnings=collector.messages,
        config=config,
    )


def run_stack(stack: str, overrides: Mapping[str, Any] | None = None) -> RunResult:
    """Run a checked-in stack (`Pulumi.<stack>.yaml`), optionally with some keys replaced."""
    from .stack_config import load_stack_config

    config = load_stack_config(stack)
    if overrides:
        config = StackConfig(config.project, stack, {**config.values, **overrides}, config.secret_keys)
    return run_program(config)
