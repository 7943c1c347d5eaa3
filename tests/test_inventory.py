"""The inventory gate: every snippet is shown by a page, every page's snippet exists."""

from __future__ import annotations

import pytest

from netdocs.examples import Example, MetaError, load_examples, pages, snippet_paths, snippets_in, usage
from netdocs.paths import DOCS, SNIPPETS


def test_every_snippet_is_used_by_a_page() -> None:
    used = usage()
    unused = [path for path in snippet_paths() if path not in used]
    assert not unused, "snippets no page includes (include them or delete them): " + ", ".join(
        f"snippets/{p}" for p in unused
    )


def test_every_included_snippet_exists() -> None:
    known = set(snippet_paths())
    missing = [
        f"docs/{page.relative_to(DOCS).as_posix()}:{line}: snippet '{ref}' does not exist under snippets/"
        for page in pages()
        for line, ref in snippets_in(page)
        if ref not in known
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_every_example_describes_itself(example: Example) -> None:
    try:
        example.meta  # noqa: B018 - loading is the check
    except MetaError as exc:
        pytest.fail(str(exc))


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_has_no_literal_manifest_or_command(page) -> None:
    fences = [
        f"docs/{page.relative_to(DOCS).as_posix()}:{number}: literal '{line.strip()}' block; move it to snippets/"
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1)
        if line.lstrip().startswith("```")
        and line.lstrip().lstrip("`").strip().split(" ")[0]
        in {"yaml", "yml", "bash", "sh", "shell", "console", "python", "py"}
    ]
    assert not fences, "\n".join(fences)


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_kind_plan_accounts_for_every_shell_file(example: Example) -> None:
    problems = example.plan_problems()
    assert not problems, "\n".join(problems)


# Each example folder stands alone, so the common client Pod is copied, not shared; the
# copies stay identical. A variant says here what it adds.
CLIENT = "clusterip/client.yaml"
CLIENT_VARIANTS = {
    "dns/client.yaml": "dnsConfig (ndots, timeout) for the DNS answers the page shows",
    "traffic-distribution/client.yaml": "a nodeSelector that pins the client to zone-a",
    "pod-network/client.yaml": "a sidecar that shares the Pod's network namespace",
    "egress-snat/client.yaml": "anti-affinity that keeps it off the outside server's node",
}


def test_copies_of_the_client_stay_identical() -> None:
    canonical = (SNIPPETS / CLIENT).read_text(encoding="utf-8")
    copies = sorted(p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.glob("*/client.yaml"))
    text = {c: (SNIPPETS / c).read_text(encoding="utf-8") for c in copies}
    drifted = [c for c in copies if c not in CLIENT_VARIANTS and text[c] != canonical]
    assert not drifted, (
        f"snippets/*/client.yaml differ from snippets/{CLIENT} (change every copy, or list a variant "
        "in CLIENT_VARIANTS with what it adds): " + ", ".join(f"snippets/{c}" for c in drifted)
    )
    stale = [v for v in CLIENT_VARIANTS if text.get(v, canonical) == canonical]
    assert not stale, "CLIENT_VARIANTS lists files that are gone or no longer differ: " + ", ".join(stale)
    assert len(copies) - len(CLIENT_VARIANTS) >= 2
