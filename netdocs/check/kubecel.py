"""CEL as the Kubernetes API server evaluates ``x-kubernetes-validations`` rules, offline.

The interpreter is the PyPI package ``common-expression-language`` (bindings of cel-rust):
the CEL standard (macros ``all``, ``exists``, ``exists_one``, ``map``, ``filter``, ``has``,
``matches``, ``size``, ``startsWith``...). Kubernetes adds libraries of its own
(k8s.io/apiserver/pkg/cel/library and cel-go's ext.Strings/ext.Lists); the functions rules
use are added here, each as Kubernetes documents it ("CEL in Kubernetes", kubernetes.io).
Values that Kubernetes wraps in types (``ip()``, ``cidr()``, ``quantity()``, ``url()``) stay
strings here, and the functions on them parse the string, so ``ip(x).family()`` still works.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from netdocs.check import names


class RuleError(Exception):
    """A rule that cannot be evaluated offline (syntax the interpreter lacks, an unknown function)."""


def _first_sentence(text: str) -> str:
    """The interpreter's message, short: a parse error's own line (``1:5: unsupported syntax '.?'``)."""
    if found := re.search(r"ERROR: <input>:(\d+:\d+: [^\n]*)", text):
        return f"at {found.group(1)}"
    return re.split(r"(?<=[.:])\s", text.splitlines()[0] if text else "", maxsplit=1)[0].rstrip(".:")


def _index_of(value: Any, item: Any, start: int = 0) -> int:
    return (
        value.find(item, start)
        if isinstance(value, str)
        else next((i for i, x in enumerate(value) if i >= start and x == item), -1)
    )


def _last_index_of(value: Any, item: Any) -> int:
    if isinstance(value, str):
        return value.rfind(item)
    return max((i for i, x in enumerate(value) if x == item), default=-1)


def _substring(value: str, start: int, end: int | None = None) -> str:
    return value[start:end]


def _replace(value: str, old: str, new: str, count: int = -1) -> str:
    return value.replace(old, new, count)


def _split(value: str, sep: str, limit: int = -1) -> list[str]:
    if limit == 0:
        return []
    return value.split(sep, limit - 1) if limit > 0 else value.split(sep)


def _is_url(value: str) -> bool:
    """library.URLs isURL: an absolute URI or an absolute path (Go's url.ParseRequestURI)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(parts.scheme and (parts.netloc or parts.path)) or value.startswith("/")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return "%" not in value  # zones are refused


def _is_cidr(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return "/" in value


def _family(value: str) -> int:
    return ipaddress.ip_interface(value).version


def _quantity(value: Any) -> Any:
    parsed = names.quantity(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a quantity")
    return parsed


def _checked_quantity(value: str) -> str:
    _quantity(value)
    return value


def _compare(a: Any, b: Any) -> int:
    x, y = _quantity(a), _quantity(b)
    return (x > y) - (x < y)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    # cel-go ext.Strings
    "lowerAscii": lambda s: s.lower() if s.isascii() else "".join(c.lower() if c.isascii() else c for c in s),
    "upperAscii": lambda s: "".join(c.upper() if c.isascii() else c for c in s),
    "trim": lambda s: s.strip(),
    "split": _split,
    "join": lambda items, sep="": sep.join(items),
    "replace": _replace,
    "substring": _substring,
    "charAt": lambda s, i: s[i : i + 1],
    "indexOf": _index_of,
    "lastIndexOf": _last_index_of,
    # Kubernetes library.Regex, library.Lists
    "find": lambda s, pattern: m.group(0) if (m := re.search(pattern, s)) else "",
    "findAll": lambda s, pattern, n=-1: re.findall(pattern, s)[: None if n < 0 else n],
    "isSorted": lambda items: list(items) == sorted(items),
    "sum": sum,
    "min": min,
    "max": max,
    # Kubernetes library.URLs
    "isURL": _is_url,
    "url": lambda s: s,
    "getScheme": lambda u: urlsplit(u).scheme,
    "getHost": lambda u: urlsplit(u).netloc,
    "getHostname": lambda u: urlsplit(u).hostname or "",
    "getPort": lambda u: str(urlsplit(u).port or ""),
    "getEscapedPath": lambda u: urlsplit(u).path,
    # Kubernetes library.IP and library.CIDR
    "isIP": _is_ip,
    "ip": lambda s: s,
    "isCIDR": _is_cidr,
    "cidr": lambda s: s,
    "family": _family,
    "isLoopback": lambda s: ipaddress.ip_address(s).is_loopback,
    "isUnspecified": lambda s: ipaddress.ip_address(s).is_unspecified,
    "isLinkLocalUnicast": lambda s: ipaddress.ip_address(s).is_link_local,
    "containsIP": lambda c, ip: ipaddress.ip_address(ip) in ipaddress.ip_network(c, strict=False),
    "prefixLength": lambda c: ipaddress.ip_network(c, strict=False).prefixlen,
    # Kubernetes library.Quantity
    "isQuantity": lambda s: names.quantity(s) is not None,
    "quantity": _checked_quantity,
    "compareTo": _compare,
    "isGreaterThan": lambda a, b: _compare(a, b) > 0,
    "isLessThan": lambda a, b: _compare(a, b) < 0,
    "asInteger": lambda q: int(_quantity(q)),
    "asApproximateFloat": lambda q: float(_quantity(q)),
}


def cel_value(value: Any) -> Any:
    """YAML's values as CEL sees JSON: timestamps and other scalars become strings."""
    if isinstance(value, dict):
        return {str(k): cel_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [cel_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


@cache
def _program(rule: str) -> Any:
    import cel  # only with CRDs: a run without them never loads the interpreter

    try:
        return cel.compile(rule)
    except ValueError as exc:
        raise RuleError(_first_sentence(str(exc))) from None


@cache
def _context() -> Any:
    """One context with Kubernetes' functions; each evaluation rebinds its variables."""
    import cel

    context = cel.Context()
    for name, function in FUNCTIONS.items():
        context.add_function(name, function)
    return context


def compile_problem(rule: str) -> str | None:
    """Why ``rule`` does not compile, or None."""
    try:
        _program(rule)
    except RuleError as exc:
        return str(exc)
    return None


def evaluate(rule: str, variables: dict[str, Any]) -> Any:
    """The value of ``rule`` with ``variables`` bound (``self``...); :class:`RuleError` when the
    interpreter cannot evaluate it."""
    program = _program(rule)
    context = _context()
    for name, value in variables.items():
        context.add_variable(name, value)
    try:
        return program.execute(context)
    except (RuntimeError, TypeError, ValueError, OverflowError, KeyError, IndexError) as exc:
        raise RuleError(_first_sentence(str(exc))) from None
