"""Per-example bundles: one .zip with every file of an example and a README to apply it.

Readers who want the whole example, not one manifest at a time, download
``snippets/<example>.zip``. The archive holds the same bytes as the snippet files (what the
offline checks and the kind tier tested) under a folder named after the example, plus a
short bilingual README: what the cluster needs and what to change for one that is not
kind, the commands to apply and to clean up, each file with the interpreter it needs. The
archive is reproducible: fixed timestamps and order, so an unchanged example gives
identical bytes.
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from functools import cache
from pathlib import Path

from netdocs import pins
from netdocs.bilingual import Text
from netdocs.examples import Example
from netdocs.paths import ROOT

# 1980-01-01 is the earliest time a zip entry can carry; a fixed time keeps bundles reproducible.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_HEADINGS = {
    "needs": "What you need, what to change / 所需条件与需要修改之处",
    "apply": "Apply / 应用",
    "cleanup": "Clean up / 清理",
    "optional": "Optional steps / 可选步骤",
    "exposes": "Reachable from outside the cluster / 可从集群外访问",
}
# The program that runs each kind of step; shell steps are bash (they use bash syntax).
INTERPRETERS = {".sh": "bash", ".py": "python3"}
_CHANNEL_ZH = {"standard": "标准", "experimental": "实验"}
# What a cluster other than the project's kind cluster must provide, per capability.
NEEDS = {
    "loadbalancer": Text(
        en="An implementation of LoadBalancer Services (a cloud controller, MetalLB; on kind: cloud-provider-kind)",
        zh="LoadBalancer Service 的实现（云控制器、MetalLB；在 kind 上为 cloud-provider-kind）",
    ),
    "ingress": Text(
        en="An ingress controller and its IngressClass (on kind: cloud-provider-kind)",
        zh="一个 Ingress 控制器及其 IngressClass（在 kind 上为 cloud-provider-kind）",
    ),
    "gateway-api": Text(
        en=f"The Gateway API {pins.GATEWAY_API_VERSION} CRDs ({pins.GATEWAY_API_CHANNEL} channel) and an "
        "implementation with a GatewayClass (on kind: cloud-provider-kind)",
        zh=f"Gateway API {pins.GATEWAY_API_VERSION} 的 CRD（{_CHANNEL_ZH[pins.GATEWAY_API_CHANNEL]}渠道）"
        "以及一个带 GatewayClass 的实现（在 kind 上为 cloud-provider-kind）",
    ),
    "networkpolicy": Text(
        en="A network plugin that enforces NetworkPolicy (kindnet, Calico, Cilium, ...)",
        zh="一个会执行 NetworkPolicy 的网络插件（kindnet、Calico、Cilium 等）",
    ),
    "zones": Text(
        en="Worker nodes in at least two zones (label topology.kubernetes.io/zone)",
        zh="分布在至少两个可用区的工作节点（标签 topology.kubernetes.io/zone）",
    ),
}
# Class names the shell steps read from the environment, with the kind cluster's class as default.
CLASS_VARIABLES = {
    "GATEWAY_CLASS": Text(
        en="the GatewayClass to use (`kubectl get gatewayclass`)",
        zh="要使用的 GatewayClass（`kubectl get gatewayclass`）",
    ),
    "INGRESS_CLASS": Text(
        en="the IngressClass to use (`kubectl get ingressclass`)",
        zh="要使用的 IngressClass（`kubectl get ingressclass`）",
    ),
}
_DEFAULTED = re.compile(r"\$\{([A-Z_]+):-([^}]*)\}")


def bundle_name(example: Example) -> str:
    """The archive's file name, published at ``snippets/<name>.zip`` beside the example folder."""
    return f"{example.name}.zip"


def run_command(name: str) -> str:
    """How a reader runs one step file: ``bash try.sh``, ``python3 ready_endpoints.py``."""
    return f"{INTERPRETERS[Path(name).suffix]} {name}"


def apply_commands(example: Example) -> list[str]:
    """The commands that apply the example: its kind steps, exactly as the kind tier runs them.

    An example without steps is applied manifest by manifest in file order.
    """
    if steps := example.meta.kind.steps:
        return [run_command(step) for step in steps]
    return ["kubectl apply " + " ".join(f"-f {p.name}" for p in example.manifests)] if example.manifests else []


def cleanup_commands(example: Example) -> list[str]:
    """The commands that delete what the example created."""
    cleanup = example.meta.kind.cleanup
    if cleanup and any(p.name == cleanup for p in example.scripts):
        return [run_command(cleanup)]
    files = " ".join(f"-f {p.name}" for p in reversed(example.manifests))
    return [f"kubectl delete {files} --ignore-not-found"] if example.manifests else []


@cache
def _pinned(package: str) -> str:
    """``package==version`` as the kind tier installs it (pyproject.toml, dependency group ``kind``)."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]
    return next(req for req in groups["kind"] if isinstance(req, str) and req.startswith(f"{package}=="))


def python_requirements(example: Example) -> list[str]:
    """pip requirements of the example's Python files (also run by its shell steps)."""
    return [_pinned("kubernetes")] if example.python_files else []


def class_variables(example: Example) -> dict[str, str]:
    """Class-name variables the example's shell steps read, with their defaults (the kind cluster's classes)."""
    found = {}
    for script in example.scripts:
        for name, default in _DEFAULTED.findall(script.read_text(encoding="utf-8")):
            if name in CLASS_VARIABLES:
                found[name] = default
    return dict(sorted(found.items()))


def _needs(example: Example) -> list[str]:
    plan = example.meta.kind
    lines = [
        "- A cluster and `kubectl` configured for it; the namespace of your choice "
        "(`kubectl config set-context --current --namespace=NAME`). / "
        "一个集群以及为它配置好的 `kubectl`；使用你选择的命名空间。",
        *(f"- {NEEDS[need]('en')} / {NEEDS[need]('zh')}" for need in plan.requires),
    ]
    if plan.pod_security != "restricted" and plan.pod_security_why:
        level, why = plan.pod_security, plan.pod_security_why
        lines.append(
            f"- A namespace whose Pod Security level admits `{level}` Pods: {why('en')} / "
            f"Pod 安全级别允许 `{level}` 的命名空间：{why('zh')}"
        )
    if requirements := python_requirements(example):
        pip = f"`pip install {' '.join(requirements)}`"
        lines.append(f"- Python 3 with the Kubernetes client: {pip} / Python 3 及 Kubernetes 客户端：{pip}")
    for name, default in class_variables(example).items():
        what = CLASS_VARIABLES[name]
        lines.append(
            f"- `{name}`: {what('en')}; default `{default}`. A class the cluster does not have stops the steps with "
            f"one line. Before the steps: `export {name}=my-class` / "
            f"`{name}`：{what('zh')}；默认为 `{default}`。集群中没有该类时，步骤会输出一行错误并停止。"
            f"运行步骤前：`export {name}=my-class`"
        )
    return lines


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
        f"## {_HEADINGS['needs']}",
        "",
        *_needs(example),
        "",
    ]
    if meta.exposes:
        lines += [f"## {_HEADINGS['exposes']}", "", meta.exposes("en"), "", meta.exposes("zh"), ""]
    lines += [
        "Run the commands from this folder. / 在此目录中运行以下命令。",
        "",
        f"## {_HEADINGS['apply']}",
        "",
        *(f"    {command}" for command in apply_commands(example)),
        "",
    ]
    if manual := meta.kind.manual:
        lines += [f"## {_HEADINGS['optional']}", ""]
        for script, why in manual.items():
            lines += [f"- `{run_command(script)}`: {why('en')} / {why('zh')}"]
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
