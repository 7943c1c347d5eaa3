"""Every time limit the kind tier enforces, in one place: the runner obeys them, the plan adds them up.

Each limit is a ceiling, not a sleep: a stage that is done early moves on at once. An
example's own deadline (:func:`netdocs.kind.plan.example_plan`) caps the sum of its stages,
so ``nox -s kind -- --plan`` can print a worst case that the run cannot exceed.
"""

from __future__ import annotations

from netdocs.kind.retry import Policy

KUBECTL = 60.0  # one kubectl call (get, apply, delete, exec)
EXEC = 30.0  # one kubectl exec of a round of calls
WAIT = 120.0  # one wait for a workload, its endpoints or a published address
STEP = 240.0  # one step script (its own kubectl waits have their own --timeout)
CHECK_RESOLVE = 60.0  # placeholders a controller publishes (an address) after the waits
CLEANUP = 150.0  # cleanup.sh, namespace deletion and the leftover checks, together
EXAMPLE_CAP = 300.0  # no example runs longer than this before its cleanup

# Setup, once per run.
CREATE_CLUSTER = 240.0
ADDON_COMMAND = 180.0  # one add-on command (apply the CRDs, pull or load an image, start the provider)
VERIFY = 120.0  # the provider's GatewayClass and IngressClass appear

WAIT_POLICY = Policy(timeout=WAIT)
RESOLVE_POLICY = Policy(timeout=CHECK_RESOLVE)
