"""The snippet macro: what a page shows, and how it refuses to show a broken snippet."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from netdocs import pins
from netdocs.kind import report as kind_report
from netdocs.site import macros
from netdocs.site.macros import SnippetError, render_snippet


def test_renders_titled_block_with_download_link_and_versions() -> None:
    out = render_snippet("clusterip/service.yaml", "services/clusterip.md", "services/clusterip/")
    assert out.startswith('<p class="nd-snippet-meta">')
    assert '```{ .yaml title="service.yaml" data-copy="' in out
    assert '" }\napiVersion: v1\n' in out
    assert '<a href="../../snippets/clusterip/service.yaml" download>Download service.yaml</a>' in out
    assert "Valid for Kubernetes 1.30-1.37" in out


def test_chinese_page_links_from_its_own_depth() -> None:
    out = render_snippet("clusterip/service.yaml", "services/clusterip.zh.md", "zh/services/clusterip/")
    assert '<a href="../../../snippets/clusterip/service.yaml" download>下载 service.yaml</a>' in out
    assert "适用 Kubernetes 版本 1.30-1.37" in out


def test_annotations_are_added_at_the_path_not_stored_in_the_file() -> None:
    out = render_snippet("clusterip/service.yaml", "p.md", "p/", annotate=["spec.selector", "spec.ports[0].port"])
    assert "  selector:  # (1)!\n" in out
    assert "      port: 80  # (2)!\n" in out
    assert "(1)" not in Path(macros.SNIPPETS, "clusterip/service.yaml").read_text()


def test_unknown_annotation_path_names_page_and_path() -> None:
    with pytest.raises(
        SnippetError, match=r"docs/p\.md: annotate path 'spec\.nope' is not in snippets/clusterip/service\.yaml"
    ):
        render_snippet("clusterip/service.yaml", "p.md", "p/", annotate=["spec.nope"])


def test_missing_snippet_names_page_and_path() -> None:
    with pytest.raises(SnippetError, match=r"docs/services/x\.md: snippet 'clusterip/servce\.yaml' does not exist"):
        render_snippet("clusterip/servce.yaml", "services/x.md", "services/x/")


def test_path_outside_snippets_is_refused() -> None:
    with pytest.raises(SnippetError, match="does not exist"):
        render_snippet("../pyproject.toml", "p.md", "p/")


def test_invalid_snippet_is_never_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "service.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  topologyKeys: ['*']\n  ports:\n    - port: 80\n"
    )
    monkeypatch.setattr(macros, "SNIPPETS", tmp_path)
    with pytest.raises(
        SnippetError, match=r"bad/service\.yaml:6:3: error\[schema\]: spec\.topologyKeys: unknown field"
    ):
        render_snippet("bad/service.yaml", "p.md", "p/")


def test_fence_outgrows_backticks_inside_the_snippet() -> None:
    assert macros._fence("a\n````\nb") == "`````"
    assert macros._fence("plain") == "```"


def test_example_box_lists_files_and_checks_in_the_pages_language() -> None:
    out = macros.render_example("clusterip", "services/clusterip.zh.md", "zh/services/clusterip/")
    assert out.startswith(
        '<div class="admonition example" markdown>\n<p class="admonition-title">echo 服务器前面的 ClusterIP'
    )
    assert '<a href="../../../snippets/clusterip/service.yaml" download>service.yaml</a>' in out
    row = next(line for line in out.splitlines() if "通过 Service 名称可以访问" in line)
    assert '<td data-label="发起方"><code>client</code> 的 Pod</td>' in row
    assert '<td data-label="预期">HTTP 200，至少 2 个不同的后端应答</td>' in row
    assert '<td data-label="最近一次 kind 运行">尚未运行</td>' in row
    assert "<var>Service echo 的集群 IP</var>" in out


_CELLS = re.compile(r'<td data-label="([^"]+)">(.*?)</td>')
_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_checks_table_is_in_the_readers_words(lang: str) -> None:
    """No placeholder syntax or origin syntax; Chinese pages expect in Chinese; no claim of a run."""
    page = "p.md" if lang == "en" else "p.zh.md"
    problems = []
    for folder in sorted(macros.SNIPPETS.glob("*/example.toml")):
        out = macros.render_example(folder.parent.name, page, "p/")
        for label, cell in _CELLS.findall(out):
            where = f"snippets/{folder.parent.name}/example.toml: {label}: {cell}"
            if re.search(r"\{[a-z_]+[:}]|deploy/|pod/", cell):
                problems.append(f"internal syntax in {where}")
            if lang == "zh" and label == "预期" and not _HAN.search(cell) and not re.fullmatch(r"HTTP \d{3}", cell):
                problems.append(f"not Chinese: {where}")
            if label in ("Latest kind run", "最近一次 kind 运行") and cell not in ("not run yet", "尚未运行"):
                problems.append(f"a run claimed without a report: {where}")
    assert problems == []


def test_latest_run_column_says_what_the_kind_report_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "kind.json"
    stamp = {"commit": "unknown"} if "commit" in kind_report.Report.model_fields else {}
    kind_report.write(
        kind_report.Report.model_validate(
            {
                **stamp,
                "kind_version": "v0.31.0",
                "node_image": "kindest/node:v1.35.0",
                "kubernetes_version": "v1.35.0",
                "date": "2026-12-01T10:00:00Z",
                "examples": [{"example": "clusterip", "result": "pass", "duration": 1}],
                "checks": [
                    {"example": "clusterip", "check": "by-name", "result": "pass", "duration": 1},
                    {"example": "clusterip", "check": "by-cluster-ip", "result": "fail", "duration": 1},
                ],
            }
        ),
        report,
    )
    monkeypatch.setenv(kind_report.REPORT_ENV, str(report))
    cells = [
        cell
        for label, cell in _CELLS.findall(macros.render_example("clusterip", "p.md", "p/"))
        if label == "Latest kind run"
    ]
    assert cells[:3] == ["passed, 2026-12-01", "failed, 2026-12-01", "not run yet"]
    assert "Proven on kind" not in macros.render_example("clusterip", "p.md", "p/")


def test_a_supporting_workload_is_collapsed_and_keeps_its_download() -> None:
    out = render_snippet("clusterip/client.yaml", "p.zh.md", "zh/p/", support=True)
    assert out.startswith(
        '<details class="example nd-support" markdown>\n<summary>辅助工作负载：<code>client.yaml</code>'
    )
    assert '<a href="../../snippets/clusterip/client.yaml" download>下载 client.yaml</a>' in out
    assert 'data-copy="' in out
    assert out.rstrip().endswith("</details>")


def test_unknown_example_names_the_page() -> None:
    with pytest.raises(SnippetError, match=r"docs/p\.md: example 'nope' does not exist"):
        macros.render_example("nope", "p.md", "p/")


def test_copy_attribute_holds_the_file_exactly_even_when_annotated() -> None:
    """The copy button copies data-copy: the file's bytes, never the rendered annotation markers."""
    out = render_snippet("clusterip/service.yaml", "p.md", "p/", annotate=["spec.selector"])
    copied = html.unescape(re.search(r'data-copy="([^"]*)"', out).group(1))
    assert copied == Path(macros.SNIPPETS, "clusterip/service.yaml").read_text(encoding="utf-8")


