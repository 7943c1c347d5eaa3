"""Every rule the offline checks can report, by id.

The id appears in each finding (``error[target-port-missing]``), in ``breaks`` of an
``example.toml`` that breaks a rule on purpose, and in the must-fail corpus, which must
prove every member of :class:`Rule` with at least one failing case.
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    # Input and YAML
    INPUT = "input"
    YAML_SYNTAX = "yaml-syntax"
    YAML_DUPLICATE_KEY = "yaml-duplicate-key"
    MANIFEST_SHAPE = "manifest-shape"
    # Schemas and API lifecycle
    SCHEMA = "schema"
    SCHEMA_UNKNOWN_KIND = "schema-unknown-kind"
    GATEWAY_API_SCHEMA = "gateway-api-schema"
    GATEWAY_API_EXPERIMENTAL = "gateway-api-experimental"
    CRD_SCHEMA = "crd-schema"  # a custom resource against its CRD's openAPIV3Schema
    CRD_RULE = "crd-rule"  # a custom resource against its CRD's x-kubernetes-validations (CEL)
    API_REMOVED = "api-removed"
    API_DEPRECATED = "api-deprecated"
    ANNOTATION_DEPRECATED = "annotation-deprecated"
    # Values the schema leaves open
    ENUM = "value-enum"
    PORT_RANGE = "port-range"
    NODE_PORT_RANGE = "node-port-range"
    NAME = "name-format"
    PORT_NAME = "port-name"
    DUPLICATE_PORT = "duplicate-port"
    LABELS = "label-syntax"
    SELECTOR = "selector-syntax"
    FIELD_COMBINATION = "field-combination"
    ADDRESS = "address-format"
    INGRESS_PATH = "ingress-path"
    SELECTOR_TEMPLATE = "selector-template-mismatch"
    PROBE_PORT = "probe-port-missing"
    VALUE_RANGE = "value-range"
    RESOURCE_LIMITS = "resource-limits"
    UNSAFE_SERVER = "unsafe-server"  # a server that runs commands, takes uploads or fetches for callers
    # Cross-object rules inside one example
    DUPLICATE_OBJECT = "duplicate-object"
    SERVICE_SELECTS_NOTHING = "service-selects-nothing"
    TARGET_PORT_MISSING = "target-port-missing"
    BACKEND_SERVICE_MISSING = "backend-service-missing"
    BACKEND_PORT_MISSING = "backend-port-missing"
    ROUTE_PARENT_MISSING = "route-parent-missing"
    ENDPOINTSLICE_SERVICE = "endpointslice-service-missing"
    ENDPOINTSLICE_PORTS = "endpointslice-port-mismatch"
    STATEFULSET_SERVICE = "statefulset-service-not-headless"
    POLICY_SELECTS_NOTHING = "networkpolicy-selects-nothing"
    EGRESS_BLOCKS_DNS = "egress-blocks-dns"
    INGRESS_CLASS_MISSING = "ingress-class-missing"
    BREAKS_UNUSED = "breaks-unused"
    # Behaviour lints of the kind plan and its steps (netdocs.check.steplints)
    PROXY_PORT_NAME = "proxy-port-name"
    APPLIED_BEFORE_STEP = "applied-before-step"
    GUARD_HIDES_FAILURE = "guard-hides-failure"
    NEGATIVE_WITHOUT_CONTROL = "negative-without-control"
    # Shell steps
    SHELLCHECK = "shellcheck"  # reported as shellcheck-SC<code>
    KUBECTL_COMMAND = "kubectl-unknown-command"
    KUBECTL_FLAG = "kubectl-unknown-flag"
    KUBECTL_FILE = "kubectl-file-missing"
    KUBECTL_TTY = "kubectl-tty"


def family(rule_id: str) -> Rule | None:
    """The :class:`Rule` a reported id belongs to (``shellcheck-SC2086`` -> SHELLCHECK)."""
    if rule_id in Rule._value2member_map_:
        return Rule(rule_id)
    if rule_id.startswith(f"{Rule.SHELLCHECK}-SC"):
        return Rule.SHELLCHECK
    return None
