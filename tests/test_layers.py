"""The package's architecture holds: imports run core <- check <- kind <- site; dev on the core.

A module that imports against this order fails here with its file, line and import, so a
change to one wing cannot quietly start depending on another.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from netdocs.paths import ROOT

PACKAGE = ROOT / "netdocs"
FRONT_DOOR = {"cli", "__main__"}
# What each layer may import, besides itself.
ALLOWED = {
    "core": {"core"},
    "check": {"core", "check"},
    "kind": {"core", "check", "kind"},
    "dev": {"core", "dev"},
    "site": {"core", "check", "kind", "dev", "site"},
}
MODULES = sorted(PACKAGE.rglob("*.py"))


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name inside ``netdocs`` (None for the front door)."""
    parts = module.split(".")
    if parts[0] != "netdocs":
        raise ValueError(module)
    if len(parts) == 1:
        return "core"
    if parts[1] in ALLOWED:
        return parts[1]
    return None if parts[1] in FRONT_DOOR else "core"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every ``netdocs`` module a file imports, at any depth (function-level imports too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "netdocs"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "netdocs":
            if node.module == "netdocs":  # from netdocs import check, pins: each name is a module
                found += [(node.lineno, f"netdocs.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def dotted(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_imports_follow_the_layers(path: Path) -> None:
    own = layer_of(dotted(path))
    if own is None:
        return  # the front door may import anything
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {module} ({layer_of(module)}), "
        f"but {own} may import only {', '.join(sorted(ALLOWED[own]))}"
        for line, module in imports_of(path)
        if layer_of(module) is not None and layer_of(module) not in ALLOWED[own]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_core_stays_small() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, f"netdocs/ has {len(top)} modules at the top (at most 8; move the rest into a wing): {top}"


def test_every_wing_says_what_it_must_not_import() -> None:
    for wing in ("check", "kind", "site", "dev"):
        doc = ast.get_docstring(ast.parse((PACKAGE / wing / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "import" in doc.lower(), f"netdocs/{wing}/__init__.py: the docstring says what the wing may import"


def test_a_wrong_import_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\nfrom netdocs.site import macros\n", encoding="utf-8")
    assert imports_of(bad) == [(3, "netdocs.site")]
    assert layer_of("netdocs.site.macros") == "site"
    assert "site" not in ALLOWED["check"]
