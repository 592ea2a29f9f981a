"""Which URLs and which addresses the link checker may connect to (SECURITY.md B6).

A URL is checked in two steps: its form (scheme, userinfo, port) before anything else, then every
address its host name resolves to. The fetcher connects to an address that passed, never to the
name, so that a second DNS answer (rebinding) cannot send it elsewhere. Pure Python.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urlsplit

from ita.linkcheck.policy import Policy

# Cloud metadata services that sit on addresses ipaddress does not call private in every version.
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(Exception):
    """The URL or its address is not one we may fetch; ``code`` names the reason (see verdict.py)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Target:
    """A URL that passed the form checks: where to connect and what to ask for."""

    scheme: str
    host: str  # the name as written (lower case, IDNA-encoded), sent as Host and SNI
    port: int
    path: str  # path and query, as sent on the request line

    @property
    def default_port(self) -> bool:
        return self.port == _DEFAULT_PORTS[self.scheme]


def parse_target(url: str) -> Target:
    """Check a URL's form; raise Refused for a scheme other than http(s), userinfo or a bad URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise Refused("bad_url", str(exc)) from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise Refused("refused_scheme", scheme)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Refused("refused_userinfo")
    host = _host_name(parts)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port or _DEFAULT_PORTS[scheme], path=_printable(path))


def _host_name(parts: SplitResult) -> str:
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused("bad_url", "no host")
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        raise Refused("bad_url", host) from None


def _printable(path: str) -> str:
    # A Thai file name pasted from the address bar arrives unescaped; the request line is ASCII.
    return quote(path, safe="/?&=%:;@+,$!*'()~#[]-._")


def address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int, policy: Policy) -> str:
    """'' when we may connect to (address, port), else the reason code."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        # Loopback test sites run on any port; everything else keeps to the policy's ports.
        return "" if policy.allow_loopback else "refused_address"
    if address in _METADATA or not address.is_global or address.is_multicast:
        return "refused_address"
    if port not in policy.ports:
        return "refused_port"
    return ""


def resolve(target: Target, policy: Policy) -> list[str]:
    """Every address the host resolves to, all checked; raise Refused if any one is not allowed."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused("dns", str(exc)) from None
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]
        reason = address_allowed(ipaddress.ip_address(text), target.port, policy)
        if reason:
            # One bad answer refuses the name: a resolver that mixes in 10.0.0.1 is not trusted.
            raise Refused(reason, text)
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise Refused("dns", "no address")
    return addresses
