"""Turn a stack's raw config into `Settings`, or one `SettingsError` listing every problem.

Pure Python: it registers no resource, so the program can call it before creating
anything and tests can call it without Pulumi's engine.
"""

from __future__ import annotations

import copy
import re
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from . import rules, syntax
from .access import AccessConfig, AccessPlan, KubeconfigConfig
from .access_plan import plan_access
from .addons import Addon, AddonsConfig, plan_addons
from .autoscaling import RELEASES, AutoscalingConfig, autoscaler_workload
from .capacity import Capacity, capacities, capacity_verdicts
from .deployer import deployer_profile
from .ingress import ingress_problems
from .lifecycle import needs_monitoring, unneeded_addons
from .lifecycle_rules import zonal_spread_warnings
from .model import ClusterConfig, NetworkConfig, NodeGroupConfig, StorageConfig, node_role_name
from .namespaces import (
    AGENTS_EXCEPTION,
    AGENTS_LABELS,
    EXCEPTION_ANNOTATION,
    RESTRICTED_LABELS,
    TEAM_LABELS,
    NamespacePlan,
)
from .platform_addons import PlatformAddons, PlatformAddonsConfig, plan_platform_addons, platform_addon_problems
from .platform_pods import PlatformContext, platform_subjects
from .problems import NAMESPACE, Problem, SettingsError, key_path, show, unknown_key_message
from .scheduling import Placement, check_placement, check_resources, unknown_types
from .subnets import SubnetBlock, plan_subnets
from .versions import version_error
from .workloads import SAMPLE_APPS, Workload, WorkloadsConfig
from .zones import zone_problems


