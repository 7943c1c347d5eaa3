"""Behaviour checks as data: what an example proves on a real cluster.

Each example's ``example.toml`` lists its checks; the kind tier runs them (with retries and
timeouts) and the site renders the same list as a table on the example's page.

Targets may use placeholders that the kind tier resolves on the live cluster:
``{cluster_ip:SVC}``, ``{node_ip}`` (a worker's InternalIP), ``{node_port:SVC:PORT}``
(PORT is the Service port's name or number), ``{lb_ip:SVC}``, ``{ingress_ip:NAME}``,
``{gateway_ip:NAME}``, ``{pod_ip:DEPLOYMENT}`` and ``{namespace}``.

A negative check names the negative it expects: ``dropped`` (no reply before the connect
timeout: a NetworkPolicy of kindnet, a packet routed nowhere) or ``refused`` (an active "no":
a TCP reset or an ICMP unreachable, e.g. kube-proxy's reject for a Service without endpoints,
or a port where nothing listens). The two are different mechanisms, and pages contrast them.

Each check type is one class here (data, validation, page text); ``netdocs.kind.checktypes``
maps each ``type`` to what it runs on a cluster and how it is judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from netdocs.bilingual import Text

# Checks about several answers (balancing, stickiness, which backends answer) look at no
# fewer calls than this: if half the backends would match by chance, a false pass has odds
# of 1 in 1024.
MIN_REPEATED_CALLS = 10

HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^}:]+))?(?::([^}:]+))?\}")
PLACEHOLDER_ARITY = {
    "cluster_ip": 1,
    "node_ip": 0,
    "node_port": 2,
    "lb_ip": 1,
    "ingress_ip": 1,
    "gateway_ip": 1,
    "pod_ip": 1,
    "namespace": 0,
}

# What a placeholder stands for, as the checks table names it: {0} and {1} are its arguments.
PLACEHOLDER_TEXT = {
    "cluster_ip": {"en": "the cluster IP of Service {0}", "zh": "Service {0} 的集群 IP"},
    "node_ip": {"en": "a node's IP", "zh": "某个节点的 IP"},
    "node_port": {"en": "the node port of Service {0}, port {1}", "zh": "Service {0} 端口 {1} 的节点端口"},
    "lb_ip": {"en": "the load balancer IP of Service {0}", "zh": "Service {0} 的负载均衡器 IP"},
    "ingress_ip": {"en": "the address of Ingress {0}", "zh": "Ingress {0} 的地址"},
    "gateway_ip": {"en": "the address of Gateway {0}", "zh": "Gateway {0} 的地址"},
    "pod_ip": {"en": "the IP of a Pod of Deployment {0}", "zh": "Deployment {0} 某个 Pod 的 IP"},
    "namespace": {"en": "the example's namespace", "zh": "示例的命名空间"},
}
# How the checks table says what a negative check expects.
NEGATIVE_TEXT = {
    "dropped": {"en": "no answer: the connection times out (dropped)", "zh": "无应答：连接超时（被丢弃）"},
    "refused": {"en": "connection refused", "zh": "连接被拒绝"},
}


def placeholder_text(match: re.Match[str], lang: str) -> str:
    """What a placeholder (a :data:`PLACEHOLDER` match) stands for, in the reader's language."""
    return PLACEHOLDER_TEXT[match.group(1)][lang].format(*[a for a in match.groups()[1:] if a])


def _joined(parts: list[str], lang: str) -> str:
    return ("，" if lang == "zh" else ", ").join(parts)


Negative = Literal["dropped", "refused"]
NEGATIVES: tuple[Negative, ...] = ("dropped", "refused")
CLUSTER_DOMAIN = "cluster.local"

# Where a check runs from: "deploy/NAME" or "pod/NAME" (kubectl exec into the example's own
# client), or "outside" (the machine running the tests, like a user outside the cluster).
Origin = Annotated[str, Field(pattern=r"^(outside|(deploy|pod)/[a-z0-9]([-a-z0-9]*[a-z0-9])?)$")]


