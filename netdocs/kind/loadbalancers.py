"""The Docker containers cloud-provider-kind runs as load balancers, found one way: by the labels it sets.

cloud-provider-kind labels each load-balancer container with ``<cluster>/<namespace>/<name>``
of the Service or Gateway it serves (:data:`netdocs.pins.LB_LABELS`). Log export, the
per-example leftover check and cluster deletion all ask :func:`containers`.
"""

from __future__ import annotations

from netdocs import pins
from netdocs.kind import limits
from netdocs.kind.commands import Commands


def owned(listing: str, cluster: str, namespace: str | None = None) -> list[str]:
    """Container names from ``docker ps --format '{{.Names}} {{.Label ...}}'`` lines owned by
    ``cluster`` (and ``namespace``, when given)."""
    found = []
    for line in listing.splitlines():
        name, _, owner = line.strip().partition(" ")
        parts = owner.split("/")
        if name and parts[0] == cluster and (namespace is None or parts[1:2] == [namespace]):
            found.append(name)
    return found


def containers(docker: Commands, cluster: str, namespace: str | None = None) -> list[str]:
    """Load-balancer containers of ``cluster`` (of one namespace of it, when given), running or not."""
    found: list[str] = []
    for label in pins.LB_LABELS:
        template = f'{{{{.Names}}}} {{{{.Label "{label}"}}}}'
        listing = docker.run(
            ["docker", "ps", "--all", "--filter", f"label={label}", "--format", template],
            check=False,
            timeout=limits.KUBECTL.seconds,
        ).stdout
        found += [name for name in owned(listing, cluster, namespace) if name not in found]
    return found
