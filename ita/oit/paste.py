"""Lines such as "O1 https://…", "ข้อ ๐๑ …", "o 1: …" pasted into the checklist → URLs per OIT item.

Pure Python (no Django). A line is: an optional "ข้อ" / "ข้อที่", the letter O (optional after
"ข้อ"), the item number in Arabic or Thai digits, an optional ":" "." ")" or "-", then one or more
URLs separated by spaces. Every line that cannot be used is reported with its line number and a Thai
reason; lines of the same item add up (duplicates kept once).

Cost (SECURITY.md B1): linear in the text. Lines are scanned character by character and split on
whitespace; no regular expression is used, so nothing can backtrack.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from ita.thai import format_number, to_arabic_digits

PASTE_MAX_CHARS = 100_000
CODE_DIGITS_MAX = 4
URL_MAX_CHARS = 2000
URLS_PER_ITEM_MAX = 5
_PREFIXES = ("ข้อที่", "ข้อ")  # longest first
_LETTERS = frozenset("OoＯｏ")
_DIGITS = frozenset("0123456789๐๑๒๓๔๕๖๗๘๙")
_SEPARATORS = frozenset(":.)-：")
_SCHEMES = ("http://", "https://")
_FILLERS = frozenset({"|", ",", ";", "-", "–", ":"})


@dataclass(frozen=True)
class PasteError:
    line: int | None  # None: about the whole paste (too many URLs for one item)
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"บรรทัด {format_number(self.line)}: {self.message}"


@dataclass
class PasteResult:
    """Item code ("o1") → URLs in the order pasted; errors in line order."""

    urls: dict[str, list[str]] = field(default_factory=dict)
    errors: list[PasteError] = field(default_factory=list)


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def split_code(line: str) -> tuple[str, str] | None:
    """("o1", the rest of the line) for a line that starts with an item code; None when it does not."""
    pos = 0
    prefixed = False
    for prefix in _PREFIXES:
        if line.startswith(prefix):
            pos, prefixed = _skip_spaces(line, len(prefix)), True
            break
    if pos < len(line) and line[pos] in _LETTERS:
        pos = _skip_spaces(line, pos + 1)
    elif not prefixed:
        return None
    start = pos
    while pos < len(line) and line[pos] in _DIGITS:
        pos += 1
    digits = line[start:pos]
    if not digits or len(digits) > CODE_DIGITS_MAX:
        return None
    number = int(to_arabic_digits(digits))
    if number < 1:
        return None
    after = _skip_spaces(line, pos)
    if after < len(line) and line[after] in _SEPARATORS:
        pos = after + 1
    elif pos < len(line) and not line[pos].isspace() and not line.startswith(_SCHEMES, pos):
        return None  # "O1a", "ข้อ 1ก": not a code followed by a URL
    return f"o{number}", line[pos:]


def url_problem(url: str) -> str | None:
    """Why a pasted token is not an evidence URL, in Thai; None when it is one."""
    shown = url if len(url) <= 60 else url[:60] + "…"
    if len(url) > URL_MAX_CHARS:
        return f"ลิงก์ '{shown}' ยาวเกิน {format_number(f'{URL_MAX_CHARS:,}')} ตัวอักษร"
    lowered = url[:8].lower()
    scheme = next((s for s in _SCHEMES if lowered.startswith(s)), None)
    if scheme is None:
        return f"'{shown}' ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"
    if len(url) == len(scheme) or url[len(scheme)] in "/?#":
        return f"ลิงก์ '{shown}' ไม่มีชื่อเว็บไซต์"
    return None


def parse_paste(
    text: str, known_codes: Collection[str], *, check_url: Callable[[str], str | None] | None = None
) -> PasteResult:
    """The URLs of each known item in `text`; unknown codes, bad URLs and unreadable lines as errors.

    `check_url` may add a stricter check of each URL (the model's validator), answering a Thai reason or None.
    """
    result = PasteResult()
    seen: dict[str, dict[str, None]] = {}  # code → URLs as dict keys: ordered, duplicates dropped in O(1)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line:
            _read_line(line, number, known_codes, check_url, result, seen)
    result.urls = {code: list(urls) for code, urls in seen.items() if urls}
    for code, urls in result.urls.items():
        if len(urls) > URLS_PER_ITEM_MAX:
            message = (
                f"ข้อ {code.upper()} มีลิงก์ {format_number(len(urls))} ลิงก์"
                f" ใส่ได้ไม่เกิน {format_number(URLS_PER_ITEM_MAX)} ลิงก์ต่อข้อ"
            )
            result.errors.append(PasteError(None, message))
    return result


def _read_line(
    line: str,
    number: int,
    known_codes: Collection[str],
    check_url: Callable[[str], str | None] | None,
    result: PasteResult,
    seen: dict[str, dict[str, None]],
) -> None:
    found = split_code(line)
    if found is None:
        shown = line if len(line) <= 40 else line[:40] + "…"
        result.errors.append(PasteError(number, f"ไม่พบรหัสข้อที่ต้นบรรทัด (เช่น O1 หรือ ข้อ ๑): '{shown}'"))
        return
    code, rest = found
    if code not in known_codes:
        result.errors.append(PasteError(number, f"ไม่มีข้อ {code.upper()} ในรายการ OIT ของปีนี้"))
        return
    tokens = [token.rstrip(",;") for token in rest.split()]
    tokens = [token for token in tokens if token and token not in _FILLERS]
    if not tokens:
        result.errors.append(PasteError(number, f"ไม่มีลิงก์หลังรหัสข้อ {code.upper()}"))
        return
    urls = seen.setdefault(code, {})
    for token in tokens:
        problem = url_problem(token) or (check_url(token) if check_url is not None else None)
        if problem:
            result.errors.append(PasteError(number, problem))
        else:
            urls[token] = None
