"""Material's colour-palette switch without two whole-page restyles on every page load.

Material's palette component (mkdocs-material 9.x) runs at every page load, not only when the
reader switches colours: it puts ``data-md-color-switching`` on <body>, reads the header's
computed style, and takes the attribute off again a moment later. Its palette stylesheet has one
rule on that attribute, ``[data-md-color-switching] *`` (no transitions while colours change),
so each of the two attribute changes restyles the whole document, on a page whose colours do
not change at all. On /zh/ingress/ at 4x CPU slowdown, the style work in Material's start-up
task fell from 186-217 ms to 87-119 ms with this fix and the <html> classes given early
(overrides/main.html), and the removal's own task of 60-93 ms is gone.

After the build this module renames the attribute in that rule to ``data-nd-color-switching``,
which netdocs.js (7) puts on <body> only when the reader switches the palette, before Material
handles the switch, and takes off once the new colours are drawn: switching stays free of
transitions, as Material intends, and loading a page no longer pays for it. The name has the
same length, so the stylesheet's source map stays right; the file keeps its name. A Material
release without that rule fails the build with a message saying what to check.
"""

from __future__ import annotations

from pathlib import Path

from netdocs.site import materialfiles

STYLESHEETS = Path("assets/stylesheets")
MATERIALS = "[data-md-color-switching]"
OURS = "[data-nd-color-switching]"
# `[data-md-color-switching] *`, `... :after`, `... :before`: one rule, three selectors.
SELECTORS = 3


class PaletteChanged(Exception):
    """Material's palette stylesheet no longer has the rule this module renames."""


def fix(css: str) -> str:
    """The palette stylesheet with the switching rule on netdocs.js's attribute; unchanged if already fixed."""
    if css.count(OURS) == SELECTORS and MATERIALS not in css:
        return css
    if css.count(MATERIALS) != SELECTORS or OURS in css:
        raise PaletteChanged(
            f"Material's palette stylesheet no longer has the rule {MATERIALS} * (found {css.count(MATERIALS)} "
            f"of its {SELECTORS} selectors): check when the new Material release sets data-md-color-switching "
            "(a whole-page restyle at every page load?), then update or remove netdocs/site/palette.py "
            "and section 7 of netdocs.js"
        )
    return css.replace(MATERIALS, OURS)


def fix_published(site: Path) -> Path:
    """Fix the palette stylesheet the build published in ``site``; returns its path."""
    return materialfiles.fix_published(site / STYLESHEETS, "palette.*.min.css", fix, PaletteChanged)
