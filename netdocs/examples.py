"""The inventory: every example folder in ``snippets/``, its files, and the pages that use them.

Like the Kubernetes website's examples test, the inventory is the single list the tests
walk: a file no page shows, a page that names a missing file, and an en/zh page pair
that shows different files are all failures.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from netdocs.behaviour import Check
from netdocs.bilingual import Text
from netdocs.paths import DOCS, SNIPPETS, display

SNIPPET_SUFFIXES = (".yaml", ".sh", ".py")
META_FILE = "example.toml"

# A macro call in a page: {{ snippet("clusterip/service.yaml", ...) }}
_SNIPPET_CALL = re.compile(r"""\bsnippet\(\s*["']([^"']+)["']""")


Capability = Literal["loadbalancer", "ingress", "gateway-api", "networkpolicy", "zones"]


class Breaks(BaseModel):
    """A rule the example breaks on purpose, to teach it; the tests assert that it fires."""

    model_config = ConfigDict(extra="forbid")
    rule: str
    why: Text


class KindPlan(BaseModel):
    """How the kind tier runs the example."""

    model_config = ConfigDict(extra="forbid")
    steps: list[str] = Field(
        default_factory=list,
        description="shell (or Python) files run in order, exactly as pages show them; "
        "Python files not named here or in manual run after the steps",
    )
    manual: dict[str, Text] = Field(default_factory=dict, description="shell or Python files not run, and why")
    apply: list[str] | None = Field(
        None,
        description="manifests applied (after a server-side dry run) before the steps; "
        "default: every one no step applies itself",
    )
    cleanup: str | None = "cleanup.sh"
    requires: list[Capability] = Field(default_factory=list)
    pod_security: Literal["restricted", "baseline", "privileged"] = "restricted"
    pod_security_why: Text | None = None

    @model_validator(mode="after")
    def _relaxed_profile_says_why(self) -> KindPlan:
        if self.pod_security != "restricted" and self.pod_security_why is None:
            raise ValueError(f"pod_security = {self.pod_security!r} needs pod_security_why (en and zh)")
        return self


class Meta(BaseModel):
    """``example.toml``: what the example is, what it demonstrates, how the kind tier runs it."""

    model_config = ConfigDict(extra="forbid")
    title: Text
    summary: Text
    checks: list[Check] = Field(default_factory=list)
    breaks: list[Breaks] = Field(default_factory=list)
    kind: KindPlan = Field(default_factory=KindPlan)
    exposes: Text | None = Field(
        None,
        description="what the example makes reachable from outside the cluster (NodePort, LoadBalancer, "
        "externalIPs, hostPort, hostNetwork, Ingress, Gateway) and how to remove it; a warning in the example box",
    )


class MetaError(Exception):
    """An ``example.toml`` that cannot be read; the message names the file and the field."""


@dataclass(frozen=True)
class Example:
    name: str
    folder: Path

    @cached_property
    def meta(self) -> Meta:
        path = self.folder / META_FILE
        try:
            return Meta.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise MetaError(f"{display(path)}: missing; every example folder describes itself in {META_FILE}") from None
        except tomllib.TOMLDecodeError as exc:
            raise MetaError(f"{display(path)}: {exc}") from None
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise MetaError(f"{display(path)}: {problems}") from None

    def plan_problems(self) -> list[str]:
        """Files the kind plan forgets or names wrongly: every shell step is run or excused."""
        plan = self.meta.kind
        scripts = {p.name for p in self.scripts}
        programs = scripts | {p.name for p in self.python_files}
        manifests = {p.name for p in self.manifests}
        runnable = [*plan.steps, *plan.manual]
        named = [*runnable, *([plan.cleanup] if plan.cleanup else [])]
        where = display(self.folder / META_FILE)
        problems = [
            f"{where}: kind plan names {name}, which is not a shell or Python file here"
            for name in runnable
            if name not in programs
        ]
        if plan.cleanup and plan.cleanup not in scripts:
            problems.append(f"{where}: kind plan names {plan.cleanup}, which is not a shell file here")
        problems += [
            f"{where}: kind.apply names {name}, which is not a manifest (*.yaml) here"
            for name in plan.apply or []
            if name not in manifests
        ]
        problems += [
            f"{where}: {name} is neither in kind.steps nor in kind.manual (with a reason)"
            for name in sorted(scripts - set(named))
        ]
        return problems

    @property
    def files(self) -> list[Path]:
        """The files a page can show, in a stable order."""
        return sorted(p for p in self.folder.iterdir() if p.suffix in SNIPPET_SUFFIXES and p.is_file())

    @property
    def manifests(self) -> list[Path]:
        return [p for p in self.files if p.suffix == ".yaml"]

    @property
    def scripts(self) -> list[Path]:
        return [p for p in self.files if p.suffix == ".sh"]

    @property
    def python_files(self) -> list[Path]:
        return [p for p in self.files if p.suffix == ".py"]


def load_examples(root: Path = SNIPPETS) -> list[Example]:
    return [Example(p.name, p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def snippet_paths(root: Path = SNIPPETS) -> list[str]:
    """Every snippet as pages name it: ``<example>/<file>``."""
    return [f"{ex.name}/{f.name}" for ex in load_examples(root) for f in ex.files]


def page_language(page: Path) -> str:
    return "zh" if page.name.endswith(".zh.md") else "en"


def twin(page: Path) -> Path:
    """The same page in the other language."""
    if page.name.endswith(".zh.md"):
        return page.with_name(page.name.removesuffix(".zh.md") + ".md")
    return page.with_name(page.name.removesuffix(".md") + ".zh.md")


def pages(docs: Path = DOCS) -> list[Path]:
    return sorted(docs.rglob("*.md"))


def snippets_in(page: Path) -> list[tuple[int, str]]:
    """(line, snippet path) for each snippet a page includes, in order."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _SNIPPET_CALL.finditer(text)]


def usage(docs: Path = DOCS) -> dict[str, list[str]]:
    """snippet path -> pages (relative to docs/) that include it."""
    used: dict[str, list[str]] = {}
    for page in pages(docs):
        for _, path in snippets_in(page):
            used.setdefault(path, []).append(page.relative_to(docs).as_posix())
    return used
