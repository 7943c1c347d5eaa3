"""Every time limit the kind tier enforces, and the typical time of each stage, in one place.

A limit is a ceiling, not a sleep: a stage that is done early moves on at once, and a stage
that reaches its ceiling has failed. The runner obeys the limits and the plan
(:mod:`netdocs.kind.plan`) adds them up: an example's deadline is the sum of its stages'
limits, and the run's budget (``--budget``) starts no example whose worst case no longer fits.

Each entry also states a *typical* duration with its basis, for the plan's ``typical:`` line.
Those are estimates for a 4-vCPU ubuntu-24.04 GitHub runner with every image preloaded (the
workflow caches the node image, cloud-provider-kind, its Envoy and the examples' agnhost), not
measurements: the first real run's logs (each command's duration is in reports/kind-logs/) must
confirm or correct them.
"""

from __future__ import annotations

from dataclasses import dataclass

from netdocs.kind.retry import Policy


@dataclass(frozen=True)
class Limit:
    seconds: float  # the ceiling the runner enforces
    typical: float  # what it usually takes: an estimate, never a measurement
    why: str  # why the ceiling is enough
    basis: str  # where the typical figure comes from


# --- one example ------------------------------------------------------------------------------

KUBECTL = Limit(
    10,
    1,
    "one request to the API server of a 3-node kind cluster, which answers in well under a second",
    "kubectl's start (~0.2 s) and one round trip to a local API server",
)
LOCAL = Limit(5, 0.2, "`kubectl config set-context` edits a file", "a process start")
EXEC = Limit(
    10,
    1,
    "`kubectl exec` opens one stream through the API server and the kubelet, then runs the round",
    "the stream's setup on a local cluster",
)
CALL = Limit(
    2,
    0.05,
    "an answered in-cluster call takes milliseconds; a round whose calls average more has failed anyway",
    "curl or dig to agnhost or CoreDNS on the same cluster",
)
WAIT = Limit(
    60,
    15,
    "images are preloaded into the nodes, so a rollout waits only for container start and the first"
    " readiness probe (every 10 s by default); cloud-provider-kind starts a load balancer's Envoy from an"
    " image pulled at setup; objects applied together converge side by side, so one window covers them all",
    "container start (~2 s), one readiness period (10 s), the EndpointSlice and address updates (~2 s)",
)
SETTLE = Limit(
    30,
    1,
    "the steps already waited for what they created (their `rollout status`); this confirms EndpointSlices"
    " and published addresses",
    "one status read per object",
)
STEP_BASE = Limit(15, 1, "a step's shell and kubectl's first start", "a process start")
STEP_CALL = Limit(
    2,
    0.3,
    "a step's limit is STEP_BASE, plus 2 s for each kubectl, curl, docker or dig it calls (about a second each;"
    " a loop's repeats share the margin), plus each call's --max-time (it may time out by design), plus one"
    " convergence window (WAIT) if it waits for workloads with `rollout status` or `kubectl wait`",
    "a kubectl call or exec on a local cluster",
)
CHECK_RESOLVE = Limit(
    10,
    1,
    "addresses a controller publishes were waited for before the checks; this covers a Pod replaced since",
    "one read per placeholder",
)
ENDPOINTS = Limit(
    15,
    1,
    "DNS answers follow EndpointSlices, which the settle stage already waited for; this confirms them",
    "one read per Service",
)
CHECK_RETRY = Limit(
    45,
    0,
    "after the waits, kube-proxy programs an endpoint within a second or two; 45 s also outlasts CoreDNS's"
    " cache (30 s in kind's Corefile) of an answer looked up by a step before the change",
    "the first round passes: the waits ran first",
)
BLOCKED_RETRY = Limit(
    30,
    0,
    "kindnet programs a new NetworkPolicy within seconds (setup verified it enforces one); a round of"
    " dropped calls takes ~10 s, so this is two or three rounds",
    "the first round holds: the policy was applied before the waits",
)
CHECKS_AT_ONCE = 8  # an example's checks run side by side: read-only calls, one phase for positives, one for negatives
CLEANUP_SCRIPT = Limit(
    30,
    3,
    "cleanup.sh's `kubectl delete -f` returns once the objects are deleted; Pods terminate in the background",
    "a few deletions",
)
LEFTOVERS = Limit(
    30,
    1,
    "what cleanup.sh deleted is gone when `kubectl delete` returns (it waits by default); this confirms it",
    "one read",
)
GONE = Limit(
    60,
    15,
    "namespace deletion waits for its Pods to stop: agnhost exits on SIGTERM, the grace period is 30 s;"
    " cloud-provider-kind removes a load balancer's container within seconds of its Service",
    "Pod termination (~5 s) and the namespace controller's sweep (~5 s)",
)

