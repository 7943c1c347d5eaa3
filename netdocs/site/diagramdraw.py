"""``nox -s diagrams``: draw each Mermaid diagram that has no drawing yet; drop drawings no page uses.

The drawings are Material for MkDocs' own: the site is built (a diagram without a drawing
stays ``<pre class="mermaid">``), served on loopback, and each page with such a diagram is
opened in headless Chromium, where Material draws it with the site's Mermaid, settings and
theme (colours are CSS variables, so one drawing serves light and dark mode). The SVG that
Mermaid returns is kept in ``diagrams/`` with its element id replaced by the drawing's key.
Text is measured with this machine's fonts; labels have room to spare in narrower ones.
A sequence diagram whose text runs out of its note or box, or has a word Mermaid cut with a
hyphen, is not kept: the command fails naming the fence (file:line) and the line.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit

from netdocs.dev import builtsite
from netdocs.dev.browser import ChromiumMissing, launch
from netdocs.dev.localsite import serve
from netdocs.paths import DOCS, display
from netdocs.site import diagrams

TIMEOUT_MS = 60_000
# Wraps the render() of the site's stand-in `mermaid` (docs/assets/javascripts/netdocs.js)
# as the page defines it, to keep what Material asks for and what Mermaid returns.
CAPTURE = """
(() => {
  window.__drawings = [];
  let current;
  Object.defineProperty(window, "mermaid", {
    configurable: true,
    get: () => current,
    set(value) {
      const render = value.render.bind(value);
      value.render = async (id, text, container) => {
        try {
          const result = await render(id, text, container);
          window.__drawings.push({ id, text, svg: result.svg });
          return result;
        } catch (error) {
          window.__drawings.push({ id, text, error: String(error && error.message || error) });
          throw error;
        }
      };
      current = value;
    },
  });
})();
"""
# Diagrams out of sight wait for the reader; "beforeprint" draws them all (netdocs.js).
ALL_DRAWN = """n => {
  window.dispatchEvent(new Event("beforeprint"));
  return window.__drawings.length >= n;
}"""

# A drawing is static and lives in a shadow root, where a rule that matches nothing there
# never applies: only rules that match (and at-rules, :host rules and rules for states such
# as :hover) are kept. Mermaid's stylesheet was half of a drawing's bytes and mostly unused.
# Proof, not hope: every element's computed style must be the same with the kept rules.
PRUNE_STYLE = """svg => {
  const shadow = (markup) => {
    const host = document.createElement("div");
    document.body.append(host);
    const root = host.attachShadow({ mode: "open" });
    root.innerHTML = markup;
    return root;
  };
  const full = shadow(svg);
  const dynamic = /:(hover|focus|focus-visible|focus-within|active|visited|target|before|after)\\b|::|:host/;
  const used = (rule) => {
    if (!(rule instanceof CSSStyleRule) || dynamic.test(rule.selectorText)) return true;
    try {
      return full.querySelector(rule.selectorText) !== null;
    } catch {
      return true;
    }
  };
  const style = [...full.querySelector("style").sheet.cssRules].filter(used).map((r) => r.cssText).join("");
  const pruned = shadow(svg);
  pruned.querySelector("style").textContent = style;
  const before = full.querySelectorAll("*");
  const after = pruned.querySelectorAll("*");
  const changed = [];
  before.forEach((element, n) => {
    const [a, b] = [getComputedStyle(element), getComputedStyle(after[n])];
    for (const name of a) {
      if (a.getPropertyValue(name) !== b.getPropertyValue(name)) changed.push(`<${element.localName}> ${name}`);
    }
  });
  full.host.remove();
  pruned.host.remove();
  return { style, changed };
}"""
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)

# Each line of text in a sequence diagram as drawn, with how far it runs past the box it sits in
# (a note or a participant; 0 for a message, which has none). Mermaid wraps a label at spaces,
# cuts a longer word with a hyphen, and leaves a label with <br/> as written, past its box.
MEASURE = """svg => {
  const host = document.createElement("div");
  document.body.append(host);
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = svg;
  const lines = [];
  if (root.querySelector("svg").getAttribute("aria-roledescription") === "sequence") {
    for (const text of root.querySelectorAll("text")) {
      const box = text.parentElement.querySelector(":scope > rect");
      const [t, b] = [text.getBBox(), box && box.getBBox()];
      const spill = box && /noteText|actor/.test(text.getAttribute("class")) ?
        Math.max(b.x - t.x, t.x + t.width - b.x - b.width) : 0;
      lines.push({ text: text.textContent, spill });
    }
  }
  host.remove();
  return lines;
}"""


class DrawingFailed(Exception):
    """Mermaid could not draw a diagram, or drew it unreadably; the message names the page and the error."""


@dataclass(frozen=True)
class Drawing:
    source: str
    svg: str


@dataclass(frozen=True)
class Line:
    """A line of text in a drawn sequence diagram; ``spill``: px past the edge of its box."""

    text: str
    spill: float


def layout_problems(lines: list[Line], source: str) -> list[str]:
    """What a reader would trip over: a line out of its box, a word Mermaid cut with a hyphen."""
    problems = []
    for line in lines:
        if line.spill > 1:
            problems.append(
                f"{line.text!r} runs {line.spill:.0f} px past its box: Mermaid leaves a label with <br/> "
                "as written, so drop the <br/> (it then wraps) or shorten the line"
            )
        cut = line.text.rstrip()
        if cut.endswith("-") and not re.search(re.escape(cut) + r"(\s|<br|$)", source, re.MULTILINE):
            problems.append(
                f"{cut!r}: Mermaid cut a word too long for its space with a hyphen; shorten it, add a "
                "space (Chinese wraps only at spaces) or give it room (a note over two participants)"
            )
    return problems


def fence_of(source: str) -> str:
    """Where a diagram is written, as file:line, to name in an error."""
    for path in sorted(DOCS.rglob("*.md")):
        line = diagrams.fence_line(path.read_text(encoding="utf-8"), source)
        if line:
            return f"{display(path)}:{line}"
    return "a diagram"


_GEOMETRY = re.compile(r'\b(d|points|transform|viewBox)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(?<![\d.])-?\d+\.\d{3,}")  # not the tail of ".25.253"


def _hundredths(match: re.Match[str]) -> str:
    return f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")


def compact(svg: str) -> str:
    """Coordinates to 1/100 px: Mermaid writes up to 16 decimals, which made drawings twice as big."""
    return _GEOMETRY.sub(lambda m: f'{m.group(1)}="{_LONG_DECIMAL.sub(_hundredths, m.group(2))}"', svg)


def restyle(svg: str, css: str) -> str:
    """The SVG with its stylesheet replaced by ``css``, escaped as SVG text inside HTML needs."""
    return _STYLE.sub(lambda _: f"<style>{html.escape(css, quote=False)}</style>", svg, count=1)


def own_ids(svg: str, element_id: str, key: str) -> str:
    """The SVG with Material's per-page element id (``__mermaid_3``) replaced by ``nd-<key>``."""
    return re.sub(re.escape(element_id) + r"(?![0-9])", f"nd-{key}", svg)


