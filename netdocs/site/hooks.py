"""MkDocs hooks: publish snippets, per-example bundles and vendored front-end assets; Chinese
pages without stray spaces and with their English twin's heading ids (netdocs.site.cjk).

mkdocs-static-i18n builds the site once per language into the same ``site_dir`` and runs
these hooks each time; files are published once, in the default language's pass.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from netdocs.site import assets, cjk, diagrams, firstpaint, palette, publish, sitecache
from netdocs.site.search import searchdict, searchindex, searchworker

NOT_FOUND = "404.html"
_command = {"name": "build"}
# The English pages' headings by source file (the default language is built first), and the
# extension that gives a Chinese page's headings the same ids.
_twin_headings: dict[str, list[cjk.Heading]] = {}
_twin_ids = cjk.TwinIds()
log = logging.getLogger("mkdocs.plugins.netdocs.site.hooks")
HAN_RUNS = sitecache.Store("han-runs-1")  # each language's Chinese runs, by a hash of its pages


def on_startup(command: str, **_: Any) -> None:
    """Remember whether this is `mkdocs serve`, where an undrawn diagram must not stop the server."""
    _command["name"] = command


def _i18n_languages(config: Any) -> tuple[str | None, str | None]:
    """(language being built, default language) from the i18n plugin; (None, None) without it."""
    plugin = config["plugins"].get("i18n")
    return getattr(plugin, "current_language", None), getattr(plugin, "default_language", None)


def _default_pass(config: Any) -> bool:
    """True in the default language's pass (the i18n plugin sets its language after our on_config)."""
    current, default = _i18n_languages(config)
    return current is None or current == default


def on_config(config: Any, **_: Any) -> Any:
    """Fail early without the npm assets, and render the 404 page only in the default language.

    The 404 page is bilingual (overrides/404.html); the other language's pass would overwrite
    it with that language's chrome and the last page's language links.
    """
    try:
        assets.check_installed()
    except assets.AssetsMissing as exc:
        raise PluginError(str(exc)) from None
    templates = config["theme"].static_templates
    if _default_pass(config):
        templates.add(NOT_FOUND)
    else:
        templates.discard(NOT_FOUND)
    if _twin_ids not in config["markdown_extensions"]:  # on_config runs once per language
        config["markdown_extensions"].append(_twin_ids)
    return config


def _twin_key(page: Any, language: str | None) -> str:
    """``dns/index.md`` for both ``dns/index.md`` and ``dns/index.zh.md``."""
    uri = page.file.src_uri
    return uri.removesuffix(f".{language}.md") + ".md" if language and uri.endswith(f".{language}.md") else uri


def on_page_markdown(markdown: str, page: Any, config: Any, **_: Any) -> str:
    """Chinese pages: no line breaks between Chinese characters, and the English twin's heading ids."""
    current, default = _i18n_languages(config)
    if current is None or current == default:
        _twin_ids.ids = None
        return markdown
    _twin_ids.ids = _twin_headings.get(_twin_key(page, current))
    return cjk.join_lines(markdown) if current == "zh" else markdown


def on_page_content(html: str, page: Any, config: Any, **_: Any) -> str:
    """Remember an English page's headings; name the heading where a translation's structure differs."""
    current, default = _i18n_languages(config)
    if current is None or current == default:
        _twin_headings[_twin_key(page, current)] = cjk.headings(page.toc)
    elif _twin_ids.ids is not None:
        for text, problem in _twin_ids.mismatches:
            line = cjk.heading_line(page.file.content_string, text) if text else None
            where = f"docs/{page.file.src_uri}" + (f":{line}" if line else "")
            log.warning(
                "%s: %s; keep the same headings, in the same order and levels, as docs/%s, "
                "so each section has the same id in both languages",
                where,
                problem,
                _twin_key(page, current),
            )
    _twin_ids.ids = None
    return html


def on_env(env: Any, config: Any, files: Any, **_: Any) -> Any:
    """Before pages are indexed: give jieba only the words this build's Chinese text can contain
    (the Chinese runs of the same pages are kept on disk: finding them reads every page)."""
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    texts = [*(p.content or "" for p in pages), *(p.title or "" for p in pages)]
    key = sitecache.key(*texts)
    if (runs := HAN_RUNS.get(key)) is None:
        runs = sorted(searchdict.han_runs(texts))
        HAN_RUNS.put(key, runs)
    if runs:
        try:
            searchdict.use_for(set(runs))
        except searchdict.WordListInvalid as exc:
            raise PluginError(str(exc)) from None
    return env


def on_post_page(output: str, page: Any, config: Any, **_: Any) -> str:
    """Diagrams become their drawings (after search indexing, which keeps the diagram's text);
    pages of other languages search their own language's index (see netdocs.site.search.searchindex)."""
    current, default = _i18n_languages(config)
    try:
        output, missing = diagrams.put_drawings(output, lang=current or "en")
        output = firstpaint.hide_annotation_lists(firstpaint.defer_bundle(output))
    except (ValueError, firstpaint.BundleTagChanged) as exc:  # a broken drawing in diagrams/, a new Material
        raise PluginError(str(exc)) from None
    if missing:
        serving = _command["name"] == "serve"
        diagrams.report_missing(f"docs/{page.file.src_uri}", page.file.content_string, missing, serving)
    if current is None or current == default:
        return output
    return searchindex.rebase(output, current)


def on_post_template(output_content: str, template_name: str, **_: Any) -> str:
    """The 404 page (a template, not a page) defers Material's bundle too, after netdocs.js."""
    try:
        return firstpaint.defer_bundle(output_content) if template_name == NOT_FOUND else output_content
    except firstpaint.BundleTagChanged as exc:
        raise PluginError(str(exc)) from None


# After mkdocs-static-i18n (-100), which builds the other languages and writes the merged
# search index from its own on_post_build.
@event_priority(-200)
def on_post_build(config: Any, **_: Any) -> None:
    """Publish snippets, one archive per example, the vendored files and the drawings; split the search index,
    fix how its worker cuts Chinese queries into words, and keep the palette switch's rule off page loads."""
    if not sitecache.last_pass(config):  # inside the i18n plugin's build of another language
        return
    plugin = config["plugins"].get("i18n")
    HAN_RUNS.save()
    site = Path(config["site_dir"])
    publish.publish(site)
    assets.publish(site)
    diagrams.publish(site)
    try:
        searchworker.fix_published(site)
        palette.fix_published(site)
    except (searchworker.WorkerChanged, palette.PaletteChanged) as exc:
        raise PluginError(str(exc)) from None
    if plugin is not None and (site / searchindex.INDEX).is_file():
        searchindex.split(site, list(plugin.build_languages), plugin.default_language)