def test_copy_attribute_cannot_end_the_fence_header() -> None:
    nasty = "a: \"x\" {{ .Y }} \\ # c\n\tb: 'q' <z> & 负载均衡 }\n"
    encoded = macros._attribute(nasty)
    assert not set(encoded) & set('"{}<>\\\n\t')
    assert html.unescape(encoded) == nasty


def test_annotation_list_can_follow_the_block_directly() -> None:
    """Material looks for the annotation list right after the code block, so nothing may sit between."""
    out = render_snippet("clusterip/service.yaml", "p.md", "p/", annotate=["spec.selector"])
    assert out.endswith("```\n")


@pytest.mark.parametrize(
    ("page", "needs"),
    [
        ("p.md", f"Needs the Gateway API {pins.GATEWAY_API_VERSION} CRDs, standard channel"),
        ("p.zh.md", f"需要 Gateway API {pins.GATEWAY_API_VERSION} 的 CRD（标准渠道）"),
    ],
)
def test_gateway_api_objects_show_the_release_and_channel_they_need(page: str, needs: str) -> None:
    out = render_snippet("gateway-httproute/gateway.yaml", page, "p/")
    assert needs in out
    assert "Kubernetes" not in out.split("</p>", 1)[0], "a Gateway API object needs CRDs, not a Kubernetes minor"


def test_page_calls_are_expanded_in_place() -> None:
    call = '{{ snippet("clusterip/service.yaml", annotate=["spec.selector"]) }}'
    page = f'Intro\n\n{call}\n\n{{{{ example("clusterip") }}}}\nEnd\n'
    out = macros.expand(page, "services/clusterip.md", "services/clusterip/")
    assert out.startswith('Intro\n\n<p class="nd-snippet-meta">')
    assert "# (1)!" in out
    assert '<div class="admonition example" markdown>' in out
    assert out.endswith("</div>\n\nEnd\n")


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ("a\n\n{{ page.title }}\n", r"docs/p\.md:3: \{\{ is template syntax"),
        ("a\n{% raw %}\n", r"docs/p\.md:2: \{% is template syntax"),
        ("{{ snippet(name) }}\n", r"docs/p\.md:1: the arguments \(name\) are not literals"),
        ('\n{{ nope("x") }}\n', r"docs/p\.md:2: unknown call nope\(\)"),
        (
            '{{ snippet("clusterip/service.yaml", colour="red") }}\n',
            r"docs/p\.md:1: .*unexpected keyword argument 'colour'",
        ),
        ('{{ snippet("clusterip/nope.yaml") }}\n', r"docs/p\.md: snippet 'clusterip/nope\.yaml' does not exist"),
    ],
)
def test_anything_but_a_good_call_stops_the_build_at_its_line(page: str, says: str) -> None:
    with pytest.raises(SnippetError, match=says):
        macros.expand(page, "p.md", "p/")
