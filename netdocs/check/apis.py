"""Removed and deprecated API versions, with the version that changed them and the replacement.

Source: the Kubernetes Deprecated API Migration Guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/, removals in v1.16, v1.22,
v1.25, v1.26, v1.27, v1.29 and v1.32, the last removal it lists), and for served but
deprecated APIs the deprecation warnings of the API server (v1 Endpoints since v1.33,
KEP-4974). Reported the way pluto does: the version it went away in and what to use instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiChange:
    api_version: str
    kind: str
    deprecated_in: str
    removed_in: str | None
    replacement: str


def _removed(removed_in: str, deprecated_in: str, replacement: str, *pairs: str) -> tuple[ApiChange, ...]:
    """Changes for ``"group/version Kind"`` pairs removed in one release; ``{group}`` and ``{kind}``
    in ``replacement`` stand for each pair's own."""
    out = []
    for pair in pairs:
        api_version, kind = pair.split()
        group = api_version.rpartition("/")[0]
        out.append(ApiChange(api_version, kind, deprecated_in, removed_in, replacement.format(group=group, kind=kind)))
    return tuple(out)


_INGRESS_V1 = "networking.k8s.io/v1 Ingress (spec.ingressClassName, pathType, backend.service.name/port)"

CHANGES: tuple[ApiChange, ...] = (
    # v1.16
    *_removed(
        "1.16",
        "1.9",
        "apps/v1 {kind} (spec.selector is required)",
        "extensions/v1beta1 Deployment",
        "extensions/v1beta1 DaemonSet",
        "extensions/v1beta1 ReplicaSet",
        "apps/v1beta1 Deployment",
        "apps/v1beta2 Deployment",
        "apps/v1beta1 StatefulSet",
        "apps/v1beta2 StatefulSet",
        "apps/v1beta2 DaemonSet",
        "apps/v1beta2 ReplicaSet",
    ),
    ApiChange("extensions/v1beta1", "NetworkPolicy", "1.9", "1.16", "networking.k8s.io/v1 NetworkPolicy"),
    ApiChange("extensions/v1beta1", "PodSecurityPolicy", "1.10", "1.16", "Pod Security admission (see 1.25)"),
    # v1.22
    ApiChange("extensions/v1beta1", "Ingress", "1.14", "1.22", _INGRESS_V1),
    ApiChange("networking.k8s.io/v1beta1", "Ingress", "1.19", "1.22", _INGRESS_V1),
    ApiChange("networking.k8s.io/v1beta1", "IngressClass", "1.19", "1.22", "networking.k8s.io/v1 IngressClass"),
    *_removed(
        "1.22",
        "1.16",
        "{group}/v1 {kind}",
        "admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration",
        "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
        "apiregistration.k8s.io/v1beta1 APIService",
        "authentication.k8s.io/v1beta1 TokenReview",
        "authorization.k8s.io/v1beta1 SubjectAccessReview",
        "authorization.k8s.io/v1beta1 LocalSubjectAccessReview",
        "authorization.k8s.io/v1beta1 SelfSubjectAccessReview",
        "certificates.k8s.io/v1beta1 CertificateSigningRequest",
        "coordination.k8s.io/v1beta1 Lease",
        "rbac.authorization.k8s.io/v1beta1 ClusterRole",
        "rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1beta1 Role",
        "rbac.authorization.k8s.io/v1beta1 RoleBinding",
        "scheduling.k8s.io/v1beta1 PriorityClass",
        "storage.k8s.io/v1beta1 CSIDriver",
        "storage.k8s.io/v1beta1 CSINode",
        "storage.k8s.io/v1beta1 StorageClass",
        "storage.k8s.io/v1beta1 VolumeAttachment",
    ),
    # v1.25
    ApiChange(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        "1.21",
        "1.25",
        "discovery.k8s.io/v1 EndpointSlice (topology -> nodeName/zone)",
    ),
    ApiChange("batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1 CronJob"),
    ApiChange("events.k8s.io/v1beta1", "Event", "1.22", "1.25", "events.k8s.io/v1 Event"),
    ApiChange(
        "autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "1.25", "autoscaling/v2 HorizontalPodAutoscaler"
    ),
    ApiChange("policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1 PodDisruptionBudget"),
    ApiChange(
        "policy/v1beta1",
        "PodSecurityPolicy",
        "1.21",
        "1.25",
        "Pod Security admission (namespace labels pod-security.kubernetes.io/*)",
    ),
    ApiChange("node.k8s.io/v1beta1", "RuntimeClass", "1.22", "1.25", "node.k8s.io/v1 RuntimeClass"),
    # v1.26
    ApiChange(
        "autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.23", "1.26", "autoscaling/v2 HorizontalPodAutoscaler"
    ),
    *_removed(
        "1.26",
        "1.23",
        "flowcontrol.apiserver.k8s.io/v1 {kind}",
        "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
    ),
    # v1.27
    ApiChange("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1 CSIStorageCapacity"),
    # v1.29 and v1.32
    *_removed(
        "1.29",
        "1.26",
        "flowcontrol.apiserver.k8s.io/v1 {kind}",
        "flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration",
    ),
    *_removed(
        "1.32",
        "1.29",
        "flowcontrol.apiserver.k8s.io/v1 {kind}",
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
    ),
    # Served, but deprecated
    ApiChange("v1", "Endpoints", "1.33", None, "discovery.k8s.io/v1 EndpointSlice"),
)


def change_for(api_version: str, kind: str) -> ApiChange | None:
    for change in CHANGES:
        if change.api_version == api_version and change.kind == kind:
            return change
    return None


def is_removed_by(change: ApiChange, minor: str) -> bool:
    return change.removed_in is not None and minor_key(change.removed_in) <= minor_key(minor)


def minor_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))
