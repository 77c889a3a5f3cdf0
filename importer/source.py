"""The eksctl file as a document: YAML that is one ClusterConfig of a version this importer reads.

Anything else is refused with one clear sentence before any mapping starts. Duplicate keys are
refused too: YAML loaders keep the last one silently, eksctl's refuses them, and a second
`managedNodeGroups:` would otherwise drop the first without a word.
"""

from __future__ import annotations

from typing import Any

import yaml

API_VERSION = "eksctl.io/v1alpha5"
KIND = "ClusterConfig"


class SourceError(Exception):
    """The input is not an eksctl ClusterConfig this importer can read."""


class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)  # resolve `<<:` merge keys first, as SafeLoader does
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def parse_cluster_config(text: str, name: str) -> dict:
    """The ClusterConfig in `text` (read from `name`), or SourceError saying why it is not one."""
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as error:
        raise SourceError(f"{name} is not valid YAML: {_one_line(error)}") from None
    except RecursionError:
        raise SourceError(f"{name} is nested too deeply to be a ClusterConfig") from None
    if document is None:
        raise SourceError(f"{name} is empty; expected an eksctl ClusterConfig (apiVersion: {API_VERSION})")
    if not isinstance(document, dict):
        raise SourceError(
            f"{name} holds a {type(document).__name__}, not a mapping; expected an eksctl ClusterConfig "
            f"(apiVersion: {API_VERSION}, kind: {KIND})"
        )
    kind, version = document.get("kind"), document.get("apiVersion")
    if kind != KIND:
        found = f"kind {kind!r}" if kind is not None else "no kind"
        raise SourceError(f"{name} has {found}; only an eksctl {KIND} (kind: {KIND}) can be imported")
    if version != API_VERSION:
        found = f"apiVersion {version!r}" if version is not None else "no apiVersion"
        raise SourceError(
            f"{name} has {found}; this importer reads apiVersion {API_VERSION}, the one current eksctl reads"
        )
    return document


def _one_line(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    return f"{context + ': ' if context else ''}{problem}{where}"
