"""What goes onto a fresh cluster, in order: the install plan (pure data, tested offline).

1. Gateway API CRDs, the complete set of the pinned release: its Standard channel, plus the
   CRDs only its Experimental channel has (TCPRoute, UDPRoute, ...), server-side (the CRDs are
   too large for a client-side apply's annotation). cloud-provider-kind creates each CRD of its
   own embedded release that does not exist yet (``pkg/gateway/crd_manager.go``: Create, and
   AlreadyExists is skipped), so with the complete set in place first it adds none of another
   release; the tier then verifies every Gateway API CRD's bundle-version.
2. cloud-provider-kind as a container on the ``kind`` Docker network with the Docker socket
   mounted, as its README shows; it serves LoadBalancer Services, Ingress and Gateways.
3. The images the examples run (a lane of their own, beside 1 and 2: nodes and API server are
   independent), preloaded into every node with ``kind load image-archive``
   from a single-platform archive (kind's documented workaround for the containerd image
   store's "content digest not found").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from netdocs import pins
from netdocs.check.yamldocs import load
from netdocs.kind import limits
from netdocs.kind.limits import Limit

Command = tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    name: str
    commands: tuple[Command, ...]
    timeouts: tuple[Limit, ...]  # each command's limit (and typical duration), in order
    provides: tuple[str, ...] = ()  # capabilities missing when it fails (preloading is only an optimisation)
    lane: str = "main"  # stages of one lane run in order; lanes run side by side

    @property
    def worst(self) -> float:
        return sum(limit.seconds for limit in self.timeouts)

    @property
    def typical(self) -> float:
        return sum(limit.typical for limit in self.timeouts)


GATEWAY_API_GROUPS = ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io")
BUNDLE = "gateway.networking.k8s.io/bundle-version"


def crds_beyond(standard: str, experimental: str) -> str:
    """The CRDs of a release's experimental install that its standard install lacks, as YAML.

    Together with the standard install they are the release's complete set.
    """
    have = {d["metadata"]["name"] for d in yaml.safe_load_all(standard) if isinstance(d, dict)}
    rest = [
        d
        for d in yaml.safe_load_all(experimental)
        if isinstance(d, dict) and d.get("kind") == "CustomResourceDefinition" and d["metadata"]["name"] not in have
    ]
    return yaml.safe_dump_all(rest, sort_keys=False)


def foreign_crds(crds: list[dict[str, Any]], version: str) -> list[str]:
    """Gateway API CRDs on the cluster that do not carry ``version`` as their bundle-version."""
    return [
        f"{crd['metadata']['name']} ({(crd['metadata'].get('annotations') or {}).get(BUNDLE, 'no bundle-version')})"
        for crd in crds
        if crd.get("spec", {}).get("group") in GATEWAY_API_GROUPS
        and (crd["metadata"].get("annotations") or {}).get(BUNDLE) != version
    ]


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
    *,
    cluster: str,
    kubectl: tuple[str, ...],
    kind: str,
    images: list[str],
    socket: str,
    arch: str,
    archives: Path,
    rest_of_gateway_api: Path,
) -> list[Stage]:
    """The stages, in order. ``kubectl`` is the base command with the cluster's kubeconfig;
    ``rest_of_gateway_api`` holds :func:`crds_beyond` of the pinned release."""
    apply = (*kubectl, "apply", "--server-side", "--force-conflicts", "-f")
    crds = Stage(
        "gateway-api-crds",
        (
            (*apply, pins.GATEWAY_API_URL),
            (*apply, str(rest_of_gateway_api)),
            (
                *kubectl,
                "wait",
                "--for=condition=Established",
                f"--timeout={limits.ESTABLISHED.seconds - 5:.0f}s",
                *(f"crd/{c}" for c in pins.GATEWAY_API_CRDS),
            ),
        ),
        (limits.DOWNLOAD_APPLY, limits.APPLY, limits.ESTABLISHED),
        provides=("gateway-api",),
        lane="cluster-api",
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
        (limits.PULL, limits.START),
        provides=("gateway-api", "ingress", "loadbalancer"),
        lane="cluster-api",
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
    per_image = (limits.PULL, limits.SAVE, limits.LOAD_INTO_NODES) * len(images)
    return [crds, provider, Stage("images", tuple(loads), per_image, lane="images")]
