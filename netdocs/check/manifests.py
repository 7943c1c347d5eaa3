"""Offline checks of Kubernetes manifests, one document at a time.

Each document is checked against its API lifecycle (removed or deprecated versions), its
strict schema (every supported minor for Kubernetes kinds, the pinned Gateway API release
for Gateway API kinds) and the value rules of :mod:`netdocs.check.values`. A file's *compatible
minors* are those whose schema and value rules accept every document in it; errors are
reported against the newest minor, where readers will apply the manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from netdocs.check import apis, breaks, crds, gateway_api, safety, schemas, values
from netdocs.check.findings import Finding, Severity
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import LARGE_BYTES, Document, dotted, is_large, load, stream
from netdocs.paths import display

# Gateway API kinds that need a newer Kubernetes than the window's oldest minor.
GATEWAY_API_SINCE = {("gateway.networking.k8s.io/v1", "TLSRoute"): "1.31"}  # its CEL rules (v1.5.0 notes)


@dataclass
class ManifestReport:
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    minors: set[str] = field(default_factory=lambda: set(schemas.MINORS))


def version_range(minors: Iterable[str]) -> str:
    """``1.30-1.37`` (or ``none``) for a set of minors; gaps are shown as separate runs."""
    ordered = [m for m in schemas.MINORS if m in set(minors)]
    if not ordered:
        return "none"
    runs: list[list[str]] = []
    for minor in ordered:
        if runs and schemas.MINORS.index(minor) == schemas.MINORS.index(runs[-1][-1]) + 1:
            runs[-1].append(minor)
        else:
            runs.append([minor])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def _shape(doc: Document) -> Finding | None:
    if not isinstance(doc.data, dict):
        return doc.finding((), Rule.MANIFEST_SHAPE, "a manifest must be a mapping with apiVersion and kind")
    missing = [key for key in ("apiVersion", "kind") if not doc.data.get(key)]
    if missing:
        return doc.finding(
            (), Rule.MANIFEST_SHAPE, f"missing {' and '.join(missing)}: every manifest names its apiVersion and kind"
        )
    return None


def _lifecycle(doc: Document) -> tuple[list[Finding], bool]:
    """(findings, removed) for the document's apiVersion and kind."""
    change = apis.change_for(doc.api_version, doc.kind)
    if change is None:
        return [], False
    if apis.is_removed_by(change, schemas.NEWEST):
        message = (
            f"{doc.api_version} {doc.kind} was removed in Kubernetes {change.removed_in}; use {change.replacement}"
        )
        return [doc.finding(("apiVersion",), Rule.API_REMOVED, message)], True
    message = (
        f"{doc.api_version} {doc.kind} is deprecated since Kubernetes {change.deprecated_in}; use {change.replacement}"
    )
    return [doc.finding(("apiVersion",), Rule.API_DEPRECATED, message, severity=Severity.WARNING)], False


def _built_in_group(group: str) -> bool:
    """A group the Kubernetes API server itself serves (or reserves): no CRD can supply its kinds."""
    return group in {g for g, _, _ in schemas.supported_kinds()} or group == "k8s.io" or group.endswith(".k8s.io")


def _unknown_kind(doc: Document, context: Context) -> Finding:
    """No schema for the kind: a misspelling in a built-in or Gateway API group, a version the CRD
    given does not serve; else a CRD not given (a warning unless ``strict``)."""
    group = schemas.split_api_version(doc.api_version)[0]
    served = sorted(f"{g}/{v}" if g else v for g, v, k in schemas.supported_kinds() if k == doc.kind)
    versions = sorted(v for g, v, k in context.served if (g, k) == (group, doc.kind))
    if versions:
        hint = f"the CRD given serves {doc.kind} in version {', '.join(versions)} only"
    elif gateway_api.is_gateway_api(doc.api_version):
        hint = f"not a kind of Gateway API {gateway_api.RELEASE} ({gateway_api.NPM_PACKAGE})"
    elif served:
        hint = f"Kubernetes {schemas.NEWEST} serves {doc.kind} as {', '.join(served)}"
    elif _built_in_group(group):
        hint = f"not a kind Kubernetes {schemas.NEWEST} serves; check the spelling"
    else:
        hint = "a custom resource whose CRD is not among the files checked; pass it with --crd FILE to check it"
        severity = Severity.ERROR if context.strict else Severity.WARNING
        message = f"no schema for {doc.kind} in {doc.api_version}, so it is not checked: {hint}"
        return doc.finding(("kind",), Rule.SCHEMA_UNKNOWN_KIND, message, severity=severity)
    return doc.finding(("kind",), Rule.SCHEMA_UNKNOWN_KIND, f"no schema for {doc.kind} in {doc.api_version}: {hint}")


def _unchecked(findings: list[Finding], unknown: Finding) -> tuple[list[Finding], set[str]]:
    """A document with no schema: no minor is proven, unless it is a custom resource left unchecked."""
    return [*findings, unknown], set() if unknown.severity is Severity.ERROR else set(schemas.MINORS)


