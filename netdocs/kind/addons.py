"""What goes onto a fresh cluster, in order: the install plan (pure data, tested offline).

1. Gateway API CRDs, Standard channel, at the pinned release (server-side apply: the CRDs
   are too large for a client-side apply's annotation).
2. cloud-provider-kind as a container on the ``kind`` Docker network with the Docker socket
   mounted, as its README shows; it serves LoadBalancer Services, Ingress and Gateways. It
   installs Gateway API CRDs only when they are missing, so ours (step 1) are the ones used.
3. The images the examples run, preloaded into every node with ``kind load image-archive``
   from a single-platform archive (kind's documented workaround for the containerd image
   store's "content digest not found").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from netdocs import pins
from netdocs.check.yamldocs import load

Command = tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    name: str
    commands: tuple[Command, ...]


def socket_path(docker_host: str) -> str:
    """The Docker socket to mount into cloud-provider-kind, from the daemon's endpoint."""
    parts = urlsplit(docker_host or "unix:///var/run/docker.sock")
    if parts.scheme != "unix":
        raise ValueError(f"cloud-provider-kind needs the daemon's unix socket, and Docker is at {docker_host}")
    return parts.path


def pod_images(obj: Any) -> set[str]:
    """Images of every container and init container an object's Pod template runs."""
    if not isinstance(obj, dict):
        return set()
    spec = obj.get("spec") or {}
    if obj.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    pod = spec if obj.get("kind") == "Pod" else ((spec.get("template") or {}).get("spec") or {})
    containers = [*(pod.get("containers") or []), *(pod.get("initContainers") or [])]
    return {c["image"] for c in containers if isinstance(c, dict) and isinstance(c.get("image"), str)}


def images_to_preload(manifests: Iterable[Path]) -> list[str]:
    found = {pins.AGNHOST}
    for path in manifests:
        documents, _ = load(path)
        for doc in documents:
            found |= pod_images(doc.data)
    return sorted(found)


def install_plan(
    *, cluster: str, kubectl: tuple[str, ...], kind: str, images: list[str], socket: str, arch: str, archives: Path
) -> list[Stage]:
    """The stages, in order. ``kubectl`` is the base command with the cluster's kubeconfig."""
    crds = Stage(
        "gateway-api-crds",
        (
            (*kubectl, "apply", "--server-side", "--force-conflicts", "-f", pins.GATEWAY_API_URL),
            (
                *kubectl,
                "wait",
                "--for=condition=Established",
                "--timeout=120s",
                *(f"crd/{c}" for c in pins.GATEWAY_API_CRDS),
            ),
        ),
    )
    run = ("docker", "run", "--detach", "--name", pins.CLOUD_PROVIDER_KIND_CONTAINER, "--network", "kind")
    provider = Stage(
        "cloud-provider-kind",
        (
            ("docker", "pull", pins.CLOUD_PROVIDER_KIND_IMAGE),
            (
                *run,
                "--volume",
                f"{socket}:/var/run/docker.sock",
                pins.CLOUD_PROVIDER_KIND_IMAGE,
                f"--gateway-channel={pins.GATEWAY_API_CHANNEL}",
            ),
        ),
    )
    platform = f"linux/{arch}"
    loads: list[Command] = []
    for index, image in enumerate(images):
        archive = str(archives / f"image-{index}.tar")
        loads += [
            ("docker", "pull", "--platform", platform, image),
            ("docker", "image", "save", "--platform", platform, "--output", archive, image),
            (kind, "load", "image-archive", archive, "--name", cluster),
        ]
    return [crds, provider, Stage("images", tuple(loads))]
