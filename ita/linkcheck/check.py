"""check(url) → LinkResult: fetch one URL safely and say green, amber or red, and why.

Pure Python (the policy comes from the caller; ``settings.policy_from_settings()`` builds it
from Django's settings).
"""

from __future__ import annotations

import datetime
import email.utils
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from ita.linkcheck.addresses import Refused
from ita.linkcheck.fetch import Failed, Fetched, HostSlot, fetch
from ita.linkcheck.policy import Policy
from ita.linkcheck.verdict import on_own_host, reason_text, verdict_of
from ita.linkcheck.year import decode, html_text, pdf_text, text_mentions_year
from ita.thai import format_size, to_thai_digits

_SOFT_404 = ("404", "not found", "ไม่พบ")
_TEXT_TYPES = ("text/plain", "text/csv")


@dataclass(frozen=True)
class LinkResult:
    """What one URL answered. ``mentions_year`` is None when we could not read the text."""

    url: str
    verdict: str
    reason: str  # a code of verdict.REASONS
    reason_text: str  # its Thai explanation
    status: int | None = None
    final_url: str = ""
    content_type: str = ""
    size: int | None = None  # Content-Length when given, else the bytes read
    truncated: bool = False  # the body went past the size cap; we read only the start
    last_modified: datetime.datetime | None = None
    mentions_year: bool | None = None
    redirects: int = 0
    error: str = ""  # technical detail for logs and admins, not for the checklist


def check(
    url: str,
    *,
    fiscal_year: int,
    policy: Policy,
    expected_host: str | None = None,
    host_slot: HostSlot | None = None,
) -> LinkResult:
    """Fetch ``url`` within ``policy`` and judge it against ``fiscal_year`` (พ.ศ.)."""
    # The reasons are read by staff: their numbers in Thai digits, as everywhere in the interface.
    facts = {
        "year": to_thai_digits(str(fiscal_year)),
        "timeout": to_thai_digits(f"{policy.timeout:g}"),
        "max_redirects": to_thai_digits(str(policy.max_redirects)),
        "max_size": format_size(policy.max_bytes),
    }
    try:
        fetched = fetch(url, policy, host_slot)
    except (Refused, Failed) as exc:
        host = urlsplit(url).hostname or ""
        return LinkResult(
            url=url,
            verdict=verdict_of(exc.code),
            reason=exc.code,
            reason_text=reason_text(exc.code, host=host, **facts),
            error=exc.detail,
        )
    return _judge(url, fetched, fiscal_year, policy, expected_host, facts)


def _judge(
    url: str, fetched: Fetched, fiscal_year: int, policy: Policy, expected_host: str | None, facts: dict
) -> LinkResult:
    content_type, charset = _content_type(fetched.headers.get("content-type", ""))
    mentions, title = _mentions(fetched, content_type, charset, fiscal_year, policy)
    final_host = fetched.hosts[-1]
    status = fetched.status
    if status == 404:
        code = "not_found"
    elif not 200 <= status < 300:
        code = "http_error"
    elif any(word in title.lower() for word in _SOFT_404):
        code = "soft_404"
    elif fetched.truncated and not mentions:
        code = "too_large"  # the year may be in the part we did not read
    elif mentions is None:
        code = "year_unknown"
    else:
        code = "ok" if mentions else "year_missing"
    result = LinkResult(
        url=url,
        verdict=verdict_of(code),
        reason=code,
        reason_text=reason_text(code, status=to_thai_digits(str(status)), host=final_host, **facts),
        status=status,
        final_url=fetched.url,
        content_type=content_type,
        size=_size(fetched),
        truncated=fetched.truncated,
        last_modified=_http_date(fetched.headers.get("last-modified", "")),
        mentions_year=mentions,
        redirects=fetched.redirects,
    )
    return on_expected_host(result, expected_host, host=final_host)


# A page that answered 2xx and is not an error page: that it lives on another organisation's or a
# service's host outranks each of these (verdict.py's order).
ANSWERED = frozenset({"ok", "too_large", "year_missing", "year_unknown"})


def on_expected_host(result: LinkResult, expected_host: str | None, *, host: str | None = None) -> LinkResult:
    """The result judged against the organisation's own host: an answered page elsewhere is ``off_host``.

    check() applies it; a caller that fetched one URL for several organisations (ita.oit.linkhealth)
    applies it once per organisation. ``host`` is the last hop's host when known, else the final URL's.
    """
    if not expected_host or result.reason not in ANSWERED:
        return result
    host = host if host is not None else url_host(result.final_url or result.url)
    if on_own_host(host, expected_host):
        return result
    code = "off_host"
    return replace(result, verdict=verdict_of(code), reason=code, reason_text=reason_text(code, host=host))


def url_host(url: str) -> str:
    """A URL's host name as the checker writes it (lower case, IDNA, no trailing dot); '' when none."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""
    try:
        return host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _mentions(
    fetched: Fetched, content_type: str, charset: str | None, fiscal_year: int, policy: Policy
) -> tuple[bool | None, str]:
    """(does the body mention the year, the HTML title); None when the body's text is unreadable."""
    body = fetched.body
    if content_type == "application/pdf" or (not content_type and body.startswith(b"%PDF-")):
        text = None if fetched.truncated else pdf_text(body, policy.max_pdf_pages)
        return (None if text is None else text_mentions_year(text, fiscal_year)), ""
    if content_type in ("text/html", "application/xhtml+xml") or not content_type:
        title, text = html_text(body, charset)
        return text_mentions_year(text, fiscal_year) or text_mentions_year(title, fiscal_year), title
    if content_type in _TEXT_TYPES:
        return text_mentions_year(decode(body, charset), fiscal_year), ""
    return None, ""


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset


def _size(fetched: Fetched) -> int | None:
    length = fetched.headers.get("content-length", "").strip()
    if length.isdigit():
        return int(length)
    return None if fetched.truncated else len(fetched.body)


def _http_date(value: str) -> datetime.datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
