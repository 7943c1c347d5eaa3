"""Every time limit the kind tier enforces, in one place: the runner obeys them, the plan adds them up.

Each limit is a ceiling, not a sleep: a stage that is done early moves on at once. An
example's deadline (:func:`netdocs.kind.plan.example_plan`) caps the sum of its stages, and the
run's budget (``--budget``) starts no example whose worst case no longer fits, so the plan's
``budget`` is a bound that the run cannot exceed.
"""

from __future__ import annotations

from netdocs.kind.retry import Policy

KUBECTL = 30.0  # one kubectl call (get, apply, delete)
EXEC = 20.0  # one kubectl exec of a round of calls
WAIT = 90.0  # one wait for a workload, its endpoints or a published address
STEP = 180.0  # one step script (its own kubectl waits have their own --timeout)
CHECK_RESOLVE = 60.0  # placeholders a controller publishes (an address) after the waits
CLEANUP = 90.0  # cleanup.sh, namespace deletion and the leftover checks, together
EXAMPLE_CAP = 240.0  # no example runs longer than this before its cleanup

# Setup and teardown, once per run.
CREATE_CLUSTER = 240.0
VERIFY = 120.0  # the provider's GatewayClass and IngressClass appear
LIST_IMAGES = 30.0  # asking cloud-provider-kind which load-balancer image it runs
ENVOY_PULL = 90.0  # that image, pulled up front
SERVER_DRY_RUN = 150.0  # every must-fail case through `kubectl apply --dry-run=server`, together
TEARDOWN = 180.0  # log export and `kind delete cluster`
BUDGET_MINUTES = 20  # the CI run's budget (kind.yml passes --budget)

WAIT_POLICY = Policy(timeout=WAIT)
RESOLVE_POLICY = Policy(timeout=CHECK_RESOLVE)
VERIFY_POLICY = Policy(timeout=VERIFY)