# --- setup and teardown, once per run -----------------------------------------------------------

PREFLIGHT_QUERIES = 7  # `docker version` (docker.py), then gather's docker and kubectl queries (a test counts them)
PREFLIGHT = Limit(
    30 + (PREFLIGHT_QUERIES - 1) * KUBECTL.seconds,
    2,
    "local queries: `docker version` (30 s, the Docker check's own), then docker info, ps, inspect and"
    " `kubectl version` at KUBECTL each",
    "each well under a second",
)
FETCH = Limit(
    30,
    1,
    "one download from GitHub: a Gateway API release file (~1 MB), or the kind binary (~10 MB) when the"
    " workflow's cache misses",
    "a 1 MB file",
)
QUERIES = Limit(
    3 * KUBECTL.seconds,
    1,
    "three quick queries around `kind create`: existing clusters, the Docker endpoint, the provider's old container",
    "each well under a second",
)
CREATE_CLUSTER = Limit(
    180,
    75,
    "kind starts 3 nodes from a node image the workflow loaded from its cache; kubeadm init and two joins;"
    " `--wait` covers the control plane becoming Ready",
    "kubeadm init (~30 s), two joins (~20 s), the CNI and nodes Ready (~20 s)",
)
DOWNLOAD_APPLY = Limit(30, 3, "a Gateway API release file from GitHub, applied server-side", "a 1 MB download")
APPLY = Limit(15, 2, "a server-side apply of a few CRDs", "one request per object")
ESTABLISHED = Limit(30, 2, "the API server establishes a CRD within seconds", "one status update per CRD")
PULL = Limit(
    30,
    5,
    "the image is already in Docker (loaded from the workflow's cache): pull only checks the registry's digest;"
    " on a cache miss, one ~50 MB image from registry.k8s.io takes seconds on a GitHub runner",
    "one manifest request",
)
START = Limit(15, 2, "`docker run --detach` of a pulled image", "a container start")
SAVE = Limit(30, 5, "a single-platform archive of one ~50 MB image", "writing the archive to disk")
LOAD_INTO_NODES = Limit(
    60, 15, "`kind load image-archive` imports one archive into 3 nodes' containerd", "~5 s per node"
)
LIST_IMAGES = Limit(20, 3, "asking cloud-provider-kind which load-balancer image it runs", "a container run")
VERIFY = Limit(
    60,
    10,
    "cloud-provider-kind creates its GatewayClass and IngressClass at start-up; the checks run side by side",
    "the provider's first sync",
)
SERVER_DRY_RUN = Limit(
    90,
    35,
    "76 must-fail cases through `kubectl apply --dry-run=server`, ~0.5 s each; cases not sent in time are"
    " reported not sent",
    "76 × ~0.4 s",
)
EXPORT_LOGS = Limit(60, 20, "`kind export logs` of 3 nodes, only after a failure", "journal and pod logs of 3 nodes")
DELETE = Limit(
    60,
    10,
    "`kind delete cluster` removes 3 containers; then the provider's and any load balancer left, together",
    "3 container removals",
)
PROVIDER_LOGS = Limit(
    30, 2, "listing the load balancers, then `docker logs` of each and of the provider, together", "a few reads"
)
# the report's server version, the logs (only after a failure), the deletion
TEARDOWN = KUBECTL.seconds + EXPORT_LOGS.seconds + PROVIDER_LOGS.seconds + DELETE.seconds
BUDGET_MINUTES = 20  # the CI run's budget (kind.yml passes --budget)

WAIT_POLICY = Policy(timeout=WAIT.seconds)
SETTLE_POLICY = Policy(timeout=SETTLE.seconds)
RESOLVE_POLICY = Policy(timeout=CHECK_RESOLVE.seconds)
ENDPOINTS_POLICY = Policy(timeout=ENDPOINTS.seconds)
LEFTOVERS_POLICY = Policy(timeout=LEFTOVERS.seconds)
GONE_POLICY = Policy(timeout=GONE.seconds)
VERIFY_POLICY = Policy(timeout=VERIFY.seconds)
REACHABLE = Policy(timeout=CHECK_RETRY.seconds)  # a positive check, until one call holds
BLOCKED = Policy(timeout=BLOCKED_RETRY.seconds)  # a negative, until every call of one round is that negative


def round_limit(calls: int, call_seconds: float) -> float:
    """One round of ``calls`` calls in one exec: the exec, and each call at most ``call_seconds`` on average."""
    return EXEC.seconds + calls * call_seconds


def round_typical(calls: int, call_seconds: float) -> float:
    return EXEC.typical + calls * call_seconds