class _Check(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(pattern=r"^[a-z0-9][-a-z0-9]*$")
    origin: Origin = Field(alias="from")
    says: Text  # what the check proves, in both languages, shown on the page

    @field_validator("*", mode="after")
    @classmethod
    def _placeholders_are_known(cls, value: object) -> object:
        if isinstance(value, str):
            for match in PLACEHOLDER.finditer(value):
                name, args = match.group(1), [a for a in match.groups()[1:] if a]
                if name not in PLACEHOLDER_ARITY:
                    raise ValueError(f"unknown placeholder {{{name}}}; known: {', '.join(sorted(PLACEHOLDER_ARITY))}")
                if len(args) != PLACEHOLDER_ARITY[name]:
                    raise ValueError(f"placeholder {{{name}}} takes {PLACEHOLDER_ARITY[name]} argument(s)")
        return value

    @property
    def negative(self) -> Negative | None:
        """The negative this check expects (``dropped`` or ``refused``), or ``None`` for a positive one."""
        expect = getattr(self, "expect", None)
        return expect if expect in NEGATIVES else None

    def origin_text(self, lang: str) -> str:
        """Where the check runs from, for the checks table (``code`` in backticks)."""
        kind, _, name = self.origin.partition("/")
        if kind == "outside":
            return {"en": "outside the cluster", "zh": "集群外部"}[lang]
        if kind == "deploy":
            return {"en": f"a Pod of `{name}`", "zh": f"`{name}` 的 Pod"}[lang]
        return {"en": f"Pod `{name}`", "zh": f"Pod `{name}`"}[lang]

    def resolved(self, value_of: Callable[[str], str]) -> Self:
        """A copy with every placeholder in every text field (and header value) replaced by ``value_of``."""
        update: dict[str, object] = {}
        for name, value in self:
            if name == "says":
                continue
            if isinstance(value, str) and PLACEHOLDER.search(value):
                update[name] = value_of(value)
            elif isinstance(value, dict) and any(isinstance(v, str) and PLACEHOLDER.search(v) for v in value.values()):
                update[name] = {k: value_of(v) for k, v in value.items()}
        return self.model_copy(update=update)


class HttpCheck(_Check):
    """An HTTP GET; a negative (``dropped``/``refused``) must hold several times in a row.

    ``distinct_backends``, ``same_backend`` and ``every_body_contains`` judge at least
    :data:`MIN_REPEATED_CALLS` calls together: one lucky answer must not pass a check about
    balancing, stickiness or which backends may answer.
    """

    type: Literal["http"]
    url: str = Field(pattern=r"^https?://")
    expect: Literal["reachable", "dropped", "refused"] = "reachable"
    status: int = Field(200, ge=100, le=599)
    host_header: str | None = None
    headers: dict[str, str] = Field(default_factory=dict, description="extra request headers; Host goes in host_header")
    body_contains: str | None = None
    distinct_backends: int | None = Field(
        None, ge=2, description="at least this many different bodies over repeated calls"
    )
    same_backend: bool = Field(False, description="every repeated call gets the same body: one backend answers all")
    every_body_contains: str | None = Field(
        None, min_length=1, description="every repeated call gets a body containing this (only such backends answer)"
    )

    @model_validator(mode="after")
    def _repeated_call_fields_fit(self) -> HttpCheck:
        if self.negative and (self.same_backend or self.every_body_contains or self.distinct_backends):
            raise ValueError("distinct_backends, same_backend and every_body_contains need expect = 'reachable'")
        if self.same_backend and self.distinct_backends:
            raise ValueError("same_backend contradicts distinct_backends: keep one")
        if any(name.lower() == "host" for name in self.headers):
            raise ValueError("put the Host header in host_header: over HTTPS it is also the TLS server name")
        if bad := [name for name in self.headers if not HEADER_NAME.fullmatch(name)]:
            raise ValueError(f"not an HTTP header name: {', '.join(bad)}")
        return self

    def expected_text(self, lang: str) -> str:
        """What the check expects, for the checks table (``code`` in backticks)."""
        if self.negative:
            return NEGATIVE_TEXT[self.negative][lang]
        en, zh = [f"HTTP {self.status}"], [f"HTTP {self.status}"]
        if self.body_contains:
            en.append(f"the body contains `{self.body_contains}`")
            zh.append(f"响应体包含 `{self.body_contains}`")
        if self.distinct_backends:
            en.append(f"at least {self.distinct_backends} different backends answer")
            zh.append(f"至少 {self.distinct_backends} 个不同的后端应答")
        if self.same_backend:
            en.append("one backend answers every call")
            zh.append("每次调用都由同一个后端应答")
        if self.every_body_contains:
            en.append(f"every answer contains `{self.every_body_contains}`")
            zh.append(f"每个应答都包含 `{self.every_body_contains}`")
        return _joined(en if lang == "en" else zh, lang)

    @property
    def repeated(self) -> bool:
        """A claim about several answers (balancing, stickiness, which backends may answer)."""
        return bool(self.distinct_backends or self.same_backend or self.every_body_contains)

    @property
    def round_size(self) -> int:
        """Calls judged together: never fewer than MIN_REPEATED_CALLS, more for many backends."""
        return max(MIN_REPEATED_CALLS, 5 * (self.distinct_backends or 0)) if self.repeated else 1


class TcpCheck(_Check):
    type: Literal["tcp"]
    target: str = Field(pattern=r"^[^:\s]+:\d+$|^\{[^}]+\}:(\d+|\{[^}]+\})$")
    expect: Literal["open", "dropped", "refused"]

    def expected_text(self, lang: str) -> str:
        """What the check expects, for the checks table."""
        if self.negative:
            return NEGATIVE_TEXT[self.negative][lang]
        return {"en": "the port accepts a connection", "zh": "端口接受连接"}[lang]


class DnsCheck(_Check):
    """A lookup with the Pod's own resolver (search list included), so short names work.

    A full cluster name ends with a dot: with ``ndots:5`` a name of fewer than five dots goes
    through the search list first, which ends in the host's own domains (copied into kind's
    nodes), where a VPN or laptop resolver can answer SERVFAIL and stop the walk.
    """

    type: Literal["dns"]
    name: str
    record: Literal["A", "AAAA", "SRV", "CNAME"] = "A"
    expect: Literal["resolves", "nxdomain"] = "resolves"
    answers: int | None = Field(None, ge=1, description="exact number of records (e.g. one per ready Pod)")
    contains: str | None = None

    def expected_text(self, lang: str) -> str:
        """What the lookup expects, for the checks table (``code`` in backticks)."""
        if self.expect == "nxdomain":
            return {"en": "the name does not exist (NXDOMAIN)", "zh": "名称不存在（NXDOMAIN）"}[lang]
        n, record = self.answers, self.record
        what = {
            "A": ("IPv4 address", "IPv4 addresses", "个 IPv4 地址"),
            "AAAA": ("IPv6 address", "IPv6 addresses", "个 IPv6 地址"),
            "SRV": ("SRV record", "SRV records", "条 SRV 记录"),
            "CNAME": ("CNAME record", "CNAME records", "条 CNAME 记录"),
        }[record]
        if n is None:
            parts = {"en": [f"resolves ({record} record)"], "zh": [f"可以解析（{record} 记录）"]}[lang]
        elif record in ("A", "AAAA"):
            parts = {
                "en": [f"exactly {n} {what[0] if n == 1 else what[1]} ({record} record)"],
                "zh": [f"恰好 {n} {what[2]}（{record} 记录）"],
            }[lang]
        else:
            parts = {"en": [f"exactly {n} {what[0] if n == 1 else what[1]}"], "zh": [f"恰好 {n} {what[2]}"]}[lang]
        if self.contains:
            parts.append({"en": f"the answer includes `{self.contains}`", "zh": f"应答中包含 `{self.contains}`"}[lang])
        return _joined(parts, lang)

    @field_validator("name")
    @classmethod
    def _full_names_are_absolute(cls, name: str) -> str:
        if name.rstrip(".").endswith(f".{CLUSTER_DOMAIN}") and not name.endswith("."):
            raise ValueError(
                f"{name!r} is a full cluster name: end it with a dot ({name}.), or ndots:5 sends it through "
                "the search list and the host's domains first"
            )
        return name

    @field_validator("origin")
    @classmethod
    def _from_a_pod(cls, origin: str) -> str:
        if origin == "outside":
            raise ValueError(
                "a DNS check runs from a Pod (deploy/NAME or pod/NAME): cluster DNS is not reachable from outside"
            )
        return origin


class ClientIpCheck(_Check):
    """Ask agnhost's ``/clientip`` and compare with the caller's own address."""

    type: Literal["client-ip"]
    url: str = Field(pattern=r"^https?://")
    expect: Literal["preserved", "replaced"]

    def expected_text(self, lang: str) -> str:
        """What the server must see as the caller's address, for the checks table."""
        return {
            "preserved": {"en": "the server sees the caller's own IP", "zh": "服务端看到的是调用方自己的 IP"},
            "replaced": {
                "en": "the server sees another IP than the caller's (source NAT)",
                "zh": "服务端看到的不是调用方的 IP（源地址被转换）",
            },
        }[self.expect][lang]


AnyCheck = HttpCheck | TcpCheck | DnsCheck | ClientIpCheck
Check = Annotated[AnyCheck, Field(discriminator="type")]
CHECK_TYPES: dict[str, type[_Check]] = {
    get_args(model.model_fields["type"].annotation)[0]: model for model in get_args(AnyCheck)
}
"""Each ``type`` value and its model, derived from the models themselves."""
