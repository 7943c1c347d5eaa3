"""The built site's ``snippets/`` folder: every snippet file, and one archive per example.

Pages link each snippet and each example's archive (netdocs.site.bundles). Making the archives
reads every example's model; what to publish depends only on the repository's files, so the
list of files and the archives' bytes are kept on disk under netdocs.site.sitecache.inputs_key,
and a build with nothing changed copies them without importing the models.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

from netdocs.paths import SNIPPETS
from netdocs.site import sitecache

STORE = sitecache.Store(f"snippets-published-1-{sitecache.CHECKOUT}")


def _made() -> dict[str, dict[str, str] | list[str]]:
    """The published files (relative to snippets/) and each archive's bytes (base64), made from the examples."""
    from netdocs.examples import load_examples  # the examples' models: only when something changed
    from netdocs.site import bundles

    examples = load_examples(SNIPPETS)
    files = [path.relative_to(SNIPPETS).as_posix() for example in examples for path in example.files]
    archives = {
        bundles.bundle_name(example): base64.b64encode(bundles.build_bundle(example)).decode("ascii")
        for example in examples
    }
    return {"files": files, "archives": archives}


def publish(site: Path, inputs: str | None = None) -> None:
    """Write ``site/snippets/``: the snippet files and the archives, unchanged ones left alone."""
    key = inputs or sitecache.inputs_key()
    if (published := STORE.get(key)) is None:
        published = _made()
        STORE.put(key, published)
    target = site / "snippets"
    for name in published["files"]:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SNIPPETS / name, target / name)
    for name, data in published["archives"].items():
        write_if_changed(target / name, base64.b64decode(data))
    STORE.save()


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so repeated builds (and live reload) stay cheap."""
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True
