"""Files Material publishes that the build fixes in place (netdocs/site/materialfiles.py)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import material
import pytest

from netdocs.site import materialfiles, palette
from netdocs.site.search import searchworker

TEMPLATES = Path(material.__file__).parent / "templates"


class Changed(Exception):
    pass


@pytest.mark.parametrize(
    ("module", "folder", "pattern"),
    [(searchworker, searchworker.WORKERS, "search.*.min.js"), (palette, palette.STYLESHEETS, "palette.*.min.css")],
)
def test_each_fix_rewrites_the_file_the_build_published(
    tmp_path: Path, module: ModuleType, folder: Path, pattern: str
) -> None:
    """The file as the pinned Material ships it, published into a site, comes out fixed under its own name."""
    (shipped,) = (TEMPLATES / folder).glob(pattern)
    published = tmp_path / folder / shipped.name
    published.parent.mkdir(parents=True)
    source = shipped.read_text(encoding="utf-8")
    published.write_text(source, encoding="utf-8")
    assert module.fix_published(tmp_path) == published
    assert published.read_text(encoding="utf-8") == module.fix(source) != source


def test_a_file_the_fix_leaves_alone_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "palette.1.min.css"
    path.write_text("fixed", encoding="utf-8")
    before = path.stat().st_mtime_ns

    def refuse(_: str) -> str:
        return "fixed"

    assert materialfiles.fix_published(tmp_path, "palette.*.min.css", refuse, Changed) == path
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize("count", [0, 2])
def test_not_exactly_one_file_raises_the_callers_error(tmp_path: Path, count: int) -> None:
    for n in range(count):
        (tmp_path / f"palette.{n}.min.css").write_text("", encoding="utf-8")
    with pytest.raises(Changed, match=r"expected one palette\.\*\.min\.css in .*, found \["):
        materialfiles.fix_published(tmp_path, "palette.*.min.css", str.upper, Changed)
