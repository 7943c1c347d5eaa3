"""Highlighted code kept on disk (an MkDocs hook): Pygments runs once per distinct block.

Every page shows its manifests and commands as highlighted code, and both languages show the
same blocks: highlighting them was the largest part of the build that a site without
snippets does not have, for output that changes only with the block's text, the lexer and the
formatter's options. pymdownx.highlight hands each block to ``pygments.highlight(src, lexer,
formatter)``; this hook puts a cache in front of that call, keyed by a hash of all three (and
the Pygments and pymdownx versions), read once per build and written back with exactly the
blocks the build used (netdocs.site.sitecache.Store). A cached block needs no Pygments lexer
or formatter (making the first lexer of a language imports it and compiles its expressions,
making a formatter builds its whole style sheet): pymdownx gets records of their classes and
options (``Deferred``), made into the real ones only for a block not on disk.

Pygments wraps every run of whitespace in ``<span class="w">``, which no style colours: a
quarter of a page's code elements. They are left out (their text stays), so pages have fewer
elements to parse, style and lay out.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import cache, partial
from importlib.metadata import version
from typing import Any

import pygments
import pymdownx.highlight
from mkdocs.plugins import event_priority
from pygments.lexers import get_lexer_by_name
from pygments.lexers._mapping import LEXERS

from netdocs.site import sitecache

STORE = sitecache.Store(
    f"highlighted-2-pygments-{version('pygments')}-pymdown-extensions-{version('pymdown-extensions')}"
)
_WHITESPACE = re.compile(r'<span class="w">([^<]*)</span>')


class Deferred:
    """A Pygments lexer or formatter known by its class's name and its options, made only to
    highlight a block that is not on disk."""

    def __init__(self, class_name: str, make: Callable[..., Any], options: dict[str, Any], **shown: Any) -> None:
        self.class_name, self._make, self.options = class_name, make, options
        vars(self).update(shown)  # what pymdownx reads of a lexer: name, aliases

    def make(self) -> Any:
        return self._make(**self.options)


def _made(part: Any) -> Any:
    return part.make() if isinstance(part, Deferred) else part


def _class_name(part: Any) -> str:
    return part.class_name if isinstance(part, Deferred) else type(part).__name__


def _formatter(cls: type, **options: Any) -> Deferred:
    return Deferred(cls.__name__, cls, options)


def _original(name: str) -> type:
    """pymdownx's formatter class ``name``, also once a build (this hook loads again per build) replaced it."""
    current = getattr(pymdownx.highlight, name)
    return current.args[0] if isinstance(current, partial) else current


_FORMATTERS = {name: _original(name) for name in ("BlockHtmlFormatter", "InlineHtmlFormatter")}


@cache
def _builtin_lexer(alias: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(class name, name, aliases) of Pygments' built-in lexer for ``alias``, from its table (no import)."""
    wanted = alias.lower()
    return next(((cls, name, aliases) for cls, (_, name, aliases, _, _) in LEXERS.items() if wanted in aliases), None)


def lexer_by_name(alias: str, **options: Any) -> Any:
    """``pygments.lexers.get_lexer_by_name``, made only when a block needs highlighting."""
    found = _builtin_lexer(alias) if alias else None
    if found is None:
        return get_lexer_by_name(alias, **options)  # a plugin's lexer, or Pygments' own error
    class_name, name, aliases = found
    return Deferred(class_name, partial(get_lexer_by_name, alias), options, name=name, aliases=aliases)


def _key(src: str, lexer: Any, formatter: Any) -> str:
    options = [_class_name(lexer), sorted(lexer.options.items()), _class_name(formatter)]
    options.append(sorted((k, repr(v)) for k, v in formatter.options.items()))
    return hashlib.sha256(json.dumps([src, options], default=repr).encode()).hexdigest()


def highlight(src: str, lexer: Any, formatter: Any, outfile: Any = None) -> str:
    """``pygments.highlight`` for a string result, answered from the cache when it holds the block."""
    if outfile is not None:  # pragma: no cover - pymdownx always asks for a string
        return pygments.highlight(src, lexer, formatter, outfile)
    key = _key(src, lexer, formatter)
    if (html := STORE.get(key)) is None:
        html = _WHITESPACE.sub(r"\1", pygments.highlight(src, _made(lexer), _made(formatter)))
        STORE.put(key, html)
    return html


def on_config(config: Any, **_: Any) -> Any:
    """Put the cache in front of pymdownx's highlighting."""
    pymdownx.highlight.highlight = highlight
    pymdownx.highlight.get_lexer_by_name = lexer_by_name
    for name, cls in _FORMATTERS.items():
        setattr(pymdownx.highlight, name, partial(_formatter, cls))
    return config


@event_priority(-200)  # after the i18n plugin's, which builds the other languages
def on_post_build(config: Any, **_: Any) -> None:
    """Write the blocks this process used (both languages, each build of a serve session) when
    they are not what the disk holds: a block no page shows any more is dropped."""
    if sitecache.last_pass(config):
        STORE.save()
