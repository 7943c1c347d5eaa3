"""Diagrams drawn ahead of time: how pages get their drawings, and how `nox -s diagrams` keeps them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from netdocs.dev import builtsite
from netdocs.site import diagramdraw, diagrams

SOURCE = "graph LR\n  A[client] --> B[Service]\n"
BLOCK = f'<pre class="mermaid" data-search-exclude=""><code>{SOURCE.replace(">", "&gt;")}</code></pre>'
UNDRAWN = f"<p>before</p>{BLOCK}<p>after</p>"


def drawn(folder: Path, source: str = SOURCE, svg: str = '<svg id="nd-x"></svg>') -> Path:
    path = diagrams.drawing_path(source, folder)
    path.write_text(svg, encoding="utf-8")
    return path


def test_sources_are_the_text_material_passes_to_mermaid() -> None:
    assert diagrams.sources(UNDRAWN) == [SOURCE]
    assert diagrams.sources("<p>no diagram</p>") == []


def test_key_changes_with_the_text_and_with_mermaids_version(monkeypatch: pytest.MonkeyPatch) -> None:
    first = diagrams.key(SOURCE)
    assert len(first) == 24
    assert diagrams.key(SOURCE) == first
    assert diagrams.key(SOURCE + " ") != first
    monkeypatch.setattr(diagrams, "_versions", lambda: "mermaid 99.0.0")
    assert diagrams.key(SOURCE) != first


def test_a_drawn_diagram_becomes_its_drawings_empty_svg_in_a_declared_shadow_root(tmp_path: Path) -> None:
    path = drawn(tmp_path, svg='<svg id="nd-x" viewBox="0 0 80 40"><g><text>client</text></g></svg>')
    page, missing = diagrams.put_drawings(UNDRAWN, tmp_path)
    assert missing == []
    assert page == (
        f'<p>before</p><div class="nd-diagram"><div class="mermaid" data-diagram="{path.stem}">'
        '<template shadowrootmode="open"><svg id="nd-x" viewBox="0 0 80 40"></svg></template></div>'
        '<div class="nd-diagram__bar"><button type="button" class="nd-diagram__open md-button" '
        'aria-haspopup="dialog" hidden>Full screen</button>'
        '<span class="nd-diagram__hint">Scroll sideways →</span></div></div><p>after</p>'
    )
    assert builtsite.drawn_keys(page) == [path.stem]
    assert diagrams.sources(page) == []


def test_the_drawings_are_published_beside_the_script_that_fetches_them(tmp_path: Path) -> None:
    """netdocs.js fetches ``../diagrams/<key>.svg`` from its own address, assets/javascripts/."""
    drawings, site = tmp_path / "drawings", tmp_path / "site"
    drawings.mkdir()
    svg = '<svg id="nd-x" width="100%" style="max-width: 900px;" viewBox="0 0 900 40"><text>client</text></svg>'
    path = drawn(drawings, svg=svg)
    [published] = diagrams.publish(site, drawings)
    assert published == site / "assets" / "diagrams" / path.name
    assert published.read_text(encoding="utf-8") == diagrams.readable(svg)
    assert "min-width: calc(var(--nd-diagram-floor, 0) * 900px);" in published.read_text(encoding="utf-8")
    script = Path(__file__).parents[2] / "docs" / "assets" / "javascripts" / "netdocs.js"
    assert 'new URL("../diagrams/", document.currentScript.src)' in script.read_text(encoding="utf-8")
    assert builtsite.DRAWINGS_AT == "assets/diagrams"


def test_an_unchanged_drawing_is_not_written_again(tmp_path: Path) -> None:
    drawings, site = tmp_path / "drawings", tmp_path / "site"
    drawings.mkdir()
    drawn(drawings)
    [published] = diagrams.publish(site, drawings)
    before = published.stat().st_mtime_ns
    diagrams.publish(site, drawings)
    assert published.stat().st_mtime_ns == before


def test_a_drawing_without_an_svg_element_is_named_with_the_fix(tmp_path: Path) -> None:
    drawn(tmp_path, svg="<p>not a drawing</p>")
    with pytest.raises(ValueError, match=r"has no <svg> element: draw it again with `nox -s diagrams`"):
        diagrams.put_drawings(UNDRAWN, tmp_path)


def test_the_bar_speaks_the_pages_language(tmp_path: Path) -> None:
    drawn(tmp_path)
    page, _ = diagrams.put_drawings(UNDRAWN, tmp_path, lang="zh")
    assert ">全屏查看</button>" in page
    assert '<span class="nd-diagram__hint">左右滑动查看 →</span>' in page


def test_a_drawing_may_shrink_no_further_than_the_sites_floor_allows(tmp_path: Path) -> None:
    """The floor is a share of the natural width, set by the site's CSS (0 without it)."""
    svg = '<svg id="nd-x" width="100%" style="max-width: 1521.5px;" viewBox="-50 -10 1521.5 578"><g/></svg>'
    drawn(tmp_path, svg=svg)
    page, _ = diagrams.put_drawings(UNDRAWN, tmp_path)
    assert (
        '<svg id="nd-x" width="100%" style="max-width: 1521.5px; '
        'min-width: calc(var(--nd-diagram-floor, 0) * 1521.5px);" viewBox="-50 -10 1521.5 578">'
    ) in page


def test_an_undrawn_diagram_stays_for_the_browser_and_is_reported(tmp_path: Path) -> None:
    page, missing = diagrams.put_drawings(UNDRAWN, tmp_path)
    assert page == UNDRAWN
    assert missing == [SOURCE]


