"""Turn a stack's raw config into `Settings`, or one `SettingsError` listing every problem.

Pure Python: it registers no resource, so the program can call it before creating
anything and tests can call it without Pulumi's engine.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
from .sections import parse_section
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
    found = _read_sections(config, f"{project}-{stack}", secret_keys, parsed, problems)
    profile, profile_warnings = deployer_profile(config, environment or {})
    problems += rules.check(parsed)
    if problems:
        raise SettingsError(sorted(problems, key=_reading_order))
    assert found.region is not None and parsed.cluster is not None and parsed.network is not None
    groups = tuple(ng for _, ng in parsed.node_groups)
    return Settings(
        project=project,
        stack=stack,
        region=found.region,
        partition=syntax.partition_of(found.region),
        cluster=parsed.cluster,
        network=parsed.network,
        node_groups=groups,
        access=found.access,
        kubeconfig=found.kubeconfig or KubeconfigConfig(),
        workloads=found.workloads,
        storage=found.storage or StorageConfig(),
        addons=plan_addons(found.addons or AddonsConfig(), unneeded_addons(list(groups))),
        autoscaling=found.autoscaling or AutoscalingConfig(),
        autoscaler=found.autoscaler,
        platform_addons=found.platform_addons,
        aws_profile=profile,
        placements={p.key: p.lands_on for p in found.placement},
        placement=found.placement,
        capacity=found.capacity,
        warnings=tuple(
            rules.warnings(parsed)
            + profile_warnings
            + found.access_warnings
            + found.workload_warnings
            + [f"{key_path('autoscaling')}: {w}" for w in found.autoscaler_warnings]
            + [f"{key_path('platformAddons')}: {w}" for w in found.platform_warnings]
        ),
    )


@dataclass
class _Sections:
    """Every section of a stack config as far as it parsed (None where it did not), and what the settings
    planned from them. The cluster, network and node groups are in rules.Parsed, which the cross-field rules read."""

    region: str | None = None
    access: AccessPlan = field(default_factory=AccessPlan)
    access_warnings: list[str] = field(default_factory=list)
    kubeconfig: KubeconfigConfig | None = None
    storage: StorageConfig | None = None
    addons: AddonsConfig | None = None
    platform_addons: PlatformAddons = field(default_factory=PlatformAddons)
    platform_warnings: list[str] = field(default_factory=list)
    autoscaling: AutoscalingConfig | None = None
    autoscaler: Workload | None = None
    autoscaler_warnings: list[str] = field(default_factory=list)
    workloads: WorkloadsConfig = field(default_factory=WorkloadsConfig)
    placement: tuple[Placement, ...] = ()
    capacity: tuple[Capacity, ...] = ()
    workload_warnings: list[str] = field(default_factory=list)


def _read_sections(
    config: Mapping[str, Any],
    default_name: str,
    secret_keys: Collection[str],
    parsed: rules.Parsed,
    problems: list[Problem],
) -> _Sections:
    """Each section in the order of the stack file, its problems added to `problems` as they are found; a
    section that relates to others (access to the node groups, placement to every pod) is planned only from
    what parsed."""
    found = _Sections(region=_region(config.get("aws:region"), problems))
    parsed.region = found.region or ""
    for key in config:
        namespace, _, name = key.partition(":")
        if namespace == NAMESPACE and name not in SECTIONS:
            problems.append(Problem(key, unknown_key_message(name, SECTIONS)))
    parsed.cluster = _section(config, "cluster", problems)
    parsed.network = _section(config, "network", problems)
    if found.region:
        problems += zone_problems(found.region, parsed.network)
    all_groups_parsed = _parse_node_groups(config.get(key_path("nodeGroups")), parsed, problems)
    problems += _name_cluster(parsed, default_name)

    access_cfg = _section(config, "access", problems)
    found.kubeconfig = _section(config, "kubeconfig", problems)
    if access_cfg is not None and parsed.cluster is not None and found.region:
        node_roles = [node_role_name(parsed.cluster.name, ng.name) for _, ng in parsed.node_groups]
        plan = plan_access(access_cfg, syntax.partition_of(found.region), node_roles)
        found.access, access_problems, found.access_warnings = plan
        problems += access_problems
    found.storage = _section(config, "storage", problems)
    found.addons = _section(config, "addons", problems)
    platform_cfg = _section(config, "platformAddons", problems)
    if platform_cfg is not None:
        problems += platform_addon_problems(
            platform_cfg, parsed.cluster.service_account_roles if parsed.cluster else None
        )
    groups = [g for _, g in parsed.node_groups]
    found.platform_addons, found.platform_warnings = plan_platform_addons(
        platform_cfg or PlatformAddonsConfig(), groups
    )
    found.autoscaling = _section(config, "autoscaling", problems)
    if found.autoscaling is not None and found.autoscaling.enabled and parsed.cluster is not None:
        found.autoscaler, found.autoscaler_warnings = _autoscaler(parsed, problems)
    workloads = _section(config, "workloads", problems)
    if workloads is not None:
        problems += _workload_problems(workloads, secret_keys)
        problems += ingress_problems(workloads, platform_cfg, parsed.network)
    found.workloads = workloads or WorkloadsConfig()
    # Where pods land depends on every node group: with one that did not parse, the answer would be
    # wrong both ways, so it waits until the groups are fixed.
    if all_groups_parsed:
        _place(found, parsed, problems)
    return found


def _section(config: Mapping[str, Any], name: str, problems: list[Problem]) -> Any:
    """The section `eks-platform:<name>` through its model (SECTIONS), or None when it has invalid values."""
    return parse_section(SECTIONS[name], config.get(key_path(name), {}), [name], problems)


def _region(region: Any, problems: list[Problem]) -> str | None:
    """aws:region when it names a region, else None and the problem."""
    if not isinstance(region, str) or not region:
        problems.append(
            Problem("aws:region", "is required: the AWS region to deploy into (pulumi config set aws:region us-east-1)")
        )
    elif reason := syntax.region_error(region):
        problems.append(Problem("aws:region", f"{show(region)} {reason}"))
    else:
        return region
    return None


def _parse_node_groups(raw: Any, parsed: rules.Parsed, problems: list[Problem]) -> bool:
    """Each node group that parses into `parsed`, with its index; True when every one given did."""
    if raw is None or raw == []:
        parsed.node_groups_given = False
        return False
    if not isinstance(raw, list):
        problems.append(Problem(key_path("nodeGroups"), f"{show(raw)} must be a list of node groups"))
        return False
    for i, item in enumerate(raw):
        group = parse_section(NodeGroupConfig, item, ["nodeGroups", i], problems)
        if group is not None:
            parsed.node_groups.append((i, group))
    return len(parsed.node_groups) == len(raw)


def _name_cluster(parsed: rules.Parsed, default_name: str) -> list[Problem]:
    """A cluster without a name is named <project>-<stack>, when that is a valid cluster name."""
    if parsed.cluster is None or parsed.cluster.name is not None:
        return []
    problems = []
    if reason := syntax.cluster_name_error(default_name):
        problems.append(
            Problem(
                key_path("cluster", "name"),
                f"is not set and the default {show(default_name)} (<project>-<stack>) {reason}; set a name",
            )
        )
    parsed.cluster = parsed.cluster.model_copy(update={"name": default_name})
    return problems


def _autoscaler(parsed: rules.Parsed, problems: list[Problem]) -> tuple[Workload | None, list[str]]:
    """The Cluster Autoscaler's pod at the release of the cluster's version, or the problem that there is none."""
    assert parsed.cluster is not None
    autoscaler, warnings = autoscaler_workload(parsed.cluster.version, [g for _, g in parsed.node_groups])
    # A version EKS does not offer is an error of its own (cluster.version), not repeated here.
    if autoscaler is None and version_error(parsed.cluster.version, parsed.today) is None:
        problems.append(
            Problem(
                key_path("autoscaling", "enabled"),
                f"true, but the Cluster Autoscaler has no release for Kubernetes {parsed.cluster.version} "
                f"(releases for {', '.join(RELEASES)}); set it false or use one of those versions",
            )
        )
    return autoscaler, warnings


def _place(found: _Sections, parsed: rules.Parsed, problems: list[Problem]) -> None:
    """Where every pod lands (the samples' and the platform's own) and what each node group holds at maxSize."""
    groups = [ng for _, ng in parsed.node_groups]
    platform = platform_subjects(
        PlatformContext(
            found.addons or AddonsConfig(), found.autoscaler, found.platform_addons, needs_monitoring(groups)
        )
    )
    verdicts, found.workload_warnings, found.placement = check_placement(found.workloads, groups, platform)
    found.capacity = capacities(groups, found.placement)
    short, short_warnings = capacity_verdicts(found.capacity)
    problems += verdicts + short
    found.workload_warnings += unknown_types(groups) + short_warnings
    found.workload_warnings += zonal_spread_warnings(parsed.cluster, found.workloads)


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
