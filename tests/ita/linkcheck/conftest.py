from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from ita.linkcheck import Policy
from tests.ita.linkcheck.site import Site


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback() -> Policy:
    """What the tests' settings allow: the loopback site, with short limits."""
    return Policy(allow_loopback=True, timeout=1.0, max_bytes=64 * 1024, user_agent="ITA-Measures-LinkCheck/1 (+test)")


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address the checker connects to, in order."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def record(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        made.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", record)
    return made


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Fake answers for chosen names (name → addresses); other names resolve as usual."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def lookup(host: str, port: int, *args: object, **kwargs: object) -> list:
        if host in answers:
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return answers