@dataclass(frozen=True)
class Settings:
    project: str
    stack: str
    region: str
    partition: str
    cluster: ClusterConfig
    network: NetworkConfig
    node_groups: tuple[NodeGroupConfig, ...]
    access: AccessPlan = field(default_factory=AccessPlan)
    workloads: WorkloadsConfig = field(default_factory=WorkloadsConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    # Workload key (`deployment`, `extraDeployments[3]`) -> the node groups its pods can land on.
    # Where each workload's pods can land (workload key -> node groups), and the whole picture:
    # what each prefers and why each other group is excluded; what each group holds at maxSize.
    placements: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    placement: tuple[Placement, ...] = ()
    capacity: tuple[Capacity, ...] = ()
    kubeconfig: KubeconfigConfig = field(default_factory=KubeconfigConfig)
    addons: tuple[Addon, ...] = plan_addons(AddonsConfig())
    autoscaling: AutoscalingConfig = field(default_factory=lambda: AutoscalingConfig(enabled=False))
    # The autoscaler's pod, placed like the samples (None when autoscaling is off).
    autoscaler: Workload | None = None
    # metrics-server, the AWS Load Balancer Controller, ExternalDNS, cert-manager: what of them runs, and where.
    platform_addons: PlatformAddons = field(default_factory=PlatformAddons)
    # The AWS CLI profile of whoever runs `pulumi up` (aws:profile, else AWS_PROFILE, the AWS provider's
    # order: settings/deployer.py): every Kubernetes provider must authenticate as that identity.
    aws_profile: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def cluster_name(self) -> str:
        assert self.cluster.name is not None  # resolved by load_settings
        return self.cluster.name

    @property
    def subnet_blocks(self) -> tuple[SubnetBlock, ...]:
        return plan_subnets(self.network.vpc_cidr, self.network.availability_zones)

    @property
    def namespaces(self) -> tuple[NamespacePlan, ...]:
        """Every namespace the platform creates, once: workload namespaces keep their stricter labels."""
        specs = {name: NamespacePlan(name, TEAM_LABELS) for name in self.access.namespaces}
        if self.workloads.enabled:
            w = self.workloads
            specs[w.namespace] = NamespacePlan(w.namespace, RESTRICTED_LABELS)
            if w.daemon_set.enabled:
                annotations = {EXCEPTION_ANNOTATION: AGENTS_EXCEPTION}
                specs[w.agents_namespace] = NamespacePlan(w.agents_namespace, AGENTS_LABELS, annotations)
        return tuple(specs[name] for name in sorted(specs))

    def node_role_name(self, node_group: NodeGroupConfig) -> str:
        return node_role_name(self.cluster_name, node_group.name)


# The keys of the eks-platform namespace, in the order a stack file usually lists them.
SECTIONS: dict[str, type] = {
    "cluster": ClusterConfig,
    "network": NetworkConfig,
    "nodeGroups": NodeGroupConfig,
    "access": AccessConfig,
    "kubeconfig": KubeconfigConfig,
    "addons": AddonsConfig,
    "platformAddons": PlatformAddonsConfig,
    "autoscaling": AutoscalingConfig,
    "workloads": WorkloadsConfig,
    "storage": StorageConfig,
}


def load_settings(
    config: Mapping[str, Any],
    project: str,
    stack: str,
    secret_keys: Collection[str] = (),
    today: date | None = None,
    environment: Mapping[str, str] | None = None,
) -> Settings:
    """`config` maps full keys (`aws:region`, `eks-platform:cluster`) to decoded values;
    `secret_keys` are the keys Pulumi holds encrypted (`secure:` values); `today` decides which
    Kubernetes versions EKS offers; `environment` is the deployer's (for AWS_PROFILE)."""
    problems: list[Problem] = []
    parsed = rules.Parsed(today=today or date.today())
    environment = environment or {}

    region = config.get("aws:region")
    region_ok = False
    if not isinstance(region, str) or not region:
        problems.append(
            Problem("aws:region", "is required: the AWS region to deploy into (pulumi config set aws:region us-east-1)")
        )
    elif reason := syntax.region_error(region):
        problems.append(Problem("aws:region", f"{show(region)} {reason}"))
    else:
        region_ok = True
        parsed.region = region

    for key in config:
        namespace, _, name = key.partition(":")
        if namespace == NAMESPACE and name not in SECTIONS:
            problems.append(Problem(key, unknown_key_message(name, SECTIONS)))

    cluster_raw = config.get(key_path("cluster"), {})
    parsed.cluster = _parse(ClusterConfig, cluster_raw, ["cluster"], problems)
    parsed.network = _parse(NetworkConfig, config.get(key_path("network"), {}), ["network"], problems)
    if region_ok:
        problems += zone_problems(region, parsed.network)

    groups_raw = config.get(key_path("nodeGroups"))
    all_groups_parsed = False
    if groups_raw is None or groups_raw == []:
        parsed.node_groups_given = False
    elif not isinstance(groups_raw, list):
        problems.append(Problem(key_path("nodeGroups"), f"{show(groups_raw)} must be a list of node groups"))
    else:
        for i, raw in enumerate(groups_raw):
            group = _parse(NodeGroupConfig, raw, ["nodeGroups", i], problems)
            if group is not None:
                parsed.node_groups.append((i, group))
        all_groups_parsed = len(parsed.node_groups) == len(groups_raw)

    if parsed.cluster is not None and parsed.cluster.name is None:
        default_name = f"{project}-{stack}"
        if reason := syntax.cluster_name_error(default_name):
            problems.append(
                Problem(
                    key_path("cluster", "name"),
                    f"is not set and the default {show(default_name)} (<project>-<stack>) {reason}; set a name",
                )
            )
        parsed.cluster = parsed.cluster.model_copy(update={"name": default_name})

    access_cfg = _parse(AccessConfig, config.get(key_path("access"), {}), ["access"], problems)
    kubeconfig = _parse(KubeconfigConfig, config.get(key_path("kubeconfig"), {}), ["kubeconfig"], problems)
    access, access_warnings = AccessPlan(), []
    if access_cfg is not None and parsed.cluster is not None and region_ok:
        node_roles = [node_role_name(parsed.cluster.name, ng.name) for _, ng in parsed.node_groups]
        access, access_problems, access_warnings = plan_access(access_cfg, syntax.partition_of(region), node_roles)
        problems += access_problems

    storage = _parse(StorageConfig, config.get(key_path("storage"), {}), ["storage"], problems)
    addons = _parse(AddonsConfig, config.get(key_path("addons"), {}), ["addons"], problems)
    platform_cfg = _parse(
        PlatformAddonsConfig, config.get(key_path("platformAddons"), {}), ["platformAddons"], problems
    )
    if platform_cfg is not None:
        roles = parsed.cluster.service_account_roles if parsed.cluster else None
        problems += platform_addon_problems(platform_cfg, roles)
    platform_addons, platform_warnings = plan_platform_addons(
        platform_cfg or PlatformAddonsConfig(), [g for _, g in parsed.node_groups]
    )
    autoscaling = _parse(AutoscalingConfig, config.get(key_path("autoscaling"), {}), ["autoscaling"], problems)
    autoscaler, autoscaler_warnings = None, []
    if autoscaling is not None and autoscaling.enabled and parsed.cluster is not None:
        autoscaler, autoscaler_warnings = autoscaler_workload(
            parsed.cluster.version, [g for _, g in parsed.node_groups]
        )
        # A version EKS does not offer is an error of its own (cluster.version), not repeated here.
        if autoscaler is None and version_error(parsed.cluster.version, parsed.today) is None:
            problems.append(
                Problem(
                    key_path("autoscaling", "enabled"),
                    f"true, but the Cluster Autoscaler has no release for Kubernetes {parsed.cluster.version} "
                    f"(releases for {', '.join(RELEASES)}); set it false or use one of those versions",
                )
            )
    workloads = _parse(WorkloadsConfig, config.get(key_path("workloads"), {}), ["workloads"], problems)
    if workloads is not None:
        problems += _workload_problems(workloads, secret_keys)
        problems += ingress_problems(workloads, platform_cfg, parsed.network)
    workload_warnings: list[str] = []
    placement: tuple[Placement, ...] = ()
    capacity: tuple[Capacity, ...] = ()
    # Where pods land depends on every node group: with one that did not parse, the answer would be
    # wrong both ways, so it waits until the groups are fixed.
    if all_groups_parsed:
        groups = [ng for _, ng in parsed.node_groups]
        platform = platform_subjects(
            PlatformContext(addons or AddonsConfig(), autoscaler, platform_addons, needs_monitoring(groups))
        )
        found, workload_warnings, placement = check_placement(workloads or WorkloadsConfig(), groups, platform)
        capacity = capacities(groups, placement)
        short, short_warnings = capacity_verdicts(capacity)
        problems += found + short
        workload_warnings += unknown_types(groups) + short_warnings
        workload_warnings += zonal_spread_warnings(parsed.cluster, workloads or WorkloadsConfig())

    profile, profile_warnings = deployer_profile(config, environment)
    problems += rules.check(parsed)
    if problems:
        raise SettingsError(sorted(problems, key=_reading_order))
    assert parsed.cluster is not None and parsed.network is not None
    return Settings(
        project=project,
        stack=stack,
        region=region,
        partition=syntax.partition_of(region),
        cluster=parsed.cluster,
        network=parsed.network,
        node_groups=tuple(ng for _, ng in parsed.node_groups),
        access=access,
        kubeconfig=kubeconfig or KubeconfigConfig(),
        workloads=workloads or WorkloadsConfig(),
        storage=storage or StorageConfig(),
        addons=plan_addons(addons or AddonsConfig(), unneeded_addons([g for _, g in parsed.node_groups])),
        autoscaling=autoscaling or AutoscalingConfig(),
        autoscaler=autoscaler,
        platform_addons=platform_addons,
        aws_profile=profile,
        placements={p.key: p.lands_on for p in placement},
        placement=placement,
        capacity=capacity,
        warnings=tuple(
            rules.warnings(parsed)
            + profile_warnings
            + access_warnings
            + workload_warnings
            + [f"{key_path('autoscaling')}: {w}" for w in autoscaler_warnings]
            + [f"{key_path('platformAddons')}: {w}" for w in platform_warnings]
        ),
    )


def _workload_problems(workloads: WorkloadsConfig, secret_keys: Collection[str]) -> list[Problem]:
    problems = []
    if workloads.stateful_set.password is not None and key_path("workloads") not in secret_keys:
        problems.append(
            Problem(
                key_path("workloads", "statefulSet", "password"),
                "is plain text in the stack file; set it encrypted (pulumi config set --secret --path "
                "'workloads.statefulSet.password' ...) or leave it out to have one generated at deploy time",
            )
        )
    kinds = {key for key, _ in workloads.enabled_workloads()}
    taken = {app for key, app in SAMPLE_APPS.items() if key != "daemonSet"}
    for i, extra in enumerate(workloads.extra_deployments):
        if extra.name in taken:
            problems.append(
                Problem(
                    key_path("workloads", "extraDeployments", i, "name"),
                    f'"{extra.name}" is already used in namespace {workloads.namespace}; pick another name',
                )
            )
        taken.add(extra.name)
    for key in ("job", "cronJob"):
        if key in kinds and "statefulSet" not in kinds:
            problems.append(
                Problem(
                    key_path("workloads", key, "enabled"),
                    "true, but the sample job works on the sample database: enable workloads.statefulSet too, "
                    "or set this to false",
                )
            )
    return problems + check_resources(workloads)


def _reading_order(problem: Problem) -> tuple:
    """Top to bottom as in the stack file: aws:region first, then sections, nodeGroups[2] before [10]."""
    section = problem.path.partition(":")[2].split(".")[0].split("[")[0]
    order = list(SECTIONS).index(section) if section in SECTIONS else -1
    indices = tuple(int(x) for x in re.findall(r"\[(\d+)\]", problem.path))
    return (problem.path.startswith(NAMESPACE), order, indices)


# --- pydantic errors as Problems -----------------------------------------------------

_PLAIN_MESSAGES = {
    "missing": "is required",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
}


def _parse(model: type[BaseModel], raw: Any, prefix: list, problems: list[Problem]):
    """The section, or None when it has invalid values. A section whose only problems are unknown
    keys is still returned without them, so the rules that relate its fields report too."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        errors = error.errors()
        # A list whose item is invalid is also reported "too short" by pydantic (the item does not
        # count): the item's own error is the one that says what is wrong.
        items = {tuple(e["loc"][:-1]) for e in errors if e["loc"] and isinstance(e["loc"][-1], int)}
        errors = [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in items)]
        problems += [_problem(model, prefix, e) for e in errors]
        if not all(e["type"] == "extra_forbidden" for e in errors):
            return None
        try:
            return model.model_validate(_without(raw, [e["loc"] for e in errors]))
        except ValidationError:
            return None


def _without(raw: Any, locations: list[tuple]) -> Any:
    cleaned = copy.deepcopy(raw)
    for loc in locations:
        holder = cleaned
        for part in loc[:-1]:
            holder = holder[part]
        holder.pop(loc[-1], None)
    return cleaned


def _problem(model: type[BaseModel], prefix: list, error: dict) -> Problem:
    loc = list(error["loc"])
    kind = error["type"]
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc.pop()
    path = key_path(*prefix, *loc)
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        return Problem(path, unknown_key_message(str(loc[-1]), _known_keys(model, loc[:-1])))
    if kind in ("syntax", "choice"):
        message = error["msg"]
    elif kind == "greater_than_equal":
        message = f"must be at least {ctx['ge']}"
    elif kind == "greater_than":
        message = f"must be above {ctx['gt']}"
    elif kind == "less_than_equal":
        message = f"must be at most {ctx['le']}"
    elif kind == "too_short":
        message = f"must list at least {ctx['min_length']}"
    else:
        message = _PLAIN_MESSAGES.get(kind, error["msg"])
    if kind == "missing":
        return Problem(path, message)
    return Problem(path, f"{'key ' if is_key else ''}{show(value)} {message}")


def _known_keys(model: type[BaseModel], loc: list) -> list[str]:
    """The config keys of the model found at `loc` inside `model` (for unknown-key hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        current = fields[part].annotation
        while not (isinstance(current, type) and issubclass(current, BaseModel)):
            args = [a for a in typing.get_args(current) if a is not Ellipsis and a is not type(None)]
            current = args[0]
    return [f.alias or n for n, f in current.model_fields.items()]
