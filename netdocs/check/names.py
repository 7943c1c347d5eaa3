"""Name, label and address formats, as Kubernetes' apimachinery validation defines them.

Each check returns the problems (empty when the value is fine), worded like the API
server's own messages so a reader can search for them.
"""

from __future__ import annotations

import ipaddress
import re
from decimal import Decimal

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL = re.compile(rf"^{_LABEL}$")
DNS1123_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
WILDCARD_SUBDOMAIN = re.compile(rf"^\*\.{_LABEL}(\.{_LABEL})*$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_PORT_NAME_CHARS = re.compile(r"^[-a-z0-9]+$")


def dns1123_label(value: str) -> list[str]:
    out = [] if len(value) <= 63 else ["must be no more than 63 characters"]
    if not DNS1123_LABEL.match(value):
        out.append(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            "and must start and end with an alphanumeric character (e.g. 'my-name')"
        )
    return out


def dns1123_subdomain(value: str) -> list[str]:
    out = [] if len(value) <= 253 else ["must be no more than 253 characters"]
    if not DNS1123_SUBDOMAIN.match(value):
        out.append(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
            "and must start and end with an alphanumeric character (e.g. 'example.com')"
        )
    return out


def dns1035_label(value: str) -> list[str]:
    out = [] if len(value) <= 63 else ["must be no more than 63 characters"]
    if not DNS1035_LABEL.match(value):
        out.append(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character (e.g. 'my-name')"
        )
    return out


def port_name(value: str) -> list[str]:
    """IANA_SVC_NAME (RFC 6335): what a containerPort name or a named targetPort must be."""
    out = []
    if len(value) > 15:
        out.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARS.match(value):
        out.append("must contain only lower-case alphanumeric characters (a-z, 0-9) and hyphens (-)")
    if "--" in value:
        out.append("must not contain consecutive hyphens")
    if not re.search(r"[a-z]", value):
        out.append("must contain at least one letter (a-z)")
    if value.startswith("-") or value.endswith("-"):
        out.append("must not begin or end with a hyphen")
    return out


def qualified_name(value: str) -> list[str]:
    """A label or annotation key: optional DNS subdomain prefix, '/', and a name of at most 63 characters."""
    prefix, slash, name = value.rpartition("/")
    out: list[str] = []
    if slash:
        if not prefix:
            out.append("prefix part must be non-empty")
        else:
            out += [f"prefix part {msg}" for msg in dns1123_subdomain(prefix)]
    if not name:
        out.append("name part must be non-empty")
    elif len(name) > 63:
        out.append("name part must be no more than 63 characters")
    elif not _QUALIFIED_NAME.match(name):
        out.append(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')"
        )
    return out


def label_value(value: str) -> list[str]:
    out = [] if len(value) <= 63 else ["must be no more than 63 characters"]
    if not _LABEL_VALUE.match(value):
        out.append(
            "a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' "
            "or '.', and must start and end with an alphanumeric character"
        )
    return out


def ip_address(value: str) -> list[str]:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return ["must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    return []


def cidr(value: str) -> list[str]:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return ["must be a valid CIDR value (e.g. 10.9.8.0/24 or 2001:db8::/64)"]
    if "/" not in value:
        return ["must be a valid CIDR value with a prefix length (e.g. 10.9.8.0/24)"]
    return []


def is_ip(value: str) -> bool:
    return not ip_address(value)


def ip_version(value: str) -> str:
    """``IPv4`` or ``IPv6`` for a valid address."""
    return f"IPv{ipaddress.ip_address(value).version}"


def strict_subnet(inner: str, outer: str) -> bool:
    """Whether CIDR ``inner`` lies inside ``outer`` and is smaller (NetworkPolicy ipBlock.except)."""
    a, b = ipaddress.ip_network(inner, strict=False), ipaddress.ip_network(outer, strict=False)
    return a.version == b.version and a.subnet_of(b) and a.prefixlen > b.prefixlen  # type: ignore[arg-type]


def special_ip(value: str) -> list[str]:
    """What the API server refuses for endpoints and externalIPs (ValidateNonSpecialIP)."""
    ip = ipaddress.ip_address(value)
    for label, bad in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
    ):
        if bad:
            return [f"may not be {label} (an endpoint must be an address a Pod can reach)"]
    return []


def path_segment_name(value: str) -> list[str]:
    """Names that only have to be one segment of a URL path: roles and role bindings.

    kubernetes/kubernetes pkg/apis/rbac/validation/validation.go, ``ValidateRBACName``
    (``path.IsValidPathSegmentName``): so ``system:kube-dns-autoscaler`` is a valid ClusterRole.
    """
    if value in (".", ".."):
        return [f"may not be {value!r}"]
    return [f"may not contain {bad!r}" for bad in ("/", "%") if bad in value]


_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|n|u|m|k|M|G|T|P|E)?$")
_SUFFIX = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


def quantity(value: object) -> Decimal | None:
    """A resource quantity (``500m``, ``1Gi``, ``1e3``, 2) as a number, or None when it is not one.

    The grammar of k8s.io/apimachinery/pkg/api/resource/quantity.go: a signed decimal with an
    optional binary (Ki..Ei), decimal (n..E) or exponent suffix.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    match = _QUANTITY.match(str(value).strip())
    if match is None:
        return None
    number, suffix = Decimal(match.group(1)), match.group(2) or ""
    if suffix.endswith("i"):
        return number * 1024 ** ("KMGTPE".index(suffix[0]) + 1)
    if suffix[:1] in ("e", "E"):
        return number.scaleb(int(suffix[1:]))
    return number.scaleb(_SUFFIX[suffix])
