"""Per-example bundles: every example is published as one archive of its files, with a
README giving the commands to apply and to clean up, and the example box links it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from netdocs.dev import builtsite
from netdocs.examples import Example, load_examples
from netdocs.site import bundles, macros, publish

EXAMPLES = load_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_bundle_holds_every_file_byte_for_byte_and_a_readme(example: Example) -> None:
    archive = zipfile.ZipFile(io.BytesIO(bundles.build_bundle(example)))
    assert sorted(archive.namelist()) == sorted(
        [f"{example.name}/README.md", *(f"{example.name}/{p.name}" for p in example.files)]
    )
    for path in example.files:
        assert archive.read(f"{example.name}/{path.name}") == path.read_bytes()
    readme = archive.read(f"{example.name}/README.md").decode("utf-8")
    for command in [*bundles.apply_commands(example), *bundles.cleanup_commands(example)]:
        assert f"    {command}\n" in readme
    assert example.meta.title("en") in readme
    assert example.meta.title("zh") in readme


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_commands_name_files_of_the_example(example: Example) -> None:
    names = {p.name for p in example.files}
    commands = bundles.apply_commands(example) + bundles.cleanup_commands(example)
    assert commands, "an example with nothing to apply"
    for command in commands:
        files = [word for word in command.split() if word.endswith((".sh", ".yaml"))]
        assert set(files) <= names, command


# How a reader runs each kind of file; a README command naming a file must use it.
RUNS_WITH = {".sh": "bash", ".py": "python3"}
_NAMED_FILE = re.compile(r"[\w.-]+\.(?:sh|py|yaml)\b")


def _readme_commands(readme: str) -> list[str]:
    """Commands as the README shows them: indented code lines, and every `code span` that names a file."""
    commands = [line[4:] for line in readme.splitlines() if line.startswith("    ") and line.strip()]
    return commands + [span for span in re.findall(r"`([^`]+)`", readme) if _NAMED_FILE.search(span)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_readme_command_names_a_file_of_the_bundle_with_its_interpreter(example: Example) -> None:
    archive = zipfile.ZipFile(io.BytesIO(bundles.build_bundle(example)))
    readme = archive.read(f"{example.name}/README.md").decode("utf-8")
    shipped = {name.split("/", 1)[1] for name in archive.namelist()}
    commands = _readme_commands(readme)
    assert commands, f"{example.name}/README.md lists no command"
    for command in commands:
        words = command.split()
        for i, word in enumerate(words):
            if not _NAMED_FILE.fullmatch(word):
                continue
            assert word in shipped, f"{example.name}/README.md: `{command}` names {word}, which the bundle lacks"
            runner = RUNS_WITH.get(Path(word).suffix)
            if runner and (i == 0 or words[i - 1] != "-f"):
                assert words[i - 1 : i] == [runner], f"{example.name}/README.md: `{command}`: run {word} with {runner}"
    runs_python = example.python_files or any("python3 " in p.read_text(encoding="utf-8") for p in example.scripts)
    if runs_python:
        assert "pip install kubernetes==" in readme, f"{example.name}/README.md: Python steps without their pip line"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_readme_says_what_you_need_and_what_to_change_in_both_languages(example: Example) -> None:
    readme = bundles.readme(example)
    assert "## What you need, what to change / 所需条件与需要修改之处" in readme
    for need in example.meta.kind.requires:
        assert bundles.NEEDS[need]("en") in readme
        assert bundles.NEEDS[need]("zh") in readme
    for name in bundles.class_variables(example):
        assert f"`{name}`: {bundles.CLASS_VARIABLES[name]('en')}" in readme
        assert f"`{name}`：{bundles.CLASS_VARIABLES[name]('zh')}" in readme


@pytest.mark.parametrize("script", [p for e in EXAMPLES for p in e.scripts], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_script_stops_at_the_first_error(script: Path) -> None:
    first = script.read_text(encoding="utf-8").splitlines()[0]
    assert first == "set -euo pipefail", f"snippets/{script.parent.name}/{script.name}:1: start with set -euo pipefail"


# A class name in a manifest, and the variable the steps read it from instead.
_CLASS_FIELDS = {
    "gatewayClassName": ("GATEWAY_CLASS", "gatewayclass"),
    "ingressClassName": ("INGRESS_CLASS", "ingressclass"),
}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_class_names_come_from_variables_checked_against_the_cluster(example: Example) -> None:
    steps = "\n".join(p.read_text(encoding="utf-8") for p in example.scripts)
    for manifest in example.manifests:
        for field, (variable, resource) in _CLASS_FIELDS.items():
            found = re.search(rf"^\s*{field}: (\S+)$", manifest.read_text(encoding="utf-8"), re.M)
            if not found:
                continue
            where = f"snippets/{example.name}"
            assert bundles.class_variables(example).get(variable) == found.group(1), (
                f"{where}: {manifest.name} names {field} {found.group(1)}; the steps must read it from "
                f"${{{variable}:-{found.group(1)}}}"
            )
            assert f'kubectl get {resource} "${variable}"' in steps, f"{where}: no check that {variable} exists"
            assert (
                f's/{field}: {found.group(1)}/{field}: ${variable}/" {manifest.name} | kubectl apply -f -' in steps
            ), f"{where}: apply {manifest.name} with the class from {variable}"
            assert not re.search(rf"kubectl apply[^\n]*-f {re.escape(manifest.name)}", steps), (
                f"{where}: {manifest.name} applied as is, with the kind class"
            )


def test_bundles_are_reproducible() -> None:
    example = EXAMPLES[0]
    assert bundles.build_bundle(example) == bundles.build_bundle(example)


def test_example_without_steps_applies_and_deletes_its_manifests(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "example.toml").write_text(
        '[title]\nen = "Demo"\nzh = "演示"\n[summary]\nen = "A demo."\nzh = "一个演示。"\n[kind]\ncleanup = ""\n'
    )
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
    example = Example("demo", folder)
    assert bundles.apply_commands(example) == ["kubectl apply -f a.yaml -f b.yaml"]
    assert bundles.cleanup_commands(example) == ["kubectl delete -f b.yaml -f a.yaml --ignore-not-found"]


def test_write_if_changed_leaves_equal_files_alone(tmp_path: Path) -> None:
    target = tmp_path / "x.zip"
    assert publish.write_if_changed(target, b"one")
    assert not publish.write_if_changed(target, b"one")
    assert publish.write_if_changed(target, b"two")
    assert target.read_bytes() == b"two"


def test_built_site_publishes_each_bundle_and_links_it() -> None:
    site = builtsite.built()
    problems = []
    linked = " ".join(page.html for page in site.pages)
    for example in EXAMPLES:
        published = site.root / "snippets" / bundles.bundle_name(example)
        if not published.is_file() or published.read_bytes() != bundles.build_bundle(example):
            problems.append(f"snippets/{bundles.bundle_name(example)} is missing or stale")
    shown = [e for e in EXAMPLES if f"snippets/{e.name}/" in linked]
    problems += [
        f"{e.name}: its example box has no link to {bundles.bundle_name(e)}"
        for e in shown
        if f'snippets/{bundles.bundle_name(e)}" download' not in linked
    ]
    assert problems == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_example_box_warns_about_what_it_exposes(lang: str) -> None:
    example = next(e for e in EXAMPLES if e.meta.exposes)
    page = "x.zh.md" if lang == "zh" else "x.md"
    box = macros.render_example(example.name, page, "x/")
    title = f'!!! warning "{macros.LABELS[lang]["exposes"]}"'
    assert title in box, box
    assert example.meta.exposes(lang) in box.split(title, 1)[1], box