def draw_page(page, url: str, wanted: list[str]) -> list[Drawing]:  # type: ignore[no-untyped-def]
    """Open one page, let Material draw its undrawn diagrams, and return them."""
    from playwright.sync_api import TimeoutError as Timeout

    page.goto(url, wait_until="load")
    try:
        page.wait_for_function(ALL_DRAWN, arg=len(wanted), timeout=TIMEOUT_MS, polling=100)
    except Timeout:
        done = page.evaluate("window.__drawings.length")
        raise DrawingFailed(f"{url}: {done} of {len(wanted)} diagrams drawn in {TIMEOUT_MS // 1000} s") from None
    drawn = []
    for item in page.evaluate("window.__drawings"):
        if "error" in item:
            raise DrawingFailed(f"{url}: Mermaid could not draw a diagram: {item['error']}")
        if item["text"] not in wanted:
            raise DrawingFailed(f"{url}: Material drew a diagram the page's HTML does not hold")
        key = diagrams.key(item["text"])
        svg = own_ids(item["svg"], item["id"], key)
        style, changed = page.evaluate(PRUNE_STYLE, svg).values()
        if changed:
            raise DrawingFailed(f"{url}: pruning Mermaid's stylesheet would change {', '.join(changed[:5])}")
        problems = layout_problems([Line(**line) for line in page.evaluate(MEASURE, svg)], item["text"])
        if problems:
            raise DrawingFailed(f"{fence_of(item['text'])}: " + "; ".join(problems))
        drawn.append(Drawing(item["text"], compact(restyle(svg, style))))
    return drawn


def draw(site: builtsite.Site) -> list[Drawing]:
    """Every undrawn diagram of a built site, drawn in headless Chromium."""
    todo = {page: diagrams.sources(page.html) for page in site.pages}
    todo = {page: sources for page, sources in todo.items() if sources}
    if not todo:
        return []
    from playwright.sync_api import sync_playwright  # only this command and the browser tests need it

    drawings: list[Drawing] = []
    with sync_playwright() as playwright, serve(site.root, urlsplit(site.url).path) as base:
        browser = launch(playwright)
        context = browser.new_context()
        context.add_init_script(CAPTURE)
        for page_info, sources in todo.items():
            page = context.new_page()
            drawings += draw_page(page, base + page_info.url, sources)
            page.close()
        browser.close()
    return drawings


def save(drawings: list[Drawing], used: set[str], folder: Path = diagrams.DRAWINGS) -> tuple[int, list[Path]]:
    """Write new drawings and delete those whose key no page uses; returns (written, deleted)."""
    folder.mkdir(exist_ok=True)
    written = 0
    for drawing in drawings:
        path = diagrams.drawing_path(drawing.source, folder)
        if not path.is_file():
            path.write_text(drawing.svg + "\n", encoding="utf-8")
            written += 1
    keep = used | {diagrams.key(d.source) for d in drawings}
    unused = [path for path in sorted(folder.glob("*.svg")) if path.stem not in keep]
    for path in unused:
        path.unlink()
    return written, unused


def main() -> int:
    with TemporaryDirectory(prefix="netdocs-diagrams-") as scratch:
        try:
            site = builtsite.load(builtsite.build(Path(scratch) / "site", strict=False))
            drawings = draw(site)
        except (builtsite.BuildFailed, ChromiumMissing, DrawingFailed) as exc:
            print(exc, file=sys.stderr)
            return 1
        used = {key for page in site.pages for key in builtsite.drawn_keys(page.html)}
    written, deleted = save(drawings, used)
    where = display(diagrams.DRAWINGS)
    print(f"{where}: {written} new drawing(s), {len(used)} unchanged, {len(deleted)} unused deleted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
