"""Every provider plugin, and its version, a real `pulumi up` of the program loads: what an
air-gapped team installs beforehand (`pulumi plugin install resource <name> <version>`).

Read from what the run asked the engine for: each registration and invoke names the plugin version
its SDK was built for (the Python packages requirements.txt pins), and what pulumi-eks creates inside
itself comes with the versions its own Node dependencies pin (runner/pulumi_eks.py PLUGINS). The
engine loads one plugin per name and version, so aws and kubernetes may each appear twice.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .pulumi_eks import plugin_package

if TYPE_CHECKING:
    from .engine import RunResult

PROGRAM = "the program"


def plugins(result: RunResult) -> list[dict[str, str]]:
    """[{"name", "version", "loadedFor"}] sorted by name and version; loadedFor says who asks for it."""
    found = {
        (plugin_package(r.type), r.plugin_version, r.created_by or PROGRAM)
        for r in result.resources
        if r.plugin_version
    }
    found |= {(i.token.split(":", 1)[0], i.plugin_version, PROGRAM) for i in result.invokes if i.plugin_version}
    return [
        {"name": name, "version": version, "loadedFor": who}
        for name, version, who in sorted(found, key=lambda p: (p[0], [int(x) for x in re.findall(r"\d+", p[1])], p[2]))
    ]


def install_commands(found: list[dict[str, str]]) -> list[str]:
    """One `pulumi plugin install` per plugin, as an air-gapped host would run them."""
    return [f"pulumi plugin install resource {p['name']} {p['version']}" for p in found]
