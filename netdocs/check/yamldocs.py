"""Load YAML manifests with the line and column of every value.

PyYAML silently keeps the last of two equal keys and forgets positions once it has
built Python objects; a reviewer needs both, so we compose the node tree ourselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netdocs.check.findings import Finding
from netdocs.check.rules import Rule
from netdocs.paths import display

JsonPath = tuple[str | int, ...]
MAX_BYTES = 5 * 1024 * 1024
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

    def where(self, path: JsonPath) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that exists in the file."""
        for cut in range(len(path), -1, -1):
            if (pos := self.positions.get(tuple(path[:cut]))) is not None:
                return pos
        return (1, 1)

    def finding(self, path: JsonPath, rule: str, message: str, **kw: Any) -> Finding:
        line, col = self.where(path)
        return Finding(display(self.file), line, col, rule, message, **kw)

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


def read_text(path: Path) -> tuple[str | None, Finding | None]:
    """The file's text, or one finding saying why it cannot be read as YAML text."""
    where = display(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Finding(
                where,
                1,
                1,
                Rule.INPUT,
                f"file is {size // 1024 // 1024} MB; manifests over "
                f"{MAX_BYTES // 1024 // 1024} MB are refused (split it)",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return None, Finding(where, 1, 1, Rule.INPUT, f"cannot read file: {exc.strerror}")
    if b"\0" in raw[:8192]:
        return None, Finding(where, 1, 1, Rule.INPUT, "binary file, not YAML text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, Finding(where, 1, 1, Rule.INPUT, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")


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


def load(path: Path) -> tuple[list[Document], list[Finding]]:
    """All non-empty documents of a YAML file and the findings met while parsing it."""
    text, problem = read_text(path)
    if problem:
        return [], [problem]
    assert text is not None
    if (depth := nesting(text)) > MAX_DEPTH:
        message = f"YAML nested {depth} levels deep (more than {MAX_DEPTH}); not a manifest"
        return [], [Finding(display(path), 1, 1, Rule.INPUT, message)]
    docs: list[Document] = []
    findings: list[Finding] = []
    loader = LOADER(text)
    try:
        index = 0
        while loader.check_node():
            node = loader.get_node()
            if node is None or (isinstance(node, yaml.ScalarNode) and node.value == ""):
                continue
            doc = Document(path, index, None)
            _walk(node, doc, findings)
            doc.data = loader.construct_document(node)
            docs.append(doc)
            index += 1
    except TooLarge:
        message = f"a document has more than {MAX_NODES} values (YAML aliases multiplying?); split or simplify it"
        return [], [Finding(display(path), 1, 1, Rule.INPUT, message)]
    except RecursionError:
        return [], [Finding(display(path), 1, 1, Rule.INPUT, f"YAML nested more than {MAX_DEPTH} levels deep")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem_text = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"YAML syntax error: {problem_text}" + (f" ({context})" if context else "")
        return [], [Finding(display(path), line, col, Rule.YAML_SYNTAX, message)]
    finally:
        loader.dispose()
    return docs, findings
