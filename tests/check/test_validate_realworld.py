"""``nox -s validate`` on real-world manifests: no false alarms, one line per problem, CI-friendly output.

Each false-alarm class of issue 16 has an upstream-style file in tests/check/corpora/kubernetes-io/;
the folder holds several independent examples, as upstream folders do.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netdocs.check.findings import Severity, errors
from netdocs.check.validate import run
from netdocs.cli import main
from netdocs.paths import TESTS, display

CORPUS = TESTS / "check" / "corpora" / "kubernetes-io"
SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n{namespace}spec:\n  ports:\n    - port: 80\n"


def _cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["validate", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_upstream_style_folder_of_independent_examples_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, CORPUS)
    assert code == 0, out
    assert f"{display(CORPUS)}/: valid for Kubernetes 1.30-1.37" in err
    severities = {line.split(": ")[1].split("[")[0] for line in out.splitlines()}
    assert severities <= {"warning", "note"}, out


def test_custom_resource_is_checked_against_the_crd_among_the_files() -> None:
    found = run([CORPUS]).findings
    assert not [f for f in found if f.file.endswith("my-crontab.yaml")], "\n".join(map(str, found))
    broken = run([CORPUS / "crontab-crd.yaml", CORPUS / "my-crontab.yaml"]).findings
    assert not broken
    alone = run([CORPUS / "my-crontab.yaml"]).findings  # without its CRD: not checked, a warning
    assert [(f.rule, f.severity) for f in alone] == [("schema-unknown-kind", Severity.WARNING)]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.yaml")))
def test_each_upstream_style_file_passes_alone(name: str) -> None:
    bad = errors(run([CORPUS / name]).findings)
    assert not bad, "\n".join(map(str, bad))


def test_references_outside_the_files_checked_are_notes_and_errors_when_self_contained() -> None:
    service = CORPUS / "service-without-pods.yaml"
    (note,) = run([service]).findings
    assert (note.rule, note.severity) == ("service-selects-nothing", Severity.NOTE)
    assert note.message.endswith("fine if its Pods come from elsewhere"), note.message
    (error,) = run([service], self_contained=True).findings
    assert (error.rule, error.severity, error.line) == ("service-selects-nothing", Severity.ERROR, 6)


def test_custom_resource_without_its_crd_warns_and_fails_only_when_strict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, CORPUS / "certificate.yaml")
    assert code == 0
    assert "warning[schema-unknown-kind]: no schema for Certificate in cert-manager.io/v1" in out
    assert "--crd" in out
    code, out, _ = _cli(capsys, "--strict", CORPUS / "certificate.yaml")
    assert code == 1
    assert "error[schema-unknown-kind]" in out


def test_misspelled_built_in_kind_is_still_an_error(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("apiVersion: networking.k8s.io/v1\nkind: NetworkPolcy\nmetadata:\n  name: p\n")
    (finding,) = run([path]).findings
    assert (finding.rule, finding.severity, finding.line) == ("schema-unknown-kind", Severity.ERROR, 2)


def test_duplicates_are_keyed_by_namespace_and_scoped(tmp_path: Path) -> None:
    team = tmp_path / "teams.yaml"
    team.write_text(SERVICE.format(namespace="  namespace: team-a\n") + "---\n" + SERVICE.format(namespace=""))
    assert not run([team]).findings  # team-a/web and (default)/web are two objects
    same = tmp_path / "same.yaml"
    same.write_text(SERVICE.format(namespace="") + "---\n" + SERVICE.format(namespace=""))
    (error,) = run([same]).findings
    assert (error.rule, error.severity, error.line) == ("duplicate-object", Severity.ERROR, 12)
    other = tmp_path / "variants"
    other.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (other / name).write_text(SERVICE.format(namespace=""))
    (note,) = run([other]).findings  # two files may be variants of one example
    assert (note.rule, note.severity, note.file) == ("duplicate-object", Severity.NOTE, display(other / "b.yaml"))
    assert [f.severity for f in run([other], self_contained=True).findings] == [Severity.ERROR]


def test_list_items_are_checked_at_their_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    text = (CORPUS / "list.yaml").read_text().replace("replicas: 1", "replicas: -1")
    path.write_text(text)
    (finding,) = run([path]).findings
    assert finding.line == text.splitlines().index("      replicas: -1") + 1
    assert finding.rule == "value-range"
    assert finding.message.startswith("List items[1]: spec.replicas: -1 must be greater than or equal to 0")


def test_symlink_loop_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink(tmp_path / "b.yaml", tmp_path / "a.yaml")
    os.symlink(tmp_path / "a.yaml", tmp_path / "b.yaml")
    os.symlink(tmp_path, tmp_path / "again")  # a folder link back up the tree is walked once
    (tmp_path / "service.yaml").write_text(SERVICE.format(namespace=""))
    code, out, err = _cli(capsys, tmp_path)
    assert code == 2
    assert out.splitlines() == [
        f"{tmp_path / name}:1:1: error[input]: symbolic link that leads nowhere readable (Too many levels of "
        "symbolic links); fix or remove the link"
        for name in ("a.yaml", "b.yaml")
    ]
    assert "2 path(s) could not be checked" in err


def test_valid_for_only_where_there_is_no_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "service.yaml").write_text(SERVICE.format(namespace="").replace("port: 80", "port: 0"))
    code, _, err = _cli(capsys, tmp_path)
    assert code == 1
    assert "valid for" not in err


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "service.yaml"
    path.write_text(SERVICE.format(namespace="").replace("port: 80", "port: 70000"))
    code, out, _ = _cli(capsys, "--format", "json", path)
    report = json.loads(out)
    assert code == 1
    assert report["counts"] == {"error": 1, "warning": 0, "note": 0}
    assert report["valid_for"] == {}
    (finding,) = report["findings"]
    assert finding | {"message": ""} == {
        "file": str(path),
        "line": 7,
        "column": 7,
        "severity": "error",
        "rule": "port-range",
        "message": "",
    }


def test_github_format_annotates_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "service.yaml"
    path.write_text(SERVICE.format(namespace="").replace("port: 80", "port: 70000"))
    code, out, _ = _cli(capsys, "--format", "github", path)
    assert code == 1
    assert out.splitlines() == [
        f"::error file={path},line=7,col=7,title=port-range::spec.ports[0].port: port 70000 is out of range; "
        "must be between 1 and 65535"
    ]
