"""Chinese pages: source line breaks that are not spaces, and the English twin's heading ids.

Markdown turns a line break inside a paragraph into a space, which is right between English
words and wrong between two Chinese characters ("提供 简体中文"). No maintained Python-Markdown
extension removes it (mdit-py-cjk-friendly does it for markdown-it-py, which MkDocs does not
use), so ``join_lines`` does it on the page's Markdown, outside code fences; a break between
Han and Latin text stays a space, as the site's Chinese style wants.

Python-Markdown gives a Chinese heading an id such as ``_1``, which says nothing and differs
from the English page's: a link to a section could not be shared, and the language switch
could not keep it. ``TwinIds`` gives each heading of a Chinese page the id of the heading at
the same position on its English twin (the pages keep the same heading structure).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# Han and the punctuation Chinese prose sets without spaces: CJK symbols, full-width forms, and
# the curly quotes, ellipsis and dash Chinese text uses.
_PUNCT = "\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2026\u2014"
_HAN = "\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Markup around the first or last character of a line: emphasis, a link's brackets and target.
_TRAILING_MARKUP = re.compile(r"(?:\]\([^()\s]*\)|[*_\]])+$")
_LEADING_MARKUP = re.compile(r"^[ \t]*[*_\[]*")
_CONTINUES = re.compile(r"^[ \t]*(?:`(?!``)|[A-Za-z]|\d+(?![.)][ \t]))")
_GAP = re.compile(f"([{_HAN}{_PUNCT}](?:\\]\\([^()\\s]*\\)|[*_\\]])*)[ \t]+(?=[*_\\[]*[{_HAN}{_PUNCT}])")
_INLINE_CODE = re.compile(r"(`+[^`]*`+)")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]")
_CHINESE = re.compile(f"[{_HAN}{_PUNCT}]")
_CHINESE_PUNCT = re.compile(f"[{_PUNCT}]")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def join_lines(markdown: str) -> str:
    """The Markdown with each line break between two Chinese characters removed, outside code fences.

    A break next to full-width punctuation goes too (the punctuation carries its own space), so
    does the next line's indentation (a list item's or an admonition's continuation). A break
    between Han and Latin text stays a space; a line that ends in a hard break (two spaces)
    stays, and a heading never takes in the paragraph below it.
    """
    lines = markdown.split("\n")
    out: list[str] = []
    fence = ""
    for line in lines:
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1).startswith(fence) and not line[opener.end() :].strip():
                fence = ""
            out.append(line)
            continue
        if opener:
            fence = opener.group(1)
            out.append(line)
            continue
        text = _close_gaps(line)
        if out and _joins(out[-1], text):
            out[-1] += text.lstrip(" \t")
        else:
            out.append(text)
    return "\n".join(out)


def _close_gaps(line: str) -> str:
    """A space typed between two Chinese characters, with only emphasis or a link's bracket between
    them ("和 [实验渠道](…)", "**更宽。** 在"), goes too; inline code keeps its spaces."""
    if not _CHINESE.search(line):
        return line
    parts = _INLINE_CODE.split(line)
    parts[::2] = [_GAP.sub(r"\1", part) for part in parts[::2]]
    return "".join(parts)


def _joins(line: str, following: str) -> bool:
    """Whether the break between two lines of a paragraph is no space: between two Han characters,
    or next to full-width punctuation (which carries its own space)."""
    if not line or not following.strip() or _ATX_HEADING.match(line):
        return False
    last = _TRAILING_MARKUP.sub("", line)[-1:]
    first = _LEADING_MARKUP.sub("", following)[:1]
    if not last or not first:
        return False
    if _CHINESE.match(first):
        return bool(_CHINESE.match(last))
    # Punctuation, then Latin text or inline code that continues the paragraph (not a new list item).
    return bool(_CHINESE_PUNCT.match(last) and _CONTINUES.match(following))


@dataclass(frozen=True)
class Heading:
    """A heading as the reader sees it: level (1-6), text and id."""

    level: int
    text: str
    id: str


def headings(toc: object) -> list[Heading]:
    """The headings of a rendered page in document order, from MkDocs' ``page.toc``."""
    found: list[Heading] = []

    def walk(items: object) -> None:
        for item in items:  # type: ignore[attr-defined]
            found.append(Heading(item.level, item.title, item.id))
            walk(item.children)

    walk(toc)
    return found


@dataclass
class TwinIds(Extension):
    """Python-Markdown extension: headings take the ids listed in ``ids`` (the English twin's), in order.

    Set ``ids`` to the twin's headings before a Chinese page is rendered and to None for
    every other page. Runs before the toc extension, which keeps an id a heading already has.
    A heading whose level differs from its twin's, or a count that differs, is kept in
    ``mismatches`` for the build to report.
    """

    ids: list[Heading] | None = None
    mismatches: list[tuple[str | None, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_TwinIdProcessor(md, self), "netdocs_twin_ids", 6)  # toc is 5, attr_list 8


class _TwinIdProcessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: TwinIds) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        twins = self.extension.ids
        self.extension.mismatches = []
        if twins is None:
            return
        found = [el for el in root.iter() if el.tag in _HEADINGS]
        for n, (el, twin) in enumerate(zip(found, twins, strict=False), 1):
            text = "".join(el.itertext()).strip()
            if int(el.tag[1]) != twin.level:
                self.extension.mismatches.append(
                    (
                        text,
                        f"heading {n}, {text!r}, is at level {el.tag[1]}; heading {n} of the English page, "
                        f"{twin.text!r}, is at level {twin.level}",
                    )
                )
                return
            el.set("id", twin.id)
        if len(found) != len(twins):
            last = "".join(found[-1].itertext()).strip() if found else None
            self.extension.mismatches.append((last, f"{len(found)} headings; the English page has {len(twins)}"))


def heading_line(markdown: str, text: str) -> int | None:
    """The 1-based line of the heading whose text is ``text``, if the page spells it out."""
    match = re.search(rf"^[ \t]*#+[ \t]+{re.escape(text)}", markdown, re.MULTILINE)
    return markdown.count("\n", 0, match.start()) + 1 if match else None
