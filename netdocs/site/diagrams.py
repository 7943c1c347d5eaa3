"""Mermaid diagrams drawn ahead of time, published as SVG files and shown in pages as SVG.

Laying a diagram out in the reader's browser costs a phone 0.5-0.9 s of main-thread work
and Mermaid's code, which cost the diagram-first pages their Lighthouse performance score.
So diagrams are drawn once, by ``nox -s diagrams`` (Material's own Mermaid integration in
headless Chromium, see ``netdocs.site.diagramdraw``), and kept in ``diagrams/`` under a key made
of the diagram's text and everything else that shapes the drawing.

The build publishes each drawing as ``assets/diagrams/<key>.svg`` and puts in its page what
Material would have put there, a shadow root of ``<div class="mermaid">`` declared in the HTML,
holding the drawing's empty ``<svg>`` element: its viewBox and widths reserve the drawing's exact
box, so nothing moves when the script (docs/assets/javascripts/netdocs.js, 1) fills it with the
drawing as it nears the screen. Inline, the drawings were half the bytes of the diagram-heavy
pages (23 of 47 KB compressed): a phone on a slow network paid a round trip more before the
first paint for drawings far below it. Labels stay SVG text: selectable, and found by the
browser's find (Ctrl+F or Cmd+F fetches every drawing); printing fetches them too.

A diagram without a drawing stays a ``<pre class="mermaid">`` that the browser draws
(``nox -s serve`` while editing one), and the build warns, which fails a strict build.

A diagram's Mermaid source is not in the search index (see ``fence``).
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pymdownx.superfences import fence_code_format

from netdocs.dev import builtsite
from netdocs.paths import ROOT
from netdocs.site import assets
from netdocs.site.publish import write_if_changed

DRAWINGS = ROOT / "diagrams"
# Bump when the way diagrams are drawn changes (netdocs.site.diagramdraw, the Mermaid settings in
# docs/assets/javascripts/netdocs.js): every drawing gets a new key and is drawn again.
RECIPE = "5"
HINT = "run `nox -s diagrams` to draw it"
_BLOCK = re.compile(r'<pre class="mermaid"[^>]*><code>(.*?)</code></pre>', re.DOTALL)
# Mermaid sizes a drawing to its box, never wider than its natural width: `width="100%"` and
# `style="max-width: 1521.5px;"` on the <svg>.
_NATURAL_WIDTH = re.compile(r'(<svg\b[^>]*?style="max-width: ([0-9.]+)px;)')
_SVG_TAG = re.compile(r"<svg\b[^>]*>")
log = logging.getLogger("mkdocs.plugins.netdocs.site.diagrams")


@cache
def _versions() -> str:
    return f"mermaid {assets.locked_version('mermaid')}, mkdocs-material {version('mkdocs-material')}, recipe {RECIPE}"


def key(source: str) -> str:
    """The drawing's name: a hash of the diagram's text, Mermaid's and Material's versions, RECIPE."""
    return hashlib.sha256(f"{_versions()}\n{source}".encode()).hexdigest()[:24]


def drawing_path(source: str, drawings: Path = DRAWINGS) -> Path:
    return drawings / f"{key(source)}.svg"


def fence(source: str, language: str, class_name: str, options: dict, md: object, **kwargs: Any) -> str:
    """The ```mermaid fence (mkdocs.yml, superfences): Material's ``<pre class="mermaid">``,
    marked ``data-search-exclude`` for Material's search plugin.

    The index would hold the diagram's source (``C["client"] --> LB["load balancer"]``), and
    a search for a word in a label showed that source as the page's result. What a diagram
    says, its page says in prose, which stays searchable.
    """
    kwargs["attrs"] = {**kwargs.get("attrs", {}), "data-search-exclude": ""}
    return fence_code_format(source, language, class_name, options, md, **kwargs)


def sources(page_html: str) -> list[str]:
    """The text of every diagram still to be drawn in a page, as Material passes it to Mermaid."""
    return [html.unescape(match) for match in _BLOCK.findall(page_html)]


# The words around a drawing, in the page's language: the button that opens it full screen and
# the hint shown while it is wider than its box (docs/assets/javascripts/netdocs.js).
WORDS = {
    "en": {"open": "Full screen", "hint": "Scroll sideways →"},
    "zh": {"open": "全屏查看", "hint": "左右滑动查看 →"},
}


def frame(drawn: str, lang: str = "en") -> str:
    """A drawn diagram with its bar: the full-screen button (shown once the script can open it)
    and the scroll hint (shown while the diagram scrolls). The bar's height is always kept, so
    neither moves the page when it appears."""
    words = WORDS.get(lang, WORDS["en"])
    return (
        f'<div class="nd-diagram">{drawn}<div class="nd-diagram__bar">'
        '<button type="button" class="nd-diagram__open md-button" aria-haspopup="dialog" hidden>'
        f"{words['open']}</button>"
        f'<span class="nd-diagram__hint">{words["hint"]}</span></div></div>'
    )


def put_drawings(page_html: str, drawings: Path = DRAWINGS, lang: str = "en") -> tuple[str, list[str]]:
    """Replace each diagram that has a drawing by the drawing's place; also return the sources left undrawn.

    The markup is what Material makes of a drawn diagram (a ``div.mermaid`` whose shadow root
    holds the SVG, so page styles do not reach it), except that the shadow root is declared in
    the HTML and holds the drawing's ``<svg>`` element without its content (``placeholder``),
    framed by ``frame`` in the page's language. ``publish`` writes the drawings themselves.
    """
    missing: list[str] = []

    def swap(match: re.Match[str]) -> str:
        source = html.unescape(match.group(1))
        path = drawing_path(source, drawings)
        if not path.is_file():
            missing.append(source)
            return match.group(0)
        drawn = (
            f'<div class="mermaid" data-diagram="{path.stem}"><template shadowrootmode="open">'
            f"{placeholder(path)}</template></div>"
        )
        return frame(drawn, lang)

    return _BLOCK.sub(swap, page_html), missing


def placeholder(drawing: Path) -> str:
    """The drawing's outer ``<svg>`` element, empty: the same box as the drawing at any width."""
    match = _SVG_TAG.search(readable(drawing.read_text(encoding="utf-8")))
    if match is None:
        where = f"{drawing.parent.name}/{drawing.name}"
        raise ValueError(f"{where} has no <svg> element: draw it again with `nox -s diagrams`")
    return match.group(0) + "</svg>"


def publish(site_dir: Path, drawings: Path = DRAWINGS) -> list[Path]:
    """Write every drawing, made ``readable``, to ``assets/diagrams/`` in the built site; unchanged
    files are left alone. ``nox -s diagrams`` keeps exactly the drawings the pages use.
    The pages name them (``builtsite.drawn_keys``); netdocs.js fetches them from there."""
    published = []
    for path in sorted(drawings.glob("*.svg")):
        target = site_dir / builtsite.DRAWINGS_AT / path.name
        write_if_changed(target, readable(path.read_text(encoding="utf-8")).encode("utf-8"))
        published.append(target)
    return published


def readable(svg: str) -> str:
    """Give the drawing a least width, a share of its natural width set by ``--nd-diagram-floor``.

    Scaled to the page's column, a 1,500 px diagram would shrink its 16 px labels to 7 px on a
    desktop and 4 px on a phone. The site's CSS sets the variable (docs/assets/netdocs.css), so
    a diagram keeps readable labels and scrolls sideways instead, with a hint that it does and
    a button that opens it full screen. Custom properties inherit into the shadow root, where
    page styles cannot reach the <svg>.
    """
    return _NATURAL_WIDTH.sub(r"\1 min-width: calc(var(--nd-diagram-floor, 0) * \2px);", svg, count=1)


def fence_line(markdown: str, source: str) -> int | None:
    """The 1-based line of the ```mermaid fence whose body is ``source``, if the page has it verbatim."""
    at = markdown.find(source.strip("\n"))
    if at < 0:
        return None
    return markdown.count("\n", 0, at)  # the fence is the line before the body


def report_missing(page_path: str, markdown: str, missing: list[str], serving: bool = False) -> None:
    """One line per undrawn diagram, naming the file and line of its fence.

    A warning, which fails a strict build; under `mkdocs serve` (strict too) only a note, so
    the server keeps running and the browser draws the diagram while it is being edited.
    """
    level = logging.INFO if serving else logging.WARNING
    for source in missing:
        line = fence_line(markdown, source)
        where = f"{page_path}:{line}" if line else page_path
        log.log(level, "%s: this Mermaid diagram has no drawing in diagrams/: %s", where, HINT)
