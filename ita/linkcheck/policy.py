"""What the link checker may do: addresses, ports, time and size limits (SECURITY.md B6).

Pure Python: the Django settings are read by ``ita.linkcheck.settings.policy_from_settings()``.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Policy:
    """Limits of one check. ``allow_loopback`` exists for tests and local demos only."""

    user_agent: str = "ITA-Measures-LinkCheck/1"
    allow_loopback: bool = False
    ports: frozenset[int] = frozenset({80, 443})
    timeout: float = 10.0  # seconds for the whole exchange of one hop: connect, headers, body
    max_bytes: int = 2 * MB  # body bytes read, then we stop
    max_redirects: int = 3
    max_pdf_pages: int = 20  # PDF pages whose text is searched for the year
    workers: int = 16  # threads of one check_many call
    per_host: int = 2  # requests in flight to one host name at any moment
