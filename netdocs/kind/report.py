"""The kind tier's JSON report (``reports/kind.json``), and what the site asks it.

The report is written by the tier only (``generator``), with the commit and date of the run.
The kind workflow uploads it; the Pages build downloads the latest one of a successful run on
main and names it in ``NETDOCS_KIND_REPORT``. The site asks two questions:

- :func:`proof`: "proven on kind" for an example, only when the report says the example passed
  and every check its ``example.toml`` declares today passed (a stale report never vouches for
  new checks);
- :func:`check_status`: each check's pass, fail or skipped and the run's date; a check the
  report does not know, or no report at all, is "not run yet". Nothing is invented.

``findings`` are disagreements between the offline validator and the real API server
(``netdocs.kind.serverside``): must-fail cases the server accepted, and the like.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netdocs.paths import display

GENERATOR = "netdocs.kind"
# The site build shows "proven on kind" only when given a report: NETDOCS_KIND_REPORT=reports/kind.json
REPORT_ENV = "NETDOCS_KIND_REPORT"
Result = Literal["pass", "fail", "skipped", "not-run"]
NOT_RUN_YET = "not run yet"


class CheckResult(BaseModel):
    model_config = ConfigDict(extra="forbid")
    example: str
    check: str
    result: Result
    duration: float = Field(ge=0)
    detail: str = ""


class ExampleResult(BaseModel):
    """An example as a whole; ``stage`` says where a failure happened (apply, steps, cleanup...)."""

    model_config = ConfigDict(extra="forbid")
    example: str
    result: Literal["pass", "fail", "skipped"]
    duration: float = Field(ge=0)
    stage: str | None = None
    detail: str = ""


class Finding(BaseModel):
    """The real API server disagreed with the offline validator about a must-fail case."""

    model_config = ConfigDict(extra="forbid")
    case: str  # tests/invalid/<rule>/<variant>
    expected: Literal["rejected", "accepted"]
    got: str  # what the server said, one line


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")
    generator: Literal["netdocs.kind"] = GENERATOR
    schema_version: Literal[2] = 2
    commit: str = Field(pattern=r"^[0-9a-f]{7,40}$|^unknown$")
    kind_version: str
    node_image: str
    kubernetes_version: str
    date: datetime
    addons: dict[str, str] = Field(default_factory=dict)
    # each capability an example may require: "verified", or why setup could not verify it
    capabilities: dict[str, str] = Field(default_factory=dict)
    examples: list[ExampleResult] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)


class ReportError(Exception):
    """A report that cannot be read; one line naming the file."""


class Proof(BaseModel):
    kind_version: str
    kubernetes_version: str
    date: str


def write(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")


def read(path: Path) -> Report:
    try:
        return Report.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ReportError(f"{display(path)}: no such kind report; run `nox -s kind` to produce one") from None
    except json.JSONDecodeError as exc:
        raise ReportError(f"{display(path)}:{exc.lineno}: not JSON: {exc.msg}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "(report)"
        raise ReportError(
            f"{display(path)}: not a kind report written by {GENERATOR}: {where}: {first['msg']}"
        ) from None


def proof(report: Report, example: str, check_ids: list[str]) -> Proof | None:
    """The proof line's facts, or ``None`` unless the example and all its current checks passed."""
    runs = [e for e in report.examples if e.example == example]
    if not runs or any(e.result != "pass" for e in runs):
        return None
    passed = {c.check for c in report.checks if c.example == example and c.result == "pass"}
    failed = {c.check for c in report.checks if c.example == example and c.result != "pass"}
    if failed or not set(check_ids) <= passed:
        return None
    return Proof(
        kind_version=report.kind_version,
        kubernetes_version=report.kubernetes_version,
        date=report.date.date().isoformat(),
    )


class CheckStatus(BaseModel):
    """What a check's row on the page says: the result of the latest report, and its date."""

    result: Literal["pass", "fail", "skipped", "not run yet"]
    date: str | None = None
    detail: str = ""


def check_status(report: Report | None, example: str, check: str) -> CheckStatus:
    """A check's status for its page, from the report given to the build.

    Its own result when the run reached it; when the run listed it but stopped before it, its
    example's failure (the stage) or skip (the capability it needs); a check the run did not
    know (added since), or no report at all, is "not run yet".
    """
    listed = [c for c in report.checks if c.example == example and c.check == check] if report else []
    if report is None or not listed:
        return CheckStatus(result=NOT_RUN_YET)
    date = report.date.date().isoformat()
    if listed[-1].result != "not-run":
        return CheckStatus(result=listed[-1].result, date=date, detail=listed[-1].detail)
    stopped = [e for e in report.examples if e.example == example and e.result != "pass"]
    if stopped:
        return CheckStatus(result=stopped[-1].result, date=date, detail=f"{stopped[-1].stage}: {stopped[-1].detail}")
    return CheckStatus(result=NOT_RUN_YET)


@lru_cache(maxsize=4)
def _read_once(path: Path, _mtime: int, _size: int) -> Report:
    return read(path)


def from_environment() -> Report | None:
    """The report named by ``NETDOCS_KIND_REPORT`` (read once per build), or ``None``."""
    value = os.environ.get(REPORT_ENV, "").strip()
    if not value:
        return None
    path = Path(value).resolve()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ReportError(f"{REPORT_ENV}={value}: no such file; run `nox -s kind` to produce the report") from None
    return _read_once(path, stat.st_mtime_ns, stat.st_size)
