"""Independent checks of rendered manifests: kubernetes-validate (strict) and yamllint (relaxed)."""

from __future__ import annotations

import functools

import kubernetes_validate
import kubernetes_validate.utils
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

_RELAXED = YamlLintConfig("extends: relaxed")
# kubernetes-validate reads and parses its schema files (the definitions are megabytes) on every
# call; they never change, so each is parsed once (20 times faster over a render's manifests).
kubernetes_validate.utils.schema_contents = functools.cache(kubernetes_validate.utils.schema_contents)


def kubernetes_problems(text: str, version: str) -> list[str]:
    """Schema problems in one YAML document; a missing schema (removed apiVersion) is one too."""
    document = yaml.safe_load(text)
    try:
        kubernetes_validate.validate(document, version, strict=True)
    except kubernetes_validate.SchemaNotFoundError:
        return [f"no schema for {document.get('apiVersion')}/{document.get('kind')} in Kubernetes {version}"]
    except kubernetes_validate.ValidationError as error:
        return [f"{'.'.join(str(p) for p in error.path)}: {error.message}"]
    return []


def yamllint_errors(text: str) -> list[str]:
    return [f"{p.line}: {p.message}" for p in linter.run(text, _RELAXED) if p.level == "error"]
