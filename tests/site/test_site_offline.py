"""The built site fetches nothing from third-party hosts: readers behind networks that block
public CDNs and Google Fonts get every font, script, stylesheet and diagram from the site.
The browser tests prove it at run time; these checks read every file of the build."""

from __future__ import annotations

import re
from pathlib import Path

from netdocs.dev import builtsite
from netdocs.site import assets

# Hosts that serve fonts and libraries to other sites. None may appear in what the site
# loads, except Material's guarded fallbacks below.
CDN = re.compile(
    r"https?://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com"
    r"|ajax\.googleapis\.com|code\.jquery\.com|use\.fontawesome\.com|api\.github\.com|polyfill\.io)[^\s\"'`)]*"
)
# Material's bundle names three URLs it only loads when a guard fails; each guard is checked below.
GUARDED = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "only when no global `mermaid` exists",
    "https://unpkg.com/resize-observer-polyfill": "only in browsers without ResizeObserver",
    "https://api.github.com/": "only for elements with data-md-component=source",
}


def files(site: builtsite.Site, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.root.rglob("*") if p.suffix in suffixes and p.is_file())


def test_pages_fetch_nothing_from_other_hosts(site: builtsite.Site) -> None:
    pages = files(site, ".html")
    assert len(pages) > len(site.pages), "the 404 page and every sitemap page"
    bad = [
        f"{page.relative_to(site.root)}: <{tag}> {url}"
        for page in pages
        for tag, url in builtsite.resources(page.read_text(encoding="utf-8"))
        if builtsite.is_external(url)
    ]
    assert bad == []


def test_stylesheets_fetch_nothing_from_other_hosts(site: builtsite.Site) -> None:
    bad = [
        f"{css.relative_to(site.root)}: {url}"
        for css in files(site, ".css")
        for url in builtsite.css_resources(css.read_text(encoding="utf-8"))
        if builtsite.is_external(url)
    ]
    assert bad == []


def test_scripts_name_no_cdn_but_materials_guarded_fallbacks(site: builtsite.Site) -> None:
    found = {
        (js.relative_to(site.root).as_posix(), url)
        for js in files(site, ".js", ".mjs")
        for url in CDN.findall(js.read_text(encoding="utf-8", errors="replace"))
    }
    unguarded = sorted((path, url) for path, url in found if not any(url.startswith(prefix) for prefix in GUARDED))
    assert unguarded == []
    assert all(path.startswith("assets/javascripts/bundle.") for path, _ in found), found


def test_guards_hold_on_every_page(site: builtsite.Site) -> None:
    """The global `mermaid` is defined everywhere; the repository link fetches no GitHub API."""
    missing_loader, source_component = [], []
    for page in files(site, ".html"):
        text = page.read_text(encoding="utf-8")
        if not any(url.endswith("assets/javascripts/netdocs.js") for _, url in builtsite.resources(text)):
            missing_loader.append(page.relative_to(site.root).as_posix())
        if 'data-md-component="source"' in text:
            source_component.append(page.relative_to(site.root).as_posix())
    assert missing_loader == []
    assert source_component == []


def test_no_web_fonts(site: builtsite.Site) -> None:
    """theme.font is false: system font stacks, nothing to download (see docs/assets/netdocs.css)."""
    fonts = files(site, ".woff", ".woff2", ".ttf", ".otf", ".eot")
    assert fonts == []
    css = (site.root / "assets" / "netdocs.css").read_text(encoding="utf-8")
    assert "--md-text-font:" in css
    assert "PingFang SC" in css, "the text stack names Chinese system fonts"


def test_mermaid_is_served_from_the_site(site: builtsite.Site) -> None:
    """The loader's module and every chunk it imports exist in the build, at the locked version."""
    target = site.root / assets.MERMAID.target
    entry = target / "mermaid.esm.min.mjs"
    assert entry.is_file()
    imports = re.findall(r"""from\s*["'](\./[^"']+)["']|import\s*\(\s*["'](\./[^"']+)["']""", entry.read_text())
    relative = [a or b for a, b in imports]
    assert relative, "the ESM entry imports its chunks"
    assert [r for r in relative if not (entry.parent / r).is_file()] == []
    assert assets.installed_version("mermaid") == assets.locked_version("mermaid")
    loader = (site.root / "assets" / "javascripts" / "netdocs.js").read_text(encoding="utf-8")
    assert "../vendor/mermaid/mermaid.esm.min.mjs" in loader
