"""Read every config value of the running stack, as `load_settings` expects them.

Pulumi hands config to the program as strings (structured values as JSON), through
`pulumi.runtime.set_all_config` or the PULUMI_CONFIG environment variable. Reading the whole
map, not key by key, is what lets us report unknown `eks-platform:` keys.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from pulumi.runtime import config as runtime_config

from .problems import NAMESPACE


def read_runtime_config() -> dict[str, Any]:
    keys = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    return decode_config({key: runtime_config.get_config(key) for key in keys})


def decode_config(strings: Mapping[str, Any]) -> dict[str, Any]:
    """Config as the language host passes it (strings, structured values as JSON) -> `load_settings`'
    values. Also what the render uses to see the settings the program saw."""
    values: dict[str, Any] = {}
    for key in sorted(strings):
        value = strings[key]
        if key.startswith(NAMESPACE + ":") and isinstance(value, str):
            # Text that is not JSON stays text: the settings layer says what shape it needs.
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        values[key] = value
    return values


def secret_config_keys() -> set[str]:
    """Keys whose values Pulumi keeps encrypted (set with --secret, `secure:` in the stack file)."""
    keys = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    return {key for key in keys if runtime_config.is_config_secret(key)} | set(
        runtime_config.get_config_secret_keys_env()
    )
