"""Running commands for the kind tier: every command and its output goes to a log file.

A failure is one line (the command and the last thing it said); the full output is in the
log, which the tier keeps under ``reports/kind-logs/``.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netdocs.kind import limits
from netdocs.kind.placeholders import NotReady, Obj
from netdocs.kind.preflight import kubectl_path
from netdocs.kind.waits import label_selector


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    duration: float


class CommandFailed(Exception):
    """A command that had to succeed did not; one line with the command and its last words."""

    def __init__(self, result: Result) -> None:
        said = next(
            (line.strip() for line in reversed((result.stderr or result.stdout).splitlines()) if line.strip()),
            "no output",
        )
        super().__init__(f"`{shlex.join(result.argv)}` exited {result.returncode}: {said}")
        self.result = result


class Commands:
    def __init__(self, log: Path | None = None) -> None:
        self.log = log
        if log:
            log.parent.mkdir(parents=True, exist_ok=True)

    def note(self, text: str) -> None:
        if self.log:
            with self.log.open("a", encoding="utf-8") as out:
                out.write(text.rstrip("\n") + "\n")

    def run(
        self,
        argv: Sequence[str],
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = limits.KUBECTL.seconds,  # a quick query; anything longer passes its own limit
        check: bool = True,
        stdin: str | None = None,
    ) -> Result:
        start = time.monotonic()
        try:
            done = subprocess.run(
                list(argv), cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
            )
            code, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as exc:
            code, err = 124, f"timed out after {timeout:.0f} s"
            out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        except FileNotFoundError:
            code, out, err = 127, "", f"{argv[0]}: command not found"
        result = Result(tuple(argv), code, out, err, time.monotonic() - start)
        where = f" (in {cwd})" if cwd else ""
        self.note(f"$ {shlex.join(argv)}{where}\n{out}{err}[exit {code}, {result.duration:.1f} s]\n")
        if check and code != 0:
            raise CommandFailed(result)
        return result


class Kubectl:
    """kubectl with the tier's kubeconfig, optionally pinned to a namespace."""

    def __init__(self, commands: Commands, kubeconfig: Path, namespace: str | None = None) -> None:
        self.commands = commands
        self.kubeconfig = kubeconfig
        self.namespace = namespace

    @property
    def base(self) -> tuple[str, ...]:
        ns = ("--namespace", self.namespace) if self.namespace else ()
        return (kubectl_path(), "--kubeconfig", str(self.kubeconfig), *ns)

    def in_namespace(self, namespace: str | None) -> Kubectl:
        return Kubectl(self.commands, self.kubeconfig, namespace)

    def __call__(self, *args: str, **kw: Any) -> Result:
        return self.commands.run([*self.base, *args], **kw)

    def json(self, *args: str) -> Any:
        return json.loads(self("get", *args, "-o", "json", timeout=limits.KUBECTL.seconds).stdout)

    def get(self, resource: str, name: str) -> Obj:
        """One object; ``NotReady`` while it does not exist (a controller may create it soon)."""
        result = self("get", resource, name, "-o", "json", "--ignore-not-found", timeout=limits.KUBECTL.seconds)
        if not result.stdout.strip():
            raise NotReady(f"{resource}/{name} does not exist (yet)")
        return json.loads(result.stdout)


class KubectlLookup:
    """The placeholders' view of the cluster (see ``placeholders.Lookup``)."""

    def __init__(self, kubectl: Kubectl) -> None:
        self.kubectl = kubectl

    def service(self, name: str) -> Obj:
        return self.kubectl.get("service", name)

    def ingress(self, name: str) -> Obj:
        return self.kubectl.get("ingress.networking.k8s.io", name)

    def gateway(self, name: str) -> Obj:
        return self.kubectl.get("gateway.gateway.networking.k8s.io", name)

    def nodes(self) -> list[Obj]:
        return list(self.kubectl.in_namespace(None).json("nodes")["items"])

    def pods_of(self, deployment: str) -> list[Obj]:
        selector = self.kubectl.get("deployment", deployment)["spec"]["selector"].get("matchLabels") or {}
        return list(self.kubectl.json("pods", "-l", label_selector(selector))["items"])

    def pod(self, name: str) -> Obj:
        return self.kubectl.get("pod", name)
