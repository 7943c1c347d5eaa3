"""Load YAML manifests with the line and column of every value.

PyYAML silently keeps the last of two equal keys and forgets positions once it has
built Python objects; a reviewer needs both, so we compose the node tree ourselves.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from netdocs.check.findings import Finding
from netdocs.check.rules import Rule
from netdocs.paths import display

JsonPath = tuple[str | int, ...]
LARGE_BYTES = 5 * 1024 * 1024  # a larger file is read and checked a batch of documents at a time
BATCH = 200  # documents of a large file held in memory at once
CHUNK = 256 * 1024  # bytes of a large file scanned at once
MAX_NODES = 100_000
MAX_DEPTH = 100  # real manifests nest ~20 deep; libyaml crashes (not raises) on ~100k levels
# libyaml when PyYAML was built with it (several times faster), else the pure-Python loader.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """One YAML document of a file, with positions (1-based) of every node by path."""

    file: Path
    index: int
    data: Any
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    within: JsonPath = ()  # ("items", 2) for an item of a v1 List

    def where(self, path: JsonPath) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that exists in the file."""
        for cut in range(len(path), -1, -1):
            if (pos := self.positions.get(tuple(path[:cut]))) is not None:
                return pos
        return (1, 1)

    def finding(self, path: JsonPath, rule: str, message: str, **kw: Any) -> Finding:
        line, col = self.where(path)
        where = f"List {dotted(self.within)}: " if self.within else ""
        return Finding(display(self.file), line, col, rule, where + message, **kw)

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", "")) if isinstance(self.data, dict) else ""

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion", "")) if isinstance(self.data, dict) else ""

    @property
    def name(self) -> str:
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        return str(meta.get("name", "")) if isinstance(meta, dict) else ""


