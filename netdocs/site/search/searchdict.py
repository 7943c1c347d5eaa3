"""Chinese search segmentation without loading jieba's whole dictionary.

Material's search plugin segments Chinese text with jieba at build time. jieba's default
dictionary has 350,000 words and costs about a second to load on every build, although a
site's Chinese text can only ever match the few thousand of them that occur in it. Before
pages are indexed we give jieba a dictionary of exactly those words, so the segmentation
is the same and loading it is instant:

- jieba's segmentation of a text looks up only substrings of that text (the words it may
  contain and, to stop early, their prefixes), so the dictionary keeps every word that is
  a substring of the text's Han runs; the prefixes of those words are rebuilt by jieba.
- Scores compare paths by ``log(freq) - log(total)`` per word, so ``total`` must not
  change: one filler entry that no text can contain carries the dropped frequencies.

The site's own terms that jieba's general dictionary rates too rare to cut out whole (后端,
字段; see searchwords.zh.txt) are added as ``jieba.add_word`` would add them.

tests/site/test_site_search.py segments every Chinese run of the built index with the full
dictionary plus those words and checks the result is identical.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jieba
from backrefs import bre

from netdocs.paths import display

# Material's own expression for the text it hands to jieba.
HAN = bre.compile(r"\p{script: Han}+")
# A segmented run in the index: words joined by zero-width spaces.
HAN_OR_GAP = bre.compile(r"[\p{script: Han}\u200b]+")
DEFAULT_DICTIONARY = Path(jieba.__file__).parent / "dict.txt"
LONGEST_WORD = 16  # the longest word in jieba's dictionary; longer substrings never match
FILLER = "\ue000"  # a private-use character: never in a page
SITE_WORDS = Path(__file__).with_name("searchwords.zh.txt")
# What Material's search parser leaves out of the text (diagrams are marked data-search-exclude,
# see netdocs.site.diagrams.fence), and the markup around the rest.
_SKIPPED = re.compile(
    r"<(script|style|object)\b.*?</\1>|<a [^>]*class=\"headerlink\"[^>]*>.*?</a>"
    r"|<pre\b[^>]*\bdata-search-exclude\b[^>]*>.*?</pre>",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_FREQUENCY = re.compile(r"^\S+ (\d+)", re.MULTILINE)


def han_runs(htmls: Iterable[str]) -> set[str]:
    """Every run of Han characters the search index can contain, from rendered pages and titles.

    Tags are removed without a gap, as the search parser joins the text around them, so a
    run split by inline markup (负载<strong>均衡</strong>) counts as one run.
    """
    runs: set[str] = set()
    for html in htmls:
        runs.update(HAN.findall(_TAG.sub("", _SKIPPED.sub(" ", html))))
    return runs


@cache
def _dictionary(path: Path) -> tuple[list[str], int]:
    """The dictionary's lines and the sum of their frequencies, read once per process."""
    text = path.read_text(encoding="utf-8")
    return text.splitlines(), sum(map(int, _FREQUENCY.findall(text)))


class WordListInvalid(ValueError):
    """A line of the site's word list is not a word and an optional frequency; says which."""


def site_words(path: Path = SITE_WORDS) -> dict[str, int | None]:
    """The words of ``path`` (jieba's user-dictionary format: a word and an optional
    frequency per line; ``#`` starts a comment), in order."""
    words: dict[str, int | None] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match line.split("#", 1)[0].split():
            case []:
                continue
            case [word]:
                words[word] = None
            case [word, frequency] if frequency.isdigit() and int(frequency) > 0:
                words[word] = int(frequency)
            case _:
                raise WordListInvalid(
                    f"{display(path)}:{number}: {line.strip()!r} is not a word and a frequency "
                    "(a whole number above 0), e.g. `后端 10000`"
                )
    return words


def _substrings(runs: Iterable[str]) -> set[str]:
    """Every substring of ``runs`` that can be a dictionary word."""
    return {
        run[start:end]
        for run in runs
        for start in range(len(run))
        for end in range(start + 1, min(len(run), start + LONGEST_WORD) + 1)
    }


def _entries(words: set[str], source: Path) -> list[str]:
    """The dictionary's lines for ``words``."""
    return [line for line in _dictionary(source)[0] if line[: line.find(" ")] in words]


def whole_frequencies(words: dict[str, int | None], source: Path = DEFAULT_DICTIONARY) -> dict[str, int]:
    """The frequency ``jieba.add_word(word, frequency)`` gives each word, added in order: the one
    given, else what jieba suggests for cutting the word out whole (``Tokenizer.suggest_freq``).

    jieba computes it on a tokenizer holding only the words' substrings, not the whole
    dictionary: the suggestion looks up nothing else.
    """
    frequencies = {
        word: int(count) for word, count, *_ in (line.split(" ") for line in _entries(_substrings(words), source))
    }
    for word in list(frequencies):
        for end in range(1, len(word)):
            frequencies.setdefault(word[:end], 0)  # the prefixes jieba's DAG walks through
    tokenizer = jieba.Tokenizer(str(source))
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = frequencies, _dictionary(source)[1], True
    added = {}
    for word, frequency in words.items():
        added[word] = frequency if frequency is not None else tokenizer.suggest_freq(word)
        tokenizer.add_word(word, added[word])
    return added


def trimmed(runs: Iterable[str], source: Path = DEFAULT_DICTIONARY, words: dict[str, int | None] | None = None) -> str:
    """The dictionary entries that can occur in ``runs`` and ``words`` added as ``jieba.add_word``
    adds them, plus the filler that keeps ``total`` (which each added word raises by its frequency)."""
    added = whole_frequencies(words or {}, source)
    kept = [line for line in _entries(_substrings(runs), source) if line[: line.find(" ")] not in added]
    kept += [f"{word} {frequency}" for word, frequency in added.items()]
    rest = _dictionary(source)[1] + sum(added.values()) - sum(map(int, _FREQUENCY.findall("\n".join(kept))))
    return "\n".join([*kept, f"{FILLER} {max(rest, 1)} x"]) + "\n"


def use_for(runs: set[str], source: Path = DEFAULT_DICTIONARY) -> Path:
    """Point jieba at a dictionary trimmed to ``runs`` with the site's words, made once per
    distinct Chinese text and word list."""
    words = site_words()
    key = f"{source}:{source.stat().st_mtime_ns}\n{words}\n" + "\n".join(sorted(runs))
    path = Path(tempfile.gettempdir()) / "netdocs-jieba" / f"dict-{hashlib.sha256(key.encode()).hexdigest()[:20]}.txt"
    if not path.is_file():  # written atomically: parallel builds may share it
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(trimmed(runs, source, words), encoding="utf-8")
        os.replace(scratch, path)
    jieba.setLogLevel(logging.WARNING)
    jieba.set_dictionary(str(path))
    return path
