"""Material's palette switch rule, moved off page loads onto netdocs.js's attribute (netdocs/site/palette.py)."""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from netdocs.dev import builtsite
from netdocs.site import palette

SHIPPED = sorted((Path(material.__file__).parent / "templates" / palette.STYLESHEETS).glob("palette.*.min.css"))


@pytest.fixture(scope="module")
def shipped() -> str:
    """The palette stylesheet as the pinned mkdocs-material ships it."""
    assert len(SHIPPED) == 1, SHIPPED
    return SHIPPED[0].read_text(encoding="utf-8")


def test_the_switching_rule_moves_to_netdocs_attribute_and_nothing_else_changes(shipped: str) -> None:
    fixed = palette.fix(shipped)
    assert palette.MATERIALS not in fixed
    assert f"{palette.OURS} *," in fixed
    assert len(fixed) == len(shipped), "same length, so the stylesheet's source map stays right"
    assert fixed.replace(palette.OURS, palette.MATERIALS) == shipped


def test_a_fixed_stylesheet_stays_as_it_is(shipped: str) -> None:
    """A rebuild that did not copy the stylesheet again finds it fixed."""
    fixed = palette.fix(shipped)
    assert palette.fix(fixed) == fixed


@pytest.mark.parametrize(
    "css",
    [
        "body{color:red}",  # the rule is gone
        "[data-md-color-switching] *{transition-duration:0s!important}",  # one selector of three
    ],
)
def test_a_changed_stylesheet_fails_the_build_with_what_to_check(css: str) -> None:
    with pytest.raises(palette.PaletteChanged, match=r"data-md-color-switching.*netdocs/site/palette\.py.*netdocs\.js"):
        palette.fix(css)


def test_the_built_site_keeps_material_attribute_out_of_its_stylesheets(site: builtsite.Site) -> None:
    """Material sets data-md-color-switching at every page load; no rule may depend on it."""
    for sheet in (site.root / palette.STYLESHEETS).glob("*.css"):
        assert palette.MATERIALS not in sheet.read_text(encoding="utf-8"), sheet
    for sheet in (site.root / "assets").glob("*.css"):
        assert palette.MATERIALS not in sheet.read_text(encoding="utf-8"), sheet
