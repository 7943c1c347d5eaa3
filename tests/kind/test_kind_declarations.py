"""Behaviour checks as data: the schema of every check type, and what the checks may refer to.

A check names Pods to run from and objects to reach (``deploy/client``, ``{lb_ip:echo}``).
Offline, every such name must be an object of the right kind in the example's manifests (or
be made by one of its steps), and a check that needs an add-on must say so in
``kind.requires``; the seed map's (run) topics must each have an example that proves them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from netdocs.behaviour import Check
from netdocs.check.yamldocs import load
from netdocs.examples import Example, load_examples
from netdocs.kind.placeholders import references
from netdocs.paths import DOCS, SNIPPETS

CHECK: TypeAdapter[Any] = TypeAdapter(Check)
SAYS = {"en": "e", "zh": "z"}
EXAMPLES = load_examples()


def make(**fields: Any) -> Any:
    return CHECK.validate_python({"id": "c", "from": "deploy/client", "says": SAYS, **fields})


# --- the schema of every check type ---------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "http", "url": "http://echo/hostname"},
        {"type": "http", "url": "https://{ingress_ip:tls}/", "host_header": "a.example.com", "status": 404},
        {"type": "http", "url": "http://echo/", "expect": "dropped"},
        {"type": "tcp", "target": "{cluster_ip:echo}:8080", "expect": "open"},
        {"type": "tcp", "target": "{node_ip}:{node_port:echo:http}", "expect": "refused"},
        {"type": "dns", "name": "_http._tcp.echo.{namespace}.svc.cluster.local.", "record": "SRV", "answers": 2},
        {"type": "dns", "name": "missing", "expect": "nxdomain"},
        {"type": "client-ip", "url": "http://{pod_ip:echo}:8080/clientip", "expect": "preserved"},
        {"type": "client-ip", "url": "http://{node_ip}:18080/clientip", "expect": "replaced", "from": "outside"},
    ],
)
def test_every_check_type_accepts_its_fields(fields: dict[str, Any]) -> None:
    assert make(**fields).type == fields["type"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"type": "ping", "url": "http://echo/"}, "does not match any of the expected tags"),
        ({"type": "http", "url": "echo/hostname"}, "String should match pattern"),
        ({"type": "http", "url": "http://echo/", "retries": 3}, "Extra inputs are not permitted"),
        ({"type": "http", "url": "http://{service_ip:echo}/"}, "unknown placeholder {service_ip}"),
        ({"type": "http", "url": "http://{node_port:echo}/"}, "placeholder {node_port} takes 2 argument(s)"),
        ({"type": "http", "url": "http://echo/", "from": "deployment/client"}, "String should match pattern"),
        ({"type": "http", "url": "http://echo/", "status": 700}, "less than or equal to 599"),
        ({"type": "tcp", "target": "echo", "expect": "open"}, "String should match pattern"),
        ({"type": "tcp", "target": "echo:80", "expect": "reachable"}, "Input should be 'open', 'dropped' or 'refused'"),
        ({"type": "dns", "name": "echo", "from": "outside"}, "a DNS check runs from a Pod"),
        ({"type": "dns", "name": "echo", "record": "MX"}, "Input should be 'A', 'AAAA', 'SRV' or 'CNAME'"),
        ({"type": "dns", "name": "echo", "answers": 0}, "greater than or equal to 1"),
        # finding 5: a full cluster name without the final dot walks the host's search domains first
        ({"type": "dns", "name": "echo.{namespace}.svc.cluster.local"}, "end it with a dot"),
        ({"type": "http", "url": "http://echo/", "expect": "blocked"}, "'reachable', 'dropped' or 'refused'"),
        ({"type": "client-ip", "url": "http://echo/clientip", "expect": "blocked"}, "'preserved' or 'replaced'"),
    ],
)
def test_every_check_type_refuses_what_the_tier_cannot_run(fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(problem)):
        make(**fields)


# --- what the checks of each example refer to --------------------------------------------------


def objects(example: Example) -> list[dict[str, Any]]:
    return [doc.data for path in example.manifests for doc in load(path)[0] if isinstance(doc.data, dict)]


def named(example: Example, kind: str, name: str) -> dict[str, Any] | None:
    return next(
        (o for o in objects(example) if o.get("kind") == kind and o.get("metadata", {}).get("name") == name), None
    )


def made_by_a_step(example: Example, name: str) -> bool:
    """Objects a step creates (``kubectl expose``, ``kubectl create``) are not in the manifests."""
    steps = [example.folder / step for step in example.meta.kind.steps]
    return any(re.search(rf"(?<![-\w.]){re.escape(name)}(?![-\w])", path.read_text(encoding="utf-8")) for path in steps)


def problems_of(example: Example) -> list[str]:
    found: list[str] = []
    requires = set(example.meta.kind.requires)

    def want(kind: str, name: str, where: str, test: Callable[[dict[str, Any]], str | None] | None = None) -> None:
        obj = named(example, kind, name)
        if obj is None:
            if not made_by_a_step(example, name):
                found.append(f"{where}: no {kind} named {name} in the manifests or the steps")
        elif test and (problem := test(obj)):
            found.append(f"{where}: {kind} {name} {problem}")

    def service_type(*types: str) -> Callable[[dict[str, Any]], str | None]:
        def test(svc: dict[str, Any]) -> str | None:
            kind = (svc.get("spec") or {}).get("type", "ClusterIP")
            return None if kind in types else f"is type {kind}, not {' or '.join(types)}"

        return test

    def has_port(port: str) -> Callable[[dict[str, Any]], str | None]:
        def test(svc: dict[str, Any]) -> str | None:
            ports = (svc.get("spec") or {}).get("ports") or []
            if any(port in (p.get("name"), str(p.get("port"))) for p in ports):
                return service_type("NodePort", "LoadBalancer")(svc)
            return f"has no port named or numbered {port}"

        return test

    for check in example.meta.checks:
        where = f"snippets/{example.name}/example.toml: check {check.id}"
        if check.origin != "outside":
            kind, _, name = check.origin.partition("/")
            want("Deployment" if kind == "deploy" else "Pod", name, where)
        texts = [v for v in check.model_dump().values() if isinstance(v, str)]
        for placeholder, args in [ref for text in texts for ref in references(text)]:
            if placeholder == "cluster_ip":
                want(
                    "Service", args[0], where, lambda s: "is headless" if s["spec"].get("clusterIP") == "None" else None
                )
            elif placeholder == "node_port":
                want("Service", args[0], where, has_port(args[1]))
            elif placeholder == "lb_ip":
                want("Service", args[0], where, service_type("LoadBalancer"))
            elif placeholder == "ingress_ip":
                want("Ingress", args[0], where)
            elif placeholder == "gateway_ip":
                want("Gateway", args[0], where)
            elif placeholder == "pod_ip":
                want("Deployment", args[0], where)
            capability = {"lb_ip": "loadbalancer", "ingress_ip": "ingress", "gateway_ip": "gateway-api"}.get(
                placeholder
            )
            if capability and capability not in requires:
                found.append(f"{where}: uses {{{placeholder}}}, so kind.requires must list {capability!r}")
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_checks_refer_to_objects_the_example_makes(example: Example) -> None:
    problems = problems_of(example)
    assert not problems, "\n".join(problems)


def test_the_cross_check_catches_wrong_references(tmp_path: Any) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "service.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  ports:\n    - name: http\n      port: 80\n"
    )
    (folder / "example.toml").write_text(
        'title = { en = "t", zh = "t" }\nsummary = { en = "s", zh = "s" }\n'
        '[[checks]]\nid = "a"\nfrom = "deploy/client"\ntype = "http"\nurl = "http://{node_ip}:{node_port:echo:http}/"\n'
        'says = { en = "e", zh = "z" }\n'
        '[[checks]]\nid = "b"\nfrom = "outside"\ntype = "http"\nurl = "http://{lb_ip:echo}/"\n'
        'says = { en = "e", zh = "z" }\n'
    )
    assert problems_of(Example("broken", folder)) == [
        "snippets/broken/example.toml: check a: no Deployment named client in the manifests or the steps",
        "snippets/broken/example.toml: check a: Service echo is type ClusterIP, not NodePort or LoadBalancer",
        "snippets/broken/example.toml: check b: Service echo is type ClusterIP, not LoadBalancer",
        "snippets/broken/example.toml: check b: uses {lb_ip}, so kind.requires must list 'loadbalancer'",
    ]


# --- every (run) topic of the seed map has an example with behaviour checks ----------------------


def spec_of(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("spec") or {}


def services(example: Example) -> list[dict[str, Any]]:
    return [o for o in objects(example) if o.get("kind") == "Service"]


def pod_specs(example: Example) -> list[dict[str, Any]]:
    found = []
    for obj in objects(example):
        spec = spec_of(obj)
        found.append(spec if obj.get("kind") == "Pod" else (spec.get("template") or {}).get("spec") or {})
    return found


def uses(example: Example, placeholder: str) -> bool:
    return any(placeholder in str(check.model_dump()) for check in example.meta.checks)


def has_service(example: Example, test: Callable[[dict[str, Any]], Any]) -> bool:
    return any(test(spec_of(svc)) for svc in services(example))


def has_check(example: Example, test: Callable[[Any], Any]) -> bool:
    return any(test(check) for check in example.meta.checks)


def host_ports(example: Example) -> bool:
    return any(
        pod.get("hostNetwork")
        or any(p.get("hostPort") for c in pod.get("containers") or [] for p in c.get("ports") or [])
        for pod in pod_specs(example)
    )


# topic -> (its page under docs/, what an example must have to prove it)
RUN_TOPICS: dict[str, tuple[str, Callable[[Example], bool]]] = {
    "ClusterIP": (
        "services/clusterip.md",
        lambda e: has_service(e, lambda s: s.get("type", "ClusterIP") == "ClusterIP") and uses(e, "{cluster_ip:"),
    ),
    "session affinity": (
        "services/session-affinity.md",
        lambda e: (
            has_service(e, lambda s: s.get("sessionAffinity") == "ClientIP")
            and has_check(e, lambda c: getattr(c, "same_backend", False))
        ),
    ),
    "headless Service": (
        "services/headless.md",
        lambda e: has_service(e, lambda s: s.get("clusterIP") == "None") and has_check(e, lambda c: c.type == "dns"),
    ),
    "NodePort": (
        "services/nodeport.md",
        lambda e: has_service(e, lambda s: s.get("type") == "NodePort") and uses(e, "{node_ip}"),
    ),
    "LoadBalancer": ("services/loadbalancer.md", lambda e: uses(e, "{lb_ip:")),
    "ExternalName": (
        "services/externalname.md",
        lambda e: has_service(e, lambda s: s.get("type") == "ExternalName") and bool(e.meta.checks),
    ),
    "externalIPs": (
        "services/external-ips.md",
        lambda e: has_service(e, lambda s: s.get("externalIPs")) and bool(e.meta.checks),
    ),
    "traffic policies": (
        "services/traffic-policies.md",
        lambda e: (
            has_service(e, lambda s: s.get("externalTrafficPolicy") == "Local")
            and has_check(e, lambda c: c.type == "client-ip")
        ),
    ),
    "topology-aware routing": (
        "services/topology.md",
        lambda e: (
            has_service(e, lambda s: s.get("trafficDistribution"))
            and has_check(e, lambda c: getattr(c, "every_body_contains", None))
        ),
    ),
    "selector-less Service + EndpointSlice": (
        "endpoints/selectorless.md",
        lambda e: (
            has_service(e, lambda s: not s.get("selector"))
            and any(o.get("kind") == "EndpointSlice" for o in objects(e))
            and bool(e.meta.checks)
        ),
    ),
    "Pod DNS records": ("dns/index.md", lambda e: has_check(e, lambda c: c.type == "dns" and ".pod." in c.name)),
    "Ingress fan-out and virtual hosts": (
        "ingress/index.md",
        lambda e: uses(e, "{ingress_ip:") and has_check(e, lambda c: getattr(c, "host_header", None)),
    ),
    "Gateway API HTTPRoute": (
        "gateway-api/migration.md",
        lambda e: any(o.get("kind") == "HTTPRoute" for o in objects(e)) and uses(e, "{gateway_ip:"),
    ),
    "hostPort and hostNetwork": ("exposure/node-ports.md", lambda e: host_ports(e) and bool(e.meta.checks)),
    "NetworkPolicy": (
        "network-policy/index.md",
        lambda e: (
            any(o.get("kind") == "NetworkPolicy" for o in objects(e))
            and has_check(e, lambda c: c.negative == "dropped")
        ),
    ),
}


@pytest.mark.parametrize("topic", RUN_TOPICS)
def test_every_run_topic_is_proven_by_an_example(topic: str) -> None:
    _, proves = RUN_TOPICS[topic]
    proving = [e.name for e in EXAMPLES if proves(e)]
    assert proving, f"no example proves the (run) topic {topic!r} with behaviour checks (see ../shared/seed-map.md)"


@pytest.mark.parametrize("topic", [t for t, (page, _) in RUN_TOPICS.items() if (DOCS / page).exists()])
def test_the_page_of_a_run_topic_shows_an_example_that_proves_it(topic: str) -> None:
    page, proves = RUN_TOPICS[topic]
    shown = re.findall(r"""\bexample\(\s*["']([^"']+)["']""", (DOCS / page).read_text(encoding="utf-8"))
    proving = [
        name
        for name in shown
        if (SNIPPETS / name / "example.toml").is_file() and proves(Example(name, SNIPPETS / name))
    ]
    assert proving, f"docs/{page} covers the (run) topic {topic!r} but shows no example ({shown}) whose checks prove it"
