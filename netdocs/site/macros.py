"""Page calls: pages include snippets, never literal manifests or commands.

``{{ snippet("clusterip/service.yaml", annotate=["spec.selector"]) }}`` renders the file as a
titled code block with a download link and the Kubernetes minors it is valid for;
``{{ example("clusterip") }}`` the example's box with its checks table. A missing or invalid
snippet stops the build with the page, its line and the file, so no half-rendered block is
ever published. The build expands pages through netdocs.site.pagecache, which keeps each
page's expansion on disk while nothing it is made from changes.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path
from typing import Any

from netdocs import pins
from netdocs.behaviour import PLACEHOLDER, AnyCheck, placeholder_text
from netdocs.check.yamldocs import load
from netdocs.examples import Example, page_language
from netdocs.kind import report as kind_report
from netdocs.paths import SNIPPETS, display
from netdocs.site import bundles, snippetcache

LEXERS = {".yaml": "yaml", ".sh": "bash", ".py": "python"}
LABELS = {
    "en": {
        "download": "Download",
        "valid": "Valid for Kubernetes",
        "gateway_api": "Needs the Gateway API {version} CRDs, {channel}",
        "standard": "standard channel",
        "experimental": "experimental channel",
        "shell": "Run from the example folder",
        "proves": "Behaviour checks the kind tier runs for this example",
        "check": "Check",
        "from": "From",
        "target": "Target",
        "expect": "Expected",
        "files": "Files",
        "bundle": "All files in one archive",
        "apply": "apply from the unzipped folder",
        "cleanup": "clean up",
        "proven": "Proven on kind {kind_version}, Kubernetes {kubernetes_version}, {date}",
        "latest": "Latest kind run",
        "pass": "passed, {date}",
        "fail": "failed, {date}",
        "skipped": "skipped, {date}",
        "not-run": "not run yet",
        "header": "header",
        "colon": ": ",
        "support": "Supporting workload",
        "exposes": "Reachable from outside the cluster",
    },
    "zh": {
        "download": "下载",
        "valid": "适用 Kubernetes 版本",
        "gateway_api": "需要 Gateway API {version} 的 CRD（{channel}）",
        "standard": "标准渠道",
        "experimental": "实验渠道",
        "shell": "在示例目录中运行",
        "proves": "kind 测试层对该示例运行的行为检查",
        "check": "检查",
        "from": "发起方",
        "target": "目标",
        "expect": "预期",
        "files": "文件",
        "bundle": "全部文件打包下载",
        "apply": "解压后在其目录中应用",
        "cleanup": "清理",
        "proven": "已在 kind {kind_version}、Kubernetes {kubernetes_version} 上验证，{date}",
        "latest": "最近一次 kind 运行",
        "pass": "通过，{date}",
        "fail": "失败，{date}",
        "skipped": "已跳过，{date}",
        "not-run": "尚未运行",
        "header": "请求头",
        "colon": "：",
        "support": "辅助工作负载",
        "exposes": "可从集群外访问",
    },
}


class SnippetError(Exception):
    """A snippet that cannot be rendered; the message names the page and the file."""


def _fence(text: str) -> str:
    """A backtick fence longer than any run inside the snippet."""
    longest = max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=2)
    return "`" * max(3, longest + 1)


# Characters that could end a quoted fence attribute or the fence line, or start markup.
_UNSAFE = re.compile(r'["&<>{}\\\x00-\x1f\x7f]')


def _attribute(text: str) -> str:
    """Text as a quoted fence attribute: every character that could end it becomes an entity."""
    return _UNSAFE.sub(lambda m: f"&#{ord(m.group())};", text)


def _annotated(path: Path, text: str, annotate: list[str], page: str) -> str:
    """Append Material annotation markers (``# (n)!``) at the lines of the given YAML paths.

    The file keeps no markers, so the copy button and the download give exactly the file.
    """
    documents, _ = load(path)
    lines = text.split("\n")
    for number, wanted in enumerate(annotate, start=1):
        parts = tuple(int(p) if p.isdigit() else p for p in wanted.replace("[", ".").replace("]", "").split("."))
        hit = next((doc.positions[parts] for doc in documents if parts in doc.positions), None)
        if hit is None:
            raise SnippetError(f"{page}: annotate path '{wanted}' is not in {display(path)}")
        lines[hit[0] - 1] += f"  # ({number})!"
    return "\n".join(lines)


def _needs(verdict: snippetcache.Verdict, labels: dict[str, str]) -> list[str]:
    """What a manifest needs: Kubernetes minors for built-in kinds, a Gateway API release and channel for its CRDs."""
    needs = []
    if verdict.gateway_api:
        channel = labels[verdict.gateway_api]
        needs.append(labels["gateway_api"].format(version=pins.GATEWAY_API_VERSION, channel=channel))
    if verdict.valid:
        needs.append(f"{labels['valid']} {verdict.valid}")
    return needs


def render_snippet(
    ref: str,
    page_src: str,
    page_url: str,
    annotate: list[str] | None = None,
    title: str | None = None,
    *,
    support: bool = False,
) -> str:
    """A snippet file as a titled code block with its download link; with ``support``, a workload the
    example needs but the page is not about (the echo Deployment, the client), collapsed."""
    path = (SNIPPETS / ref).resolve()
    if SNIPPETS.resolve() not in path.parents or path.suffix not in LEXERS or not path.is_file():
        raise SnippetError(
            f"docs/{page_src}: snippet '{ref}' does not exist (looked for {display(path)}); "
            "fix the name or add the file under snippets/"
        )
    lang = page_language(Path(page_src))
    labels = LABELS[lang]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    notes: list[str] = []
    if path.suffix == ".yaml":
        verdict = snippetcache.report(path)  # all manifests checked in one batch, kept on disk
        if verdict.errors:
            raise SnippetError(f"docs/{page_src}: snippet {display(path)} is invalid: " + "; ".join(verdict.errors))
        notes += _needs(verdict, labels)
    elif path.suffix == ".sh":
        notes.append(labels["shell"] + f" <code>snippets/{path.parent.name}/</code>")
    if annotate:
        text = _annotated(path, text, annotate, f"docs/{page_src}")
    depth = len([part for part in page_url.split("/") if part])
    href = "../" * depth + f"snippets/{ref}"
    fence = _fence(text)
    # data-copy: Material's copy button copies this attribute instead of the rendered text,
    # so the clipboard holds the file itself, without annotation markers or their spacing.
    copy = _attribute(path.read_text(encoding="utf-8"))
    head = f'{fence}{{ .{LEXERS[path.suffix]} title="{title or path.name}" data-copy="{copy}" }}'
    download = f'<a href="{href}" download>{labels["download"]} {path.name}</a>'
    meta = " · ".join([download, *notes])
    # The line goes above the block: an annotation list must directly follow the code block.
    block = f'<p class="nd-snippet-meta">{meta}</p>\n\n{head}\n{text}\n{fence}\n'
    if not support:
        return block
    summary = f"{labels['support']}{labels['colon']}<code>{html.escape(path.name)}</code>"
    return f'<details class="example nd-support" markdown>\n<summary>{summary}</summary>\n\n{block}\n</details>\n'


# Where a long name or URL may wrap: after its separators, never inside a word.
_BREAK_AFTER = re.compile(r"([.?&=]|/(?!/))")


def _code(text: str) -> str:
    """Code that wraps only after separators (``<wbr>``); CSS keeps words whole (netdocs.css)."""
    return _BREAK_AFTER.sub(r"\1<wbr>", html.escape(text, quote=False))


def _html(text: str, lang: str) -> str:
    """Page text with ``code`` in backticks as HTML (the checks table is HTML, for its phone layout)."""
    parts = text.split("`")
    return "".join(
        _plain_value(part, lang) if n % 2 else html.escape(part, quote=False) for n, part in enumerate(parts)
    )


def _plain_value(value: str, lang: str) -> str:
    """A check's target as code, each placeholder replaced by what it stands for (``<var>``)."""
    out, last = [], 0
    for match in PLACEHOLDER.finditer(value):
        phrase = html.escape(placeholder_text(match, lang), quote=False)
        out += [_code(value[last : match.start()]), f"<var>{phrase}</var>"]
        last = match.end()
    return f"<code>{''.join(out)}{_code(value[last:])}</code>"


def _target(check: AnyCheck, lang: str) -> str:
    """Where the check goes, with the request headers it sends."""
    value = next(v for field in ("url", "target", "name") if (v := getattr(check, field, None)))
    sent = {"Host": check.host_header} if getattr(check, "host_header", None) else {}
    sent |= getattr(check, "headers", {})
    header = LABELS[lang]["header"]
    return _plain_value(value, lang) + "".join(
        f"<br>{header} {_plain_value(f'{name}: {text}', lang)}" for name, text in sent.items()
    )


def _latest_run(report: kind_report.Report | None, example: Example, check: AnyCheck, lang: str) -> str:
    """The check's status in the kind report given to the build (netdocs.kind.report.check_status):
    without a report, or a result for this check, "not run yet"; only a real report says passed."""
    status = kind_report.check_status(report, example.name, check.id)
    if status.result == kind_report.NOT_RUN_YET:
        return LABELS[lang]["not-run"]
    return LABELS[lang][status.result].format(date=status.date)


def _checks_table(example: Example, lang: str, report: kind_report.Report | None) -> list[str]:
    """The example's behaviour checks as an HTML table; each cell names its column, so a phone
    shows each check as a card (docs/assets/netdocs.css)."""
    labels = LABELS[lang]
    columns = [labels[name] for name in ("check", "from", "target", "expect", "latest")]
    head = "".join(f'<th scope="col">{c}</th>' for c in columns)
    rows = []
    for check in example.meta.checks:
        cells = [
            html.escape(check.says(lang), quote=False),
            _html(check.origin_text(lang), lang),
            _target(check, lang),
            _html(check.expected_text(lang), lang),
            html.escape(_latest_run(report, example, check, lang), quote=False),
        ]
        cells = [f'<td data-label="{column}">{cell}</td>' for column, cell in zip(columns, cells, strict=True)]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return ['<table class="nd-checks">', f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"]


def _bundle_line(example: Example, labels: dict[str, str], depth: int) -> str:
    """The link to the example's archive (built by the hook) and the commands to apply and clean up."""
    href = "../" * depth + f"snippets/{bundles.bundle_name(example)}"
    apply = "; ".join(f"`{c}`" for c in bundles.apply_commands(example))
    cleanup = "; ".join(f"`{c}`" for c in bundles.cleanup_commands(example))
    link = f'<a href="{href}" download>{bundles.bundle_name(example)}</a>'
    colon = labels["colon"]
    return f"{labels['bundle']}{colon}{link} · {labels['apply']}{colon}{apply} · {labels['cleanup']}{colon}{cleanup}"


def _kind_report(page_src: str) -> kind_report.Report | None:
    """The kind report given to the build (NETDOCS_KIND_REPORT), or None."""
    try:
        return kind_report.from_environment()
    except kind_report.ReportError as exc:
        raise SnippetError(f"docs/{page_src}: {exc}") from None


def _proven(example: Example, lang: str, report: kind_report.Report | None) -> str | None:
    """The "proven on kind" line, only when the report says the example and all its checks passed."""
    proof = report and kind_report.proof(report, example.name, [check.id for check in example.meta.checks])
    return LABELS[lang]["proven"].format(**proof.model_dump()) if proof else None


def render_example(name: str, page_src: str, page_url: str) -> str:
    """The example's summary, its files, and the table of behaviour checks it passes on kind."""
    folder = SNIPPETS / name
    if not (folder / "example.toml").is_file():
        raise SnippetError(f"docs/{page_src}: example '{name}' does not exist (no snippets/{name}/example.toml)")
    example = Example(name, folder)
    lang = page_language(Path(page_src))
    labels = LABELS[lang]
    meta = example.meta
    depth = len([part for part in page_url.split("/") if part])
    links = ", ".join(f'<a href="{"../" * depth}snippets/{name}/{p.name}" download>{p.name}</a>' for p in example.files)
    report = _kind_report(page_src)
    proven = _proven(example, lang, report)
    # An admonition written as HTML (md_in_html), so the checks table inside it can be HTML.
    out = [
        '<div class="admonition example" markdown>',
        f'<p class="admonition-title">{html.escape(meta.title(lang), quote=False)}</p>',
        "",
        meta.summary(lang),
        "",
        # What a reader's cluster would publish beyond itself, and how to take it back.
        *([f'!!! warning "{labels["exposes"]}"', "", f"    {meta.exposes(lang)}", ""] if meta.exposes else []),
        *([f'<span class="nd-proven">{proven}</span>', ""] if proven else []),
        f"{labels['files']}{labels['colon']}{links}",
        "",
        _bundle_line(example, labels, depth),
        "",
    ]
    if meta.checks:
        out += [f"**{labels['proves']}**", "", *_checks_table(example, lang, report), ""]
    return "\n".join([*out, "</div>"]) + "\n"


# A call in a page: {{ snippet("clusterip/service.yaml", annotate=["spec.selector"]) }} or {{ example("dns") }}.
_CALL = re.compile(r"\{\{\s*(?P<name>\w+)\((?P<args>.*?)\)\s*\}\}", re.DOTALL)
_BRACES = re.compile(r"\{\{|\{%|\{#")


def _arguments(text: str, where: str) -> tuple[list[Any], dict[str, Any]]:
    """A call's arguments, which must be literals (strings, lists of strings, True/False)."""
    try:
        call = ast.parse(f"f({text})", mode="eval").body
        if not isinstance(call, ast.Call):
            raise ValueError(text)
        return [ast.literal_eval(a) for a in call.args], {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError):
        raise SnippetError(f'{where}: the arguments ({text}) are not literals, e.g. ("dns/client.yaml")') from None


def expand(markdown: str, page_src: str, page_url: str) -> str:
    """The page with each snippet() and example() call replaced by what it renders.

    The calls are the only template syntax a page has (manifests and go-templates live in
    snippets/): expanding them directly spares a Jinja compile of every page. Anything else
    between double braces stops the build with its line.
    """
    out, last = [], 0
    for match in _CALL.finditer(markdown):
        where = f"docs/{page_src}:{markdown.count(chr(10), 0, match.start()) + 1}"
        out.append(markdown[last : match.start()])
        args, keywords = _arguments(match.group("args"), where)
        try:
            if match.group("name") == "snippet":
                out.append(render_snippet(args[0], page_src, page_url, *args[1:], **keywords))
            elif match.group("name") == "example":
                out.append(render_example(*args, page_src, page_url, **keywords))
            else:
                raise SnippetError(f"{where}: unknown call {match.group('name')}(); pages call snippet() and example()")
        except TypeError as exc:
            raise SnippetError(f"{where}: {match.group(0)}: {exc}") from None
        last = match.end()
    rest = markdown[last:]
    if stray := _BRACES.search(rest):
        line = markdown.count("\n", 0, last + stray.start()) + 1
        raise SnippetError(
            f"docs/{page_src}:{line}: {stray.group(0)} is template syntax: pages only call snippet() and "
            "example(); put manifests and go-templates in snippets/"
        )
    return "".join([*out, rest])
