"""One search index per language, so each language's pages search only their own language.

mkdocs-static-i18n merges every language into one ``search/search_index.json``: a Chinese
reader searching 负载均衡 would get English pages mixed in, titles twice, and every page
would download and index both languages. After the build we split the merged index by
language root (``zh/...`` -> ``zh/search/search_index.json``, locations made relative to
that root) and point each page's Material config (``"base"``) at its language root, which
is where Material looks for the index and resolves result links.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

INDEX = Path("search/search_index.json")
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)


def language_of(location: str, languages: list[str], default: str) -> str:
    """The language root a search location lives under."""
    return next((lang for lang in languages if lang != default and location.startswith(f"{lang}/")), default)


def split(site: Path, languages: list[str], default: str) -> dict[str, int]:
    """Write one index per language from the merged one; returns the entries per language."""
    merged = json.loads((site / INDEX).read_text(encoding="utf-8"))
    docs: dict[str, list[dict[str, object]]] = {lang: [] for lang in languages}
    for doc in merged["docs"]:
        lang = language_of(doc["location"], languages, default)
        location = doc["location"] if lang == default else doc["location"].removeprefix(f"{lang}/")
        docs[lang].append({**doc, "location": location})
    for lang, entries in docs.items():
        target = site / ("" if lang == default else lang) / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        data = {**merged, "docs": entries}
        target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {lang: len(entries) for lang, entries in docs.items()}


def rebase(html: str, lang: str) -> str:
    """Point the page's Material config at its language root (``base`` + ``/zh/``)."""
    match = _CONFIG.search(html)
    if match is None:
        return html
    config = json.loads(match.group(2))
    config["base"] = config["base"].rstrip("/") + f"/{lang}/"  # a directory, so URLs resolve inside it
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return html[: match.start(2)] + text + html[match.end(2) :]
