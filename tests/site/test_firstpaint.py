"""What the first paint must not wait for, or show and take back (netdocs/site/firstpaint.py)."""

from __future__ import annotations

import re

import pytest

from netdocs.dev import builtsite
from netdocs.site import firstpaint

BUNDLE = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
ANNOTATED = (
    '<div class="highlight" data-copy="x"><pre><code><span class="nt">kind</span>'
    '<span class="p">:</span> Ingress  <span class="c1"># (1)!</span></code></pre></div>'
)
PLAIN = '<div class="highlight"><pre><code><span class="c1"># step 1</span></code></pre></div>'


def test_materials_bundle_is_deferred() -> None:
    page = f"<body><p>text</p>{BUNDLE}</body>"
    assert firstpaint.defer_bundle(page) == (
        '<body><p>text</p><script src="../assets/javascripts/bundle.a5f9d56c.min.js" defer></script></body>'
    )


@pytest.mark.parametrize("page", ["<body></body>", f"<body>{BUNDLE}{BUNDLE}</body>"])
def test_a_page_without_exactly_one_bundle_tag_says_materials_template_changed(page: str) -> None:
    with pytest.raises(
        firstpaint.BundleTagChanged, match=r"Material's base.html changed; update netdocs/site/firstpaint.py"
    ):
        firstpaint.defer_bundle(page)


def test_the_list_after_an_annotated_block_is_hidden_from_the_start() -> None:
    page = f"{ANNOTATED}\n<p></p>\n<ol>\n<li>The class.</li></ol>"
    assert (
        firstpaint.hide_annotation_lists(page)
        == f'{ANNOTATED}\n<p></p>\n<ol class="nd-annotations">\n<li>The class.</li></ol>'
    )


def test_other_lists_stay_as_they_are() -> None:
    """A list after a block without markers, a list after text, and a list after a paragraph."""
    page = f"{PLAIN}\n<ol><li>a</li></ol><p>x</p><ol><li>b</li></ol>{ANNOTATED}<p>then</p><ol><li>c</li></ol>"
    assert firstpaint.hide_annotation_lists(page) == page


def test_every_built_page_runs_netdocs_js_then_the_bundle_after_parsing(site: builtsite.Site) -> None:
    """netdocs.js must run before Material's bundle (it defines `mermaid` and holds the search index)."""
    scripts = re.compile(r'<script src="[^"]*/(netdocs\.js|bundle\.[0-9a-f]+\.min\.js)"( defer)?></script>')
    for path in [*(page.file for page in site.pages), site.root / "404.html"]:
        found = scripts.findall(path.read_text(encoding="utf-8"))
        assert [name.split(".")[0] for name, _ in found] == ["netdocs", "bundle"], path
        assert all(deferred for _, deferred in found), f"{path}: {found}"


def test_built_pages_hide_the_annotation_lists_material_will_mount(site: builtsite.Site) -> None:
    """As many hidden lists as annotated blocks (markers such as `# (1)!`, which Material strips)."""
    for page in site.pages:
        markers = len(re.findall(r"# \(1\)!?<", page.html))
        assert page.html.count('<ol class="nd-annotations">') == markers, f"/{page.url}"


def test_every_built_page_gives_html_the_bundles_classes_before_any_stylesheet(site: builtsite.Site) -> None:
    """Given by Material's bundle after the first paint, each class restyled the whole page
    (overrides/main.html); given before the stylesheets, the first paint already has them."""
    swap = 'classList.replace("no-js","js"),document.documentElement.classList.add("js-focus-visible")'
    for path in [*(page.file for page in site.pages), site.root / "404.html"]:
        html = path.read_text(encoding="utf-8")
        assert re.search(r'<html lang="\w+" class="no-js">', html), f"{path}: Material's <html> tag changed"
        assert -1 < html.find(swap) < html.find('<link rel="stylesheet"'), f"{path}: the classes come after the CSS"