def dotted(path: JsonPath) -> str:
    """``spec.ports[0].port``: the way kubectl explain and error messages spell a path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class TooLarge(Exception):
    """A document with more values than :data:`MAX_NODES` (usually YAML aliases multiplying)."""


def _walk(root: yaml.Node, doc: Document, dups: list[Finding]) -> None:
    """Record positions of every path; a mapping value is placed at its key, where people look."""
    todo: list[tuple[yaml.Node, JsonPath, yaml.Mark]] = [(root, (), root.start_mark)]
    while todo:
        node, path, mark = todo.pop()
        doc.positions[path] = (mark.line + 1, mark.column + 1)
        if len(doc.positions) > MAX_NODES:
            raise TooLarge
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    dups.append(
                        Finding(
                            display(doc.file),
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                            Rule.YAML_DUPLICATE_KEY,
                            f"duplicate key '{dotted((*path, key))}': YAML keeps only the last one; remove one",
                        )
                    )
                seen.add(key)
                todo.append((value_node, (*path, key), key_node.start_mark))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*path, i), item.start_mark) for i, item in enumerate(node.value))


def _not_utf8(where: str, raw: bytes, start: int, line_offset: int = 0) -> Finding:
    """The first byte that is not UTF-8, at its line and column."""
    line = raw.count(b"\n", 0, start) + 1
    col = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    message = f"not UTF-8 text (byte 0x{raw[start]:02x}); save the file as UTF-8"
    return Finding(where, line + line_offset, col, Rule.INPUT, message)


def read_text(path: Path) -> tuple[str | None, Finding | None]:
    """The file's text, or one finding saying why it cannot be read as YAML text."""
    where = display(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, Finding(where, 1, 1, Rule.INPUT, f"cannot read file: {exc.strerror}")
    if b"\0" in raw[:8192]:
        return None, Finding(where, 1, 1, Rule.INPUT, "binary file, not YAML text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, _not_utf8(where, raw, exc.start)


def nesting(text: str) -> int:
    """How deep the text nests, by flow brackets and by indentation, read without parsing it."""
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0) // 2
    if text.count("[") + text.count("{") < MAX_DEPTH:
        return indent
    depth = deepest = 0
    quote = ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return max(indent, deepest)


def _syntax_error(path: Path, exc: yaml.YAMLError, line_text: str) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    indent = line_text[:col]  # up to and with the character the parser stopped at
    if "tab character" in problem or ("\t" in indent and not indent.strip(" \t")):
        message = "YAML syntax error: a tab in the indentation; YAML indents with spaces only, replace the tab"
    else:
        context = getattr(exc, "context", None)
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Finding(display(path), line, col, Rule.YAML_SYNTAX, message)


def _unwrapped(doc: Document) -> list[Document]:
    """A ``v1 List`` (what kubectl get -o yaml prints, and kubectl apply accepts) as its items."""
    if doc.api_version != "v1" or doc.kind != "List" or not isinstance(doc.data.get("items"), list):
        return [doc]
    items = []
    for i, item in enumerate(doc.data["items"]):
        prefix = ("items", i)
        positions = {path[2:]: pos for path, pos in doc.positions.items() if path[:2] == prefix}
        items.append(Document(doc.file, doc.index, item, positions, prefix))
    return items


def _documents(path: Path, source: str | BinaryIO, findings: list[Finding]) -> Iterator[Document]:
    """The non-empty documents of ``source``; problems met on the way are added to ``findings``."""
    loader = LOADER(source)
    index = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None or (isinstance(node, yaml.ScalarNode) and node.value == ""):
                continue
            doc = Document(path, index, None)
            _walk(node, doc, findings)
            doc.data = loader.construct_document(node)
            yield from _unwrapped(doc)
            index += 1
    except TooLarge:
        message = f"a document has more than {MAX_NODES} values (YAML aliases multiplying?); split or simplify it"
        findings.append(Finding(display(path), 1, 1, Rule.INPUT, message))
    except RecursionError:
        findings.append(Finding(display(path), 1, 1, Rule.INPUT, f"YAML nested more than {MAX_DEPTH} levels deep"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        lines = source.splitlines() if isinstance(source, str) and mark else []
        findings.append(_syntax_error(path, exc, lines[mark.line] if mark and mark.line < len(lines) else ""))
    finally:
        loader.dispose()


def load(path: Path) -> tuple[list[Document], list[Finding]]:
    """All non-empty documents of a YAML file (of at most :data:`LARGE_BYTES`) and the findings met parsing it."""
    text, problem = read_text(path)
    if problem:
        return [], [problem]
    assert text is not None
    if (depth := nesting(text)) > MAX_DEPTH:
        message = f"YAML nested {depth} levels deep (more than {MAX_DEPTH}); not a manifest"
        return [], [Finding(display(path), 1, 1, Rule.INPUT, message)]
    findings: list[Finding] = []
    docs = list(_documents(path, text, findings))
    if any(f.rule in (Rule.INPUT, Rule.YAML_SYNTAX) for f in findings):
        return [], [f for f in findings if f.rule in (Rule.INPUT, Rule.YAML_SYNTAX)]
    return docs, findings


def is_large(path: Path) -> bool:
    try:
        return path.stat().st_size > LARGE_BYTES
    except OSError:
        return False


def _scan(path: Path) -> Finding | None:
    """What :func:`read_text` and :func:`nesting` find, read in chunks: a large file is never held whole."""
    where = display(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = depth = 0
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(CHUNK):
            if first and b"\0" in chunk[:8192]:
                return Finding(where, 1, 1, Rule.INPUT, "binary file, not YAML text")
            first = False
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return _not_utf8(where, chunk, exc.start, lines_before)
            lines_before += chunk.count(b"\n")
            depth = max(depth, nesting(text))
    if depth > MAX_DEPTH:
        return Finding(
            where, 1, 1, Rule.INPUT, f"YAML nested {depth} levels deep (more than {MAX_DEPTH}); not a manifest"
        )
    return None


def stream(path: Path) -> Iterator[tuple[list[Document], list[Finding]]]:
    """The documents of a large file in batches of :data:`BATCH`, each with the findings met reading it."""
    try:
        if (problem := _scan(path)) is not None:
            yield [], [problem]
            return
        with path.open("rb") as handle:
            findings: list[Finding] = []
            batch: list[Document] = []
            for doc in _documents(path, handle, findings):
                batch.append(doc)
                if len(batch) >= BATCH:
                    yield batch, findings
                    batch, findings = [], []
            yield batch, findings
    except OSError as exc:
        yield [], [Finding(display(path), 1, 1, Rule.INPUT, f"cannot read file: {exc.strerror}")]
