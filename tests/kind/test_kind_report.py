"""The kind report: its format, and the site's "proven on kind" line, shown only from a real report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netdocs.examples import Example
from netdocs.kind import report as kind_report
from netdocs.kind.report import CheckResult, ExampleResult, Report, ReportError, proof, read, write
from netdocs.paths import SNIPPETS
from netdocs.site import macros
from netdocs.site.macros import SnippetError

CLUSTERIP_CHECKS = [c.id for c in Example("clusterip", SNIPPETS / "clusterip").meta.checks]


def sample(example: str = "clusterip", checks: list[str] | None = None, failed: str | None = None) -> Report:
    ids = CLUSTERIP_CHECKS if checks is None else checks
    return Report(
        commit="0123456789abcdef0123456789abcdef01234567",
        kind_version="v0.33.0",
        node_image="kindest/node:v1.37.0@sha256:" + "a" * 64,
        kubernetes_version="v1.37.0",
        date=datetime(2026, 11, 21, 8, 30, tzinfo=UTC),
        addons={"gateway_api": "v1.5.1 (standard)"},
        examples=[
            ExampleResult(
                example=example, result="fail" if failed else "pass", duration=41.2, stage="checks" if failed else None
            )
        ],
        checks=[
            CheckResult(
                example=example, check=c, result="fail" if c == failed else "pass", duration=1.5, detail="HTTP 200"
            )
            for c in ids
        ],
    )


def test_report_has_the_fields_the_issue_names(tmp_path: Path) -> None:
    path = tmp_path / "kind.json"
    write(sample(), path)
    data = json.loads(path.read_text())
    assert data["generator"] == "netdocs.kind"
    assert {"commit", "kind_version", "node_image", "kubernetes_version", "date", "capabilities"} <= set(data)
    assert set(data["checks"][0]) == {"example", "check", "result", "duration", "detail"}
    assert read(path) == sample()


def test_unreadable_reports_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no such kind report"):
        read(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ReportError, match=r"broken\.json:1: not JSON"):
        read(broken)
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({"generator": "me", "kind_version": "v0", "examples": []}))
    with pytest.raises(ReportError, match=r"forged\.json: not a kind report written by netdocs\.kind: generator"):
        read(forged)


def test_proof_needs_the_example_and_every_current_check_to_pass() -> None:
    found = proof(sample(), "clusterip", CLUSTERIP_CHECKS)
    assert found is not None
    assert (found.kind_version, found.kubernetes_version, found.date) == ("v0.33.0", "v1.37.0", "2026-11-21")
    assert proof(sample(), "dns", []) is None  # not in the report
    assert proof(sample(failed=CLUSTERIP_CHECKS[0]), "clusterip", CLUSTERIP_CHECKS) is None
    stale = sample(checks=CLUSTERIP_CHECKS[:1])
    assert proof(stale, "clusterip", CLUSTERIP_CHECKS) is None  # a check added since the run


@pytest.fixture
def given_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "kind.json"
    monkeypatch.setenv(kind_report.REPORT_ENV, str(path))
    return path


def test_site_shows_nothing_without_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(kind_report.REPORT_ENV, raising=False)
    out = macros.render_example("clusterip", "services/clusterip.md", "services/clusterip/")
    assert "nd-proven" not in out
    assert "Proven on kind" not in out


def test_site_shows_the_proof_in_both_languages(given_report: Path) -> None:
    write(sample(), given_report)
    english = macros.render_example("clusterip", "services/clusterip.md", "services/clusterip/")
    assert 'class="nd-proven">Proven on kind v0.33.0, Kubernetes v1.37.0, 2026-11-21</span>' in english
    chinese = macros.render_example("clusterip", "services/clusterip.zh.md", "zh/services/clusterip/")
    assert "已在 kind v0.33.0、Kubernetes v1.37.0 上验证，2026-11-21" in chinese


def test_site_shows_nothing_for_a_failed_or_absent_example(given_report: Path) -> None:
    write(sample(failed=CLUSTERIP_CHECKS[-1]), given_report)
    assert "nd-proven" not in macros.render_example("clusterip", "services/clusterip.md", "services/clusterip/")
    write(sample(example="dns", checks=[]), given_report)
    assert "nd-proven" not in macros.render_example("clusterip", "services/clusterip.md", "services/clusterip/")


def test_a_report_given_but_missing_stops_the_build(given_report: Path) -> None:
    with pytest.raises(SnippetError, match=r"docs/services/clusterip\.md: NETDOCS_KIND_REPORT=.*no such file"):
        macros.render_example("clusterip", "services/clusterip.md", "services/clusterip/")


def test_each_check_row_says_pass_fail_skipped_or_not_run_yet() -> None:
    report = sample(failed=CLUSTERIP_CHECKS[0])
    failed = kind_report.check_status(report, "clusterip", CLUSTERIP_CHECKS[0])
    assert (failed.result, failed.date) == ("fail", "2026-11-21")
    assert kind_report.check_status(report, "clusterip", CLUSTERIP_CHECKS[1]).result == "pass"
    assert kind_report.check_status(report, "clusterip", "a-check-added-later").result == "not run yet"
    assert kind_report.check_status(None, "clusterip", CLUSTERIP_CHECKS[1]).result == "not run yet"
    skipped = sample(checks=[])
    skipped.checks.append(
        CheckResult(example="clusterip", check="x", result="skipped", duration=0, detail="needs zones")
    )
    assert kind_report.check_status(skipped, "clusterip", "x").result == "skipped"


def test_a_check_the_example_never_reached_shows_the_examples_failure() -> None:
    report = sample(failed="x")
    report.examples[0].detail = "apply failed"
    report.checks[0].result = "not-run"
    status = kind_report.check_status(report, "clusterip", CLUSTERIP_CHECKS[0])
    assert (status.result, status.detail) == ("fail", "checks: apply failed")