@dataclass
class Context:
    """What checking one document needs beyond itself."""

    strict: bool = False
    served: dict[tuple[str, str, str], crds.Served] = field(default_factory=dict)  # kinds of the CRDs given
    gateway: dict[int, tuple[bool, list[Finding]]] = field(default_factory=dict)  # node's verdicts

    def crd_for(self, doc: Document) -> crds.Served | None:
        return self.served.get((*schemas.split_api_version(doc.api_version), doc.kind))


def _document_findings(doc: Document, context: Context) -> tuple[list[Finding], set[str]]:
    if (problem := _shape(doc)) is not None:
        return [problem], set()
    findings, removed = _lifecycle(doc)
    findings += safety.check(doc)  # a remote shell is unsafe in every version, even a removed one
    if removed:
        return findings, set()
    minors = set(schemas.MINORS)
    if (version := context.crd_for(doc)) is not None:
        findings += crds.check(doc, version)
    elif gateway_api.is_gateway_api(doc.api_version):
        known, schema_findings = context.gateway[id(doc)]
        if not known:
            return _unchecked(findings, _unknown_kind(doc, context))
        if since := GATEWAY_API_SINCE.get((doc.api_version, doc.kind)):
            minors = {m for m in minors if apis.minor_key(m) >= apis.minor_key(since)}
        findings += schema_findings
    else:
        gvk = (*schemas.split_api_version(doc.api_version), doc.kind)
        if not schemas.known(gvk, schemas.NEWEST):
            return _unchecked(findings, _unknown_kind(doc, context))
        minors = {m for m in schemas.MINORS if schemas.known(gvk, m) and not schemas.schema_errors(doc.data, gvk, m)}
        for path, message in schemas.schema_errors(doc.data, gvk, schemas.NEWEST):
            where = dotted(path) or "(document)"
            findings.append(
                doc.finding(path, Rule.SCHEMA, f"{where}: {message} (Kubernetes {schemas.NEWEST} {doc.kind} schema)")
            )
    value_findings, value_minors = values.check(doc, crd_given=version is not None)
    return [*findings, *value_findings], minors & value_minors


Results = dict[int, tuple[list[Finding], set[str]]]  # id(document) -> (findings, compatible minors)


def _check_documents(documents: list[Document], context: Context) -> Results:
    """id(document) -> (findings, compatible minors); Gateway API documents go to node in one run
    (unless the Gateway API CRDs themselves are given: then their schemas and CEL rules judge)."""
    gateway_docs = [
        doc
        for doc in documents
        if _shape(doc) is None and gateway_api.is_gateway_api(doc.api_version) and context.crd_for(doc) is None
    ]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(gateway_api.check, gateway_docs)  # node runs while Python checks the rest
        routed = {id(doc) for doc in gateway_docs}
        results = {id(doc): _document_findings(doc, context) for doc in documents if id(doc) not in routed}
        context.gateway = pending.result()
    results.update({id(doc): _document_findings(doc, context) for doc in gateway_docs})
    return results


def _report(
    path: Path, batches: Iterable[tuple[list[Document], list[Finding]]], check: Callable[[list[Document]], Results]
) -> ManifestReport:
    """One file's report from its batches of documents; a file read in batches keeps no documents."""
    report = ManifestReport()
    seen = False
    for documents, problems in batches:
        seen = seen or bool(documents)
        report.findings += problems
        results = check(documents)
        for doc in documents:
            doc_findings, minors = results[id(doc)]
            report.findings += doc_findings
            report.minors &= minors
        if not is_large(path):
            report.documents += documents
    if not seen:
        report.minors = set()
        if not report.findings:
            report.findings.append(
                Finding(display(path), 1, 1, Rule.INPUT, "no YAML documents in file (empty or only comments)")
            )
    report.findings = breaks.excuse(report.findings, breaks.declared(path.parent))
    return report


def check_files(paths: list[Path], *, strict: bool = False) -> dict[Path, ManifestReport]:
    """Check many files at once: Gateway API documents of all of them go to node in one run.

    A file over :data:`~netdocs.check.yamldocs.LARGE_BYTES` is read and checked a batch of
    documents at a time, so memory stays bounded; its documents are not kept, so the
    cross-object rules do not see them (a note says so). ``strict``: a kind with no schema
    (a custom resource whose CRD is not given) is an error.
    """
    small = {path: load(path) for path in paths if not is_large(path)}
    documents = [doc for loaded, _ in small.values() for doc in loaded]
    context = Context(strict, crds.served(documents))
    results = _check_documents(documents, context)
    reports: dict[Path, ManifestReport] = {}
    for path in paths:
        if path in small:
            reports[path] = _report(path, [small[path]], lambda _: results)
        else:
            reports[path] = _report(path, stream(path), lambda batch: _check_documents(batch, context))
            if any(f.rule in (Rule.INPUT, Rule.YAML_SYNTAX) for f in reports[path].findings):
                continue
            message = (
                f"over {LARGE_BYTES / 1024 / 1024:g} MB: checked a batch of documents at a time; "
                "cross-object rules do not see its objects"
            )
            reports[path].findings.append(Finding(display(path), 1, 1, Rule.INPUT, message, Severity.NOTE))
    return reports


def check_file(path: Path) -> ManifestReport:
    return check_files([path])[path]
