"""The Helm releases of a stack: the chart, version and repository each installs, and the values it is given.

A `kubernetes:helm.sh/v3:Release` carries those as inputs, so the offline render shows them exactly as
`pulumi up` sends them; the chart's own manifests (Deployment, RBAC, webhooks, CRDs) are expanded by Helm
inside the Kubernetes provider at `pulumi preview`, so they are not in manifests/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eks_platform.runner.engine import RunResult

from .plan import mask

RELEASE = "kubernetes:helm.sh/v3:Release"
TITLE = (
    "Helm releases: the chart, its version and the values `pulumi up` installs it with; Helm expands the chart's "
    "manifests at `pulumi preview` (they are not in manifests/):"
)


def helm_review(result: RunResult) -> list[dict[str, Any]]:
    rows = []
    for release in result.of_type(RELEASE):
        inputs = mask(release.inputs)
        rows.append(
            {
                "release": f"{inputs.get('namespace', 'default')}/{inputs.get('name', release.name)}",
                "chart": inputs.get("chart"),
                "version": inputs.get("version"),
                "repository": (inputs.get("repositoryOpts") or {}).get("repo"),
                "values": inputs.get("values") or {},
            }
        )
    return sorted(rows, key=lambda r: r["release"])


def flattened(values: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, leaf value); a list of plain values stays one leaf."""
    if isinstance(values, dict) and values:
        for key in sorted(values):
            plain = key.replace("-", "").replace("_", "").isalnum()
            yield from flattened(values[key], (f"{path}.{key}" if path else key) if plain else f'{path}["{key}"]')
    elif isinstance(values, list) and any(isinstance(v, dict | list) for v in values):
        for i, item in enumerate(values):
            yield from flattened(item, f"{path}[{i}]")
    else:
        yield path, values


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return "{}" if value == {} else str(value)


def helm_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    lines = [TITLE]
    for r in rows:
        lines.append(f"    {r['release']}: chart {r['chart']} {r['version']} from {r['repository']}")
        lines += [f"        {path}: {_shown(value)}" for path, value in flattened(r["values"])]
    return "\n".join(lines) + "\n"
