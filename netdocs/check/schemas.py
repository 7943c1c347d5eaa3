"""Strict OpenAPI schemas of every supported Kubernetes minor, compiled once and reused.

kubernetes-validate ships the schemas but re-reads a 1.8 MB file for every document and
stops at the first error. We compile one validator per (minor, group/version/kind) over only
the definitions it reaches (descriptions dropped, so minors with the same schema share one
compiled validator) and report every error. The index of kinds and each kind's reduced
schema are cached on disk per kubernetes-validate version: a run reads a few kilobytes
instead of parsing 8 x 1.8 MB.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from typing import Any

import jsonschema_rs

from netdocs.check import diskcache

# The window this site supports: every manifest is checked against each of these minors.
MINORS: tuple[str, ...] = tuple(f"1.{m}" for m in range(30, 38))
NEWEST = MINORS[-1]

GVK = tuple[str, str, str]  # (group, version, kind)


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


@cache
def _cache_root() -> Any:
    # The suffix changes whenever the reduced schemas change shape, so stale caches are never read.
    return diskcache.cache_dir() / f"schemas-kubernetes-validate-{version('kubernetes-validate')}-2"


@cache
def _definitions(minor: str) -> tuple[dict[str, Any], dict[GVK, str]]:
    """All definitions of a minor (slow: only when the disk cache lacks something)."""
    folder = files("kubernetes_validate") / "kubernetes-json-schema" / f"v{minor}.0-local-strict"
    defs = json.loads((folder / "_definitions.json").read_text())["$defs"]
    index: dict[GVK, str] = {}
    for key, schema in defs.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            index.setdefault((gvk["group"], gvk["version"], gvk["kind"]), key)
    return defs, index


def _reachable(defs: dict[str, Any], root: str) -> dict[str, Any]:
    """The definitions ``root`` refers to, transitively: compiling 325 kinds to check one is waste."""
    keep: dict[str, Any] = {}
    todo = [root]
    while todo:
        key = todo.pop()
        if key in keep:
            continue
        keep[key] = defs[key]
        stack: list[Any] = [defs[key]]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/$defs/"):
                    todo.append(ref.removeprefix("#/$defs/"))
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return keep


@cache
def _index(minor: str) -> dict[GVK, str]:
    """group/version/kind -> definition key, for every kind the minor serves."""
    path = _cache_root() / f"index-{minor}.json"
    if (text := diskcache.read(path)) is not None:
        return {tuple(gvk.split("|")): key for gvk, key in json.loads(text).items()}  # type: ignore[misc]
    index = _definitions(minor)[1]
    diskcache.write(path, json.dumps({"|".join(gvk): key for gvk, key in index.items()}))
    return index


def known(gvk: GVK, minor: str) -> bool:
    return gvk in _index(minor)


def _without_descriptions(node: Any) -> Any:
    """The schema without its prose: a ``description`` keyword is text; a property named
    ``description`` (PriorityClass, CRD schemas) is a field, a schema itself, and stays."""
    if isinstance(node, dict):
        return {k: _without_descriptions(v) for k, v in node.items() if not (k == "description" and isinstance(v, str))}
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


@cache
def _compile(schema: str) -> Any:
    return jsonschema_rs.validator_for(schema)  # accepts the JSON text as is


@cache
def validator(gvk: GVK, minor: str) -> Any:
    """A compiled validator for ``gvk`` in ``minor``; the caller checks :func:`known` first.

    Descriptions are dropped first: most minors then share the same schema text for a kind,
    and that schema is compiled once for all of them.
    """
    root = _index(minor)[gvk]
    path = _cache_root() / minor / f"{root}.json"
    if (text := diskcache.read(path)) is None:
        defs = _definitions(minor)[0]
        schema = {"$ref": f"#/$defs/{root}", "$defs": _without_descriptions(_reachable(defs, root))}
        text = json.dumps(schema, sort_keys=True)
        diskcache.write(path, text)
    return _compile(text)


def schema_errors(data: dict[str, Any], gvk: GVK, minor: str) -> list[tuple[tuple[str | int, ...], str]]:
    """Every schema error of ``data`` as (path inside the document, message).

    An unknown field is reported once per field, at the field itself, so the line points
    at the word to delete rather than at its parent.
    """
    out: list[tuple[tuple[str | int, ...], str]] = []
    for err in validator(gvk, minor).iter_errors(data):
        path = tuple(err.instance_path)
        if err.kind.__class__.__name__ == "AdditionalProperties":
            out.extend(((*path, name), f"unknown field '{name}'") for name in err.kind.unexpected)
        else:
            out.append((path, err.message))
    return out


def supported_kinds(minor: str = NEWEST) -> set[GVK]:
    return set(_index(minor))
