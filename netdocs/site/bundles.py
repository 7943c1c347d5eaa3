"""Per-example bundles: one .zip with every file of an example and a README to apply it.

Readers who want the whole example, not one manifest at a time, download
``snippets/<example>.zip``. The archive holds the same bytes as the snippet files (what the
offline checks and the kind tier tested) under a folder named after the example, plus a
short bilingual README with the commands to apply and to clean up. The archive is
reproducible: fixed timestamps and order, so an unchanged example gives identical bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from netdocs.examples import Example

# 1980-01-01 is the earliest time a zip entry can carry; a fixed time keeps bundles reproducible.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_HEADINGS = {
    "apply": "Apply / 应用",
    "cleanup": "Clean up / 清理",
    "optional": "Optional steps / 可选步骤",
}


def bundle_name(example: Example) -> str:
    """The archive's file name, published at ``snippets/<name>.zip`` beside the example folder."""
    return f"{example.name}.zip"


def apply_commands(example: Example) -> list[str]:
    """The commands that apply the example: its kind steps, exactly as the kind tier runs them.

    An example without steps is applied manifest by manifest in file order.
    """
    if steps := example.meta.kind.steps:
        return [f"bash {step}" for step in steps]
    return ["kubectl apply " + " ".join(f"-f {p.name}" for p in example.manifests)] if example.manifests else []


def cleanup_commands(example: Example) -> list[str]:
    """The commands that delete what the example created."""
    cleanup = example.meta.kind.cleanup
    if cleanup and any(p.name == cleanup for p in example.scripts):
        return [f"bash {cleanup}"]
    files = " ".join(f"-f {p.name}" for p in reversed(example.manifests))
    return [f"kubectl delete {files} --ignore-not-found"] if example.manifests else []


def readme(example: Example) -> str:
    """The README inside the bundle, in English and Chinese."""
    meta = example.meta
    lines = [
        f"# {meta.title('en')}",
        "",
        f"{meta.title('zh')}",
        "",
        meta.summary("en"),
        "",
        meta.summary("zh"),
        "",
        "Run the commands from this folder, in the namespace of your choice",
        "(`kubectl config set-context --current --namespace=NAME`).",
        "在此目录中、在你选择的命名空间里运行以下命令。",
        "",
        f"## {_HEADINGS['apply']}",
        "",
        *(f"    {command}" for command in apply_commands(example)),
        "",
    ]
    if manual := meta.kind.manual:
        lines += [f"## {_HEADINGS['optional']}", ""]
        for script, why in manual.items():
            lines += [f"- `bash {script}`: {why('en')} / {why('zh')}"]
        lines.append("")
    lines += [
        f"## {_HEADINGS['cleanup']}",
        "",
        *(f"    {command}" for command in cleanup_commands(example)),
        "",
        "## Files / 文件",
        "",
        *(f"- {p.name}" for p in example.files),
        "",
    ]
    return "\n".join(lines)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_bundle(example: Example) -> bytes:
    """The zip archive's bytes: ``<name>/README.md`` and every snippet file, byte for byte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry(f"{example.name}/README.md"), readme(example).encode("utf-8"))
        for path in example.files:
            archive.writestr(_entry(f"{example.name}/{path.name}"), path.read_bytes())
    return buffer.getvalue()


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so repeated builds (and live reload) stay cheap."""
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True
