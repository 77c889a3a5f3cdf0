"""Independent checks of rendered manifests: kubernetes-validate (strict) and yamllint (relaxed)."""

from __future__ import annotations

import kubernetes_validate
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from review.__main__ import cache_kubernetes_schemas

_RELAXED = YamlLintConfig("extends: relaxed")
cache_kubernetes_schemas()


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
