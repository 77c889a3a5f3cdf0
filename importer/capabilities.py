"""Which settings the platform's settings layer accepts today.

Some keys the import can write are being added to the platform while the importer is built
(`eks-platform:addons`, per-group `tags`). The importer asks the settings layer instead of
assuming: a key the platform refuses is reported as not carried ("this platform has no ... yet"),
so the written stack always loads.
"""

from __future__ import annotations

from settings import loader
from settings.model import NodeGroupConfig


def has_addons() -> bool:
    """`eks-platform:addons`: add-on name -> {version?, configurationValues?}."""
    return "addons" in loader.SECTIONS


def has_node_group_tags() -> bool:
    """`eks-platform:nodeGroups[i].tags`."""
    return "tags" in NodeGroupConfig.model_fields
