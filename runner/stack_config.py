"""Read a stack's config the way the Pulumi CLI would hand it to the program — without the CLI.

`Pulumi.<stack>.yaml` values, with the project-level defaults of `Pulumi.yaml` filled in
for keys the stack leaves out. `secure:` values are never decrypted (there is no key here):
they become the placeholder SECRET and their top-level key is marked secret, as Pulumi
marks it.

The project folder (Pulumi.yaml and the stack files) defaults to the current directory, where the
Pulumi CLI runs too; pass `project_dir` for another.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The checkout these modules are in: the platform's own tools (render, review, tests) find the
# repository's files here through its editable install. Nothing defaults to it: installed as a
# library, this is a folder inside site-packages.
PROJECT_DIR = Path(__file__).resolve().parent.parent
# libyaml's parser when PyYAML has it: safe loading, several times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECRET = "[secret]"


class StackConfigError(Exception):
    """The stack file is not a valid stack config (not YAML, or no `config:` mapping)."""


class StackFileMissing(StackConfigError):
    """There is no such stack file."""


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    values: Mapping[str, Any]
    secret_keys: frozenset[str] = field(default_factory=frozenset)

    def runtime_values(self) -> dict[str, str]:
        """Config as the language host passes it: strings, structured values as JSON."""
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in self.values.items()}


def project_file(project_dir: Path | None = None) -> dict:
    path = (project_dir or Path.cwd()) / "Pulumi.yaml"
    try:
        return yaml.load(path.read_text(), Loader=_LOADER)
    except OSError as e:
        raise StackConfigError(f"cannot read the project file {path}: {e.strerror}") from None


def stack_names(project_dir: Path | None = None) -> list[str]:
    """The stacks of a project, by their `Pulumi.<stack>.yaml` files."""
    files = (project_dir or Path.cwd()).glob("Pulumi.*.yaml")
    return sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in files)


def load_stack_config(stack: str, config_file: Path | None = None, project_dir: Path | None = None) -> StackConfig:
    """`config_file` replaces `Pulumi.<stack>.yaml` (same format) when given."""
    path = config_file or (project_dir or Path.cwd()) / f"Pulumi.{stack}.yaml"
    try:
        document = yaml.load(path.read_text(), Loader=_LOADER) or {}
    except OSError as e:
        raise StackFileMissing(f"cannot read stack config {path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise StackConfigError(f"{path} is not valid YAML: {e}") from None
    if not isinstance(document, dict) or not isinstance(document.get("config", {}), dict):
        raise StackConfigError(f"{path} must be a mapping with a 'config:' mapping inside")
    return stack_config_from_dict(stack, document.get("config") or {}, project_dir)


def stack_config_from_dict(stack: str, config: Mapping[str, Any], project_dir: Path | None = None) -> StackConfig:
    project = project_file(project_dir)
    name = project["name"]
    values: dict[str, Any] = {}
    secret_keys: set[str] = set()
    for key, value in config.items():
        full_key = key if ":" in key else f"{name}:{key}"
        masked, secret = _mask_secure(value)
        values[full_key] = masked
        if secret:
            secret_keys.add(full_key)
    for key, declaration in (project.get("config") or {}).items():
        full_key = key if ":" in key else f"{name}:{key}"
        if full_key not in values and isinstance(declaration, dict):
            for source in ("value", "default"):
                if source in declaration:
                    values[full_key] = declaration[source]
    return StackConfig(name, stack, values, frozenset(secret_keys))


def _mask_secure(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET, True
        pairs = {k: _mask_secure(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_mask_secure(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False
