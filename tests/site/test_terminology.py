"""One Chinese term per concept: no Chinese page uses a variant the glossary says to avoid.

The glossary (docs/glossary.zh.md) is the source of truth. Its tables have a column 避免使用
("avoid") next to the preferred term in column 中文; this test reads that column, so adding a
variant there is all it takes to ban it everywhere. A variant that is part of a preferred term
(分布约束 inside 拓扑分布约束) is not a hit, and the glossary's own avoid cells are exempt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from netdocs.paths import DOCS

GLOSSARY = DOCS / "glossary.zh.md"
PREFERRED_COLUMN = "中文"
AVOID_COLUMN = "避免使用"
_TERM_SEPARATORS = re.compile(r"[、，,（）()：:]")


@dataclass(frozen=True)
class Rule:
    """One avoided variant, the preferred terms of its row, and where the row is."""

    variant: str
    preferred: tuple[str, ...]
    cell: str
    line: int


@dataclass(frozen=True)
class Hit:
    """An avoided variant found on a page."""

    path: Path
    line: int
    rule: Rule

    def message(self) -> str:
        page = f"docs/{self.path.relative_to(DOCS).as_posix()}" if self.path.is_relative_to(DOCS) else str(self.path)
        return (
            f"{page}:{self.line}: '{self.rule.variant}' is avoided; write '{self.rule.cell}' "
            f"(docs/glossary.zh.md:{self.rule.line})"
        )


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _terms(cell: str) -> list[str]:
    return [term.strip().strip("`").strip() for term in _TERM_SEPARATORS.split(cell) if term.strip().strip("`").strip()]


def avoid_cells(text: str) -> dict[int, tuple[int, int]]:
    """Line number -> (start, end) of the avoid cell on that line, for every glossary table row."""
    spans: dict[int, tuple[int, int]] = {}
    column: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("|"):
            column = None
            continue
        cells = _cells(line)
        if AVOID_COLUMN in cells and PREFERRED_COLUMN in cells:
            column = cells.index(AVOID_COLUMN)
            continue
        if column is None or set(line.replace("|", "").strip()) <= {"-", " ", ":"}:
            continue
        bars = [i for i, char in enumerate(line) if char == "|"]
        if len(bars) > column + 1:
            spans[number] = (bars[column], bars[column + 1])
    return spans


def parse_rules(text: str) -> list[Rule]:
    """Every avoided variant of every table that has both a 中文 and a 避免使用 column."""
    rules: list[Rule] = []
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if AVOID_COLUMN in cells and PREFERRED_COLUMN in cells:
            header = cells
            continue
        if header is None or len(cells) != len(header) or set("".join(cells)) <= {"-", ":"}:
            continue
        cell = cells[header.index(PREFERRED_COLUMN)]
        for variant in _terms(cells[header.index(AVOID_COLUMN)]):
            rules.append(Rule(variant, tuple(_terms(cell)), cell, number))
    return rules


def find_hits(path: Path, text: str, rules: list[Rule], exempt: dict[int, tuple[int, int]] | None = None) -> list[Hit]:
    """Avoided variants on each line, except inside a preferred term or an exempt span."""
    hits: list[Hit] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for rule in rules:
            start = line.find(rule.variant)
            while start != -1:
                end = start + len(rule.variant)
                inside_preferred = any(
                    covering <= start and covering + len(term) >= end
                    for term in rule.preferred
                    if rule.variant in term
                    for covering in _occurrences(line, term)
                )
                low, high = (exempt or {}).get(number, (-1, -1))
                if not inside_preferred and not (low < start and end <= high):
                    hits.append(Hit(path, number, rule))
                    break
                start = line.find(rule.variant, start + 1)
    return hits


def _occurrences(line: str, term: str) -> list[int]:
    found, start = [], line.find(term)
    while start != -1:
        found.append(start)
        start = line.find(term, start + 1)
    return found


def _chinese_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.zh.md"))


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return parse_rules(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_lists_variants_to_avoid(rules: list[Rule]) -> None:
    assert rules, (
        f"docs/glossary.zh.md has no table with the columns '{PREFERRED_COLUMN}' and '{AVOID_COLUMN}': "
        "add the avoid column, it is what this test enforces"
    )
    empty = [rule for rule in rules if not rule.preferred]
    assert not empty, "\n".join(f"docs/glossary.zh.md:{r.line}: '{r.variant}' has no preferred term" for r in empty)


def test_no_variant_is_also_preferred(rules: list[Rule]) -> None:
    preferred = {term for rule in rules for term in rule.preferred}
    clashes = [rule for rule in rules if rule.variant in preferred]
    assert not clashes, "\n".join(
        f"docs/glossary.zh.md:{r.line}: '{r.variant}' is both avoided and preferred" for r in clashes
    )


@pytest.mark.parametrize("page", _chinese_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_chinese_page_uses_the_glossary_terms(page: Path, rules: list[Rule]) -> None:
    text = page.read_text(encoding="utf-8")
    exempt = avoid_cells(text) if page == GLOSSARY else None
    hits = find_hits(page, text, rules, exempt)
    assert not hits, "\n".join(hit.message() for hit in hits)


SAMPLE_GLOSSARY = """\
| 中文 | 避免使用 | English |
| --- | --- | --- |
| 拓扑分布约束 | 分布约束 | topology spread constraints |
| 就绪、就绪探针 | 就绪态探针 | readiness probe |
"""


def test_sample_rules_and_overlaps() -> None:
    rules = parse_rules(SAMPLE_GLOSSARY)
    assert [(r.variant, r.preferred, r.line) for r in rules] == [
        ("分布约束", ("拓扑分布约束",), 3),
        ("就绪态探针", ("就绪", "就绪探针"), 4),
    ]
    page = Path("sample.zh.md")
    text = "使用拓扑分布约束。\n加一条分布约束。\n配置就绪态探针。\n配置就绪探针。\n"
    hits = find_hits(page, text, rules)
    assert [(h.line, h.rule.variant) for h in hits] == [(2, "分布约束"), (3, "就绪态探针")]
    assert hits[0].message() == "sample.zh.md:2: '分布约束' is avoided; write '拓扑分布约束' (docs/glossary.zh.md:3)"


def test_sample_glossary_avoid_cells_are_exempt() -> None:
    rules = parse_rules(SAMPLE_GLOSSARY)
    exempt = avoid_cells(SAMPLE_GLOSSARY)
    assert find_hits(GLOSSARY, SAMPLE_GLOSSARY, rules, exempt) == []
    assert [h.line for h in find_hits(GLOSSARY, SAMPLE_GLOSSARY + "正文里的分布约束。\n", rules, exempt)] == [5]
