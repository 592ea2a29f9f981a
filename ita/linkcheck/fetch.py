"""One GET of one URL, hop by hop, connecting only to addresses that passed addresses.py.

Each hop: check the URL's form, resolve the name once and check every address, connect to a
checked address (sending the name as Host and TLS SNI, with the certificate verified against the
name), send no cookie and no credentials, read at most ``max_bytes`` of the body within one
deadline. Redirects are followed by hand, each one checked like the first URL. Pure Python.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ita.linkcheck.addresses import Target, parse_target, resolve
from ita.linkcheck.policy import Policy

_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_TLS = ssl.create_default_context()

# Takes a host name and gives the context a request to that host runs in (the per-host limit).
HostSlot = Callable[[str], AbstractContextManager[object]]


class Failed(Exception):
    """The exchange broke off; ``code`` names how (timeout, connect, tls, protocol, ...)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass
class Fetched:
    """What the last hop answered, and the way there."""

    url: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    redirects: int = 0
    hosts: list[str] = field(default_factory=list)


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a given address, whatever the Host header says."""

    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a given address, with SNI and certificate checked for the name."""

    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=_TLS)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = _TLS.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, policy: Policy, host_slot: HostSlot | None = None) -> Fetched:
    """Follow ``url`` through at most ``policy.max_redirects`` redirects; raise Refused or Failed."""
    slot = host_slot or (lambda _host: nullcontext())
    result = Fetched(url=url)
    while True:
        target = parse_target(result.url)
        addresses = resolve(target, policy)
        result.hosts.append(target.host)
        with slot(target.host):
            _exchange(target, addresses, policy, result)
        location = result.headers.get("location")
        if result.status not in _REDIRECTS:
            return result
        if not location:
            raise Failed("bad_redirect")
        if result.redirects >= policy.max_redirects:
            raise Failed("too_many_redirects", location)
        result.redirects += 1
        result.url = urljoin(result.url, location.strip())


def _exchange(target: Target, addresses: list[str], policy: Policy, result: Fetched) -> None:
    deadline = time.monotonic() + policy.timeout
    connection = _connect(target, addresses, policy)
    try:
        host = f"[{target.host}]" if ":" in target.host else target.host  # an IPv6 literal
        host = host if target.default_port else f"{host}:{target.port}"
        connection.putrequest("GET", target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in (
            ("Host", host),
            ("User-Agent", policy.user_agent),
            ("Accept", "text/html,application/pdf,*/*;q=0.5"),
            ("Accept-Encoding", "identity"),
            ("Connection", "close"),
        ):
            connection.putheader(name, value)
        connection.endheaders()
        _settimeout(connection, deadline)
        response = connection.getresponse()
        result.status = response.status
        result.headers = {name.lower(): value for name, value in response.getheaders()}
        if response.status in _REDIRECTS:
            result.body, result.truncated = b"", False
            return
        result.body, result.truncated = _read_body(response, policy.max_bytes, deadline)
    except TimeoutError:
        raise Failed("timeout") from None
    except ssl.SSLError as exc:
        raise Failed("tls", str(exc)) from None
    except (http.client.HTTPException, OSError) as exc:
        raise Failed("protocol", str(exc)) from None
    finally:
        connection.close()


def _connect(target: Target, addresses: list[str], policy: Policy) -> _PinnedHTTP | _PinnedHTTPS:
    kind: type[_PinnedHTTP | _PinnedHTTPS] = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    last: Exception | None = None
    for address in addresses:
        connection = kind(target, address, policy.timeout)
        try:
            connection.connect()
            return connection
        except TimeoutError:
            raise Failed("timeout") from None
        except ssl.SSLError as exc:
            raise Failed("tls", str(exc)) from None
        except OSError as exc:
            last = exc
    raise Failed("connect", str(last))


def _settimeout(connection: _PinnedHTTP | _PinnedHTTPS, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise Failed("timeout")
    if connection.sock is not None:
        connection.sock.settimeout(remaining)


def _read_body(response: http.client.HTTPResponse, cap: int, deadline: float) -> tuple[bytes, bool]:
    """At most ``cap`` bytes, before the deadline; True when more was on offer.

    http.client hands the socket to the response with ``Connection: close``, so each read keeps the
    timeout set before the headers: a server dribbling bytes is cut at the deadline plus one read.
    """
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        if time.monotonic() > deadline:
            raise Failed("timeout")
        chunk = response.read(min(_CHUNK, cap + 1 - size))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:cap], True
