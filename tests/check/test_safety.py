"""Examples are copied into real clusters: servers only answer, and whatever an example makes
reachable from outside the cluster is named in a warning, in both languages, with how to remove it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netdocs.check import safety
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import load
from netdocs.examples import Example, load_examples
from netdocs.paths import display

EXAMPLES = load_examples()
HAN = re.compile(r"[\u4e00-\u9fff]")


def _exposures(example: Example) -> list[str]:
    return [
        f"{display(path)}: {what}"
        for path in example.manifests
        for doc in load(path)[0]
        for what in safety.exposures(doc)
    ]


def _findings(tmp_path: Path, container: str) -> list[str]:
    path = tmp_path / "pod.yaml"
    path.write_text(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n{container}")
    return [str(f) for doc in load(path)[0] for f in safety.check(doc)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_what_an_example_exposes_is_a_warning_in_both_languages(example: Example) -> None:
    exposed = _exposures(example)
    warning = example.meta.exposes
    where = display(example.folder / "example.toml")
    if not exposed:
        assert warning is None, f"{where}: [exposes] but nothing here is reachable from outside the cluster"
        return
    assert warning is not None, (
        f"{where}: add [exposes] (en and zh): what is reachable from outside the cluster and how to remove it; "
        "it exposes " + "; ".join(exposed)
    )
    assert warning.en.strip(), f"{where}: exposes.en is empty"
    assert not HAN.search(warning.en), f"{where}: exposes.en must be English text"
    assert HAN.search(warning.zh), f"{where}: exposes.zh must be Chinese text"
    for text in (warning.en, warning.zh):
        assert "cleanup.sh" in text or "kubectl delete" in text, f"{where}: [exposes] must say how to remove it"


def test_every_exposing_kind_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: NodePort\n"
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  externalIPs: [203.0.113.1]\n"
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: c\nspec:\n  type: ClusterIP\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: d\nspec:\n  hostNetwork: true\n  containers:\n"
        "    - name: x\n      ports:\n        - containerPort: 80\n          hostPort: 8080\n"
    )
    found = [what for doc in load(path)[0] for what in safety.exposures(doc)]
    assert found == [
        "Service a: type NodePort",
        "Service b: externalIPs",
        "Pod d: hostNetwork",
        "Pod d: hostPort 8080",
    ]


@pytest.mark.parametrize(
    "container",
    [
        '    - name: a\n      image: agnhost\n      args: ["netexec", "--http-override=/hostname"]\n',
        '    - name: a\n      image: agnhost\n      args: ["netexec", "--http-override", "/echo?msg=hi"]\n',
        '    - name: a\n      image: agnhost\n      args: ["serve-hostname", "--port=8080"]\n',
        '    - name: a\n      image: agnhost\n      args: ["no-snat-test"]\n'
        '      env:\n        - name: HTTP_PROXY\n          value: "http://127.0.0.1:9"\n',
        '    - name: a\n      image: busybox\n      command: ["sh", "-c", "nc -l -p 80 < /etc/motd"]\n',
    ],
)
def test_servers_that_only_answer_pass(tmp_path: Path, container: str) -> None:
    assert _findings(tmp_path, container) == []


@pytest.mark.parametrize(
    ("container", "fragment"),
    [
        ('    - name: a\n      image: agnhost\n      args: ["netexec"]\n', "serves /shell"),
        ('    - name: a\n      command: ["/agnhost", "netexec", "--http-port=80"]\n', "serves /shell"),
        ('    - name: a\n      image: agnhost\n      args: ["netexec", "--http-override=/upload"]\n', "/upload"),
        ('    - name: a\n      image: agnhost\n      args: ["no-snat-test"]\n', "HTTP_PROXY"),
        ('    - name: a\n      image: agnhost\n      args: ["test-webserver"]\n', "every file"),
        ('    - name: a\n      command: ["socat", "TCP-LISTEN:80,fork", "EXEC:/bin/sh"]\n', "socat"),
    ],
)
def test_servers_that_act_for_their_caller_fail_with_file_and_line(
    tmp_path: Path, container: str, fragment: str
) -> None:
    found = _findings(tmp_path, container)
    assert len(found) == 1, found
    assert fragment in found[0], found
    assert re.match(rf".*pod\.yaml:\d+:\d+: error\[{Rule.UNSAFE_SERVER}\]: container 'a': ", found[0]), found[0]