def test_the_warning_names_the_pages_fence_and_the_command(caplog: pytest.LogCaptureFixture) -> None:
    markdown = f"# Title\n\nText.\n\n```mermaid\n{SOURCE}```\n"
    assert diagrams.fence_line(markdown, SOURCE) == 5
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.netdocs.site.diagrams"):
        diagrams.report_missing("docs/services/x.md", markdown, [SOURCE])
    assert caplog.messages == [
        "docs/services/x.md:5: this Mermaid diagram has no drawing in diagrams/: run `nox -s diagrams` to draw it"
    ]


def test_under_serve_it_is_a_note_so_the_server_keeps_running(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.netdocs.site.diagrams"):
        diagrams.report_missing("docs/x.md", SOURCE, [SOURCE], serving=True)
    assert [record.levelno for record in caplog.records] == [logging.INFO]


def test_a_diagram_made_by_a_macro_is_reported_by_page(caplog: pytest.LogCaptureFixture) -> None:
    assert diagrams.fence_line("{{ diagram() }}", SOURCE) is None
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.netdocs.site.diagrams"):
        diagrams.report_missing("docs/x.md", "{{ diagram() }}", [SOURCE])
    assert caplog.messages[0].startswith("docs/x.md: this Mermaid diagram")


def test_compact_rounds_coordinates_to_hundredths_and_nothing_else() -> None:
    svg = (
        '<svg viewBox="-8 -8 523.4609375 300.5" width="523.4609375">'
        '<path d="M12.123456,-4.56789L.25.253,3.999"/>'
        '<g transform="translate(100.00001, 7.5)"><text x="1.23456">v1.2.3456</text></g></svg>'
    )
    assert diagramdraw.compact(svg) == (
        '<svg viewBox="-8 -8 523.46 300.5" width="523.4609375">'
        '<path d="M12.12,-4.57L.25.253,4"/>'
        '<g transform="translate(100, 7.5)"><text x="1.23456">v1.2.3456</text></g></svg>'
    )


def test_own_ids_replace_materials_element_id_exactly() -> None:
    svg = '<svg id="__mermaid_1"><style>#__mermaid_1 .node{}</style><g id="__mermaid_12-a"></g></svg>'
    assert diagramdraw.own_ids(svg, "__mermaid_1", "abc") == (
        '<svg id="nd-abc"><style>#nd-abc .node{}</style><g id="__mermaid_12-a"></g></svg>'
    )


def test_save_writes_new_drawings_keeps_used_ones_and_deletes_the_rest(tmp_path: Path) -> None:
    kept = drawn(tmp_path, "graph TD\n  kept\n", "<svg>kept</svg>")
    stale = drawn(tmp_path, "graph TD\n  stale\n", "<svg>stale</svg>")
    new = diagramdraw.Drawing(SOURCE, "<svg>new</svg>")
    written, deleted = diagramdraw.save([new], {kept.stem}, tmp_path)
    assert (written, deleted) == (1, [stale])
    assert {p.name for p in tmp_path.iterdir()} == {kept.name, diagrams.drawing_path(SOURCE, tmp_path).name}
    assert diagrams.drawing_path(SOURCE, tmp_path).read_text(encoding="utf-8") == "<svg>new</svg>\n"
    assert kept.read_text(encoding="utf-8") == "<svg>kept</svg>"


def test_restyle_escapes_the_kept_rules_as_html_needs() -> None:
    svg = "<svg><style>old</style><g/></svg>"
    assert diagramdraw.restyle(svg, "#a > b { fill: red }") == "<svg><style>#a &gt; b { fill: red }</style><g/></svg>"


def test_the_fence_is_materials_block_left_out_of_search() -> None:
    block = diagrams.fence(SOURCE, "mermaid", "mermaid", {}, None, classes=[], id_value="", attrs={})
    assert block == BLOCK
    assert diagrams.sources(block) == [SOURCE]


SEQUENCE = (
    "sequenceDiagram\n    participant A as kube-proxy rules\n"
    "    A->>A: src 10.0.0.1 to dst team-a.example<br/>then back\n"
)


def test_a_line_past_its_box_is_a_layout_problem_that_says_why() -> None:
    """Mermaid leaves a <br/> label as written: the line ran past its note (issue 14, 12.5 px text)."""
    [problem] = diagramdraw.layout_problems([diagramdraw.Line("SNAT src to 192.168.1.11", 60.4)], SEQUENCE)
    assert problem.startswith("'SNAT src to 192.168.1.11' runs 60 px past its box")
    assert "drop the <br/>" in problem
    assert diagramdraw.layout_problems([diagramdraw.Line("src 10.0.0.1 to dst", 0.6)], SEQUENCE) == []


def test_a_word_mermaid_cut_with_a_hyphen_is_a_layout_problem() -> None:
    cut = [diagramdraw.Line("team-a.exam-", 0), diagramdraw.Line("规则（客户端所在节点-", 0)]
    problems = diagramdraw.layout_problems(cut, SEQUENCE + "    participant K as 规则（客户端所在节点）\n")
    assert [p.split(":")[0] for p in problems] == ["'team-a.exam-'", "'规则（客户端所在节点-'"]
    # A hyphen the author wrote, at the end of a word or of a line, is the author's.
    written = "sequenceDiagram\n    A->>B: x- y\n    A->>B: pre-<br/>post\n    A->>B: end-\n"
    lines = [diagramdraw.Line(text, 0) for text in ("x-", "pre-", "end-")]
    assert diagramdraw.layout_problems(lines, written) == []


def test_a_layout_problem_names_the_file_and_line_of_the_fence() -> None:
    page = diagramdraw.DOCS / "dns" / "index.md"
    source = page.read_text(encoding="utf-8").split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert diagramdraw.fence_of(source) == f"docs/dns/index.md:{diagrams.fence_line(page.read_text(), source)}"
    assert diagramdraw.fence_of("sequenceDiagram\n    A->>B: nowhere\n") == "a diagram"
