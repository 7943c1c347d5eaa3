"""Per-example bundles: every example is published as one archive of its files, with a
README giving the commands to apply and to clean up, and the example box links it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from netdocs.dev import builtsite
from netdocs.examples import Example, load_examples
from netdocs.site import bundles, macros

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
    assert bundles.write_if_changed(target, b"one")
    assert not bundles.write_if_changed(target, b"one")
    assert bundles.write_if_changed(target, b"two")
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
    warning = f'    !!! warning "{macros.LABELS[lang]["exposes"]}"\n\n        {example.meta.exposes(lang)}\n'
    assert warning in box, box
