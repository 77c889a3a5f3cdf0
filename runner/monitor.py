"""The in-process resource monitor the runner's program talks to: it records every registration, invoke
and output registration (runner/records.py) and answers with the mocks' values (runner/mocks.py).

Why a monitor of our own, not the stock mock engine's:
- it does not advertise resource references, so passing a component (eks.Cluster) to another
  (eks.ManagedNodeGroup) does not deserialize it on a worker thread, which fails at random
  with "attached to a different loop" (pulumi/pulumi#6561);
- it keeps what the stock mock engine drops: parent, provider, dependencies (per input property
  too), options, and which values are secret;
- its URNs are the engine's (components/urns.py), not the stock mock's, which keeps only the
  parent's last type: aliases, reviews and the policy pack see what `pulumi up` would see.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.mocks import _resolve_callbacks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _sync_await

from eks_platform.components import urns

from . import pulumi_eks
from .mocks import PlatformMocks
from .records import Invoke, Resource, mark_secrets
from .worker_loops import ensure_worker_loop

STACK_TYPE = urns.ROOT_STACK_TYPE


class RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: PlatformMocks):
        super().__init__(mocks)
        self.records: list[Resource] = []
        self.invokes: list[Invoke] = []
        self.registered_outputs: dict[str, dict] = {}
        self.stack_urn = ""
        mocks.monitor = self

    @contextmanager
    def _thread_loop(self) -> Iterator[None]:
        """The calling worker thread's event loop (worker_loops.py): registrations and invokes serialize with
        pulumi's _sync_await, which runs on the calling thread's loop."""
        ensure_worker_loop()
        yield

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
        with self._thread_loop():
            return self._register(request)

    def ReadResource(self, request):
        with self._thread_loop():
            return super().ReadResource(request)

    def _register(self, request):
        """The stock MockMonitor's registration, resolving transform callbacks only for a request that
        carries some: resolving reads the SDK's callback servicer, which another thread may still be
        creating when nothing of this run has registered a transform (a race that fails a run at random);
        a request with a transform comes after its servicer registered it."""
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            self.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)
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
                inputs=mark_secrets(inputs),
                options=_options(request, self.alias_urns(request, urn)),
                remote=request.remote,
                outputs=mark_secrets(state),
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
                    inputs=mark_secrets(child.inputs),
                    options=child.options,
                    outputs=mark_secrets(child.outputs),
                    property_dependencies=property_dependencies,
                    created_by=f"pulumi-eks {pulumi_eks.VERIFIED_VERSION}",
                    plugin_version=pulumi_eks.PLUGINS[pulumi_eks.plugin_package(child.type)],
                    wire=_sync_await(rpc.serialize_properties(child.inputs, {})),
                )
            )

    def RegisterResourceOutputs(self, request):
        self.registered_outputs[request.urn] = mark_secrets(rpc.deserialize_properties(request.outputs))
        return super().RegisterResourceOutputs(request)

    def Invoke(self, request):
        with self._thread_loop():
            if request.tok != "pulumi:pulumi:getResource":
                args = mark_secrets(rpc.deserialize_properties(request.args))
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
