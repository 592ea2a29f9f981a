"""Thai organisation-name search for the public portal (pure Python, no Django).

Real names are typed and printed in many ways: with or without the type ("เทศบาลตำบล",
"ทต."), with spaces, with a tone mark or ไม้ไต่คู้ missing, with a rare letter swapped for a
common one that sounds the same (ณ/น, ศ/ษ/ส, ล/ร …), with a silent ห added or dropped
("โละจูด" and "โลหะจูด" in one document). Both the query and every name are folded to a *key*
that forgets exactly those differences; a name matches when its key contains the query's key.
Exact and prefix matches rank first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ita.thai import to_arabic_digits

__all__ = ["Candidate", "Query", "fold", "name_key", "parse_query", "rank"]

# Marks that people add, drop or misplace without changing which name they mean: the four
# tone marks, ไม้ไต่คู้, การันต์, ไม้หันอากาศ, สระอะ, พินทุ, the silent ห, ไปยาลน้อย and ไม้ยมก.
_DROPPED = "\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4c\u0e31\u0e30\u0e3a\u0e2b\u0e2f\u0e46"
# Letters that sound alike and are swapped in real spellings, folded onto the common one;
# long and short vowels of a pair are folded too, and ใ onto ไ.
_SAME_SOUND = {
    "ณ": "น",
    "ศ": "ส",
    "ษ": "ส",
    "ล": "ร",
    "ฬ": "ร",
    "ธ": "ท",
    "ฑ": "ท",
    "ฒ": "ท",
    "ฐ": "ท",
    "ภ": "พ",
    "ฎ": "ด",
    "ฏ": "ต",
    "ฆ": "ค",
    "ฌ": "ช",
    "ญ": "ย",
    "ี": "ิ",
    "ื": "ึ",
    "ู": "ุ",
    "ใ": "ไ",
}
_TABLE = str.maketrans({**dict.fromkeys(_DROPPED, None), **_SAME_SOUND})
# After the table: only digits, ASCII letters and Thai letters and vowels are kept.
_NOT_KEPT = re.compile(r"[^0-9a-z\u0e01-\u0e3a\u0e40-\u0e4e]")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Full type names (matched after folding) and the organisation type they name.
_TYPE_NAMES: tuple[tuple[str, str | None], ...] = (
    ("องค์การบริหารส่วนจังหวัด", "pao"),
    ("องค์การบริหารส่วนตำบล", "sao"),
    ("เทศบาลนคร", "city"),
    ("เทศบาลเมือง", "town"),
    ("เทศบาลตำบล", "subdistrict_municipality"),
    ("เทศบาล", None),
)
# Abbreviations are only taken as a type when written as one ("อบต.", "ทต " or alone), so that
# a name which happens to start with the same letters ("ทนง…") is left alone.
_ABBREVIATIONS = {"อบจ": "pao", "อบต": "sao", "ทน": "city", "ทม": "town", "ทต": "subdistrict_municipality"}
# Followed by a space, a dot or the end; what follows is folded, which drops spaces and dots anyway.
_ABBREVIATION = re.compile(r"^\s*(" + "|".join(_ABBREVIATIONS) + r")(?=[\s.．]|$)")


def _fold_marks(text: str) -> str:
    """Unify how a word was typed before letters are folded: เเ → แ and a split sara am → ำ."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).lower().replace("เเ", "แ")
    # Sara am typed as nikhahit + sara aa, possibly with a tone mark between them.
    text = re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)
    return text.replace("\u0e4d", "")


def fold(text: str) -> str:
    """The search key of a text: what is left once spacing, marks and same-sound letters are forgotten."""
    folded = to_arabic_digits(_fold_marks(text)).translate(_TABLE)
    return _NOT_KEPT.sub("", folded)


_FOLDED_TYPES = tuple((fold(name), org_type) for name, org_type in _TYPE_NAMES)


def _split_type(text: str) -> tuple[str | None, str, bool]:
    """(organisation type or None, folded rest, whether a type prefix was found)."""
    abbreviation = _ABBREVIATION.match(text)
    if abbreviation:
        return _ABBREVIATIONS[abbreviation[1]], fold(text[abbreviation.end() :]), True
    key = fold(text)
    for prefix, org_type in _FOLDED_TYPES:
        if key.startswith(prefix):
            return org_type, key[len(prefix) :], True
    return None, key, False


@dataclass(frozen=True)
class Query:
    """A parsed search: the key to look for and the organisation type the user named, if any."""

    text: str
    key: str
    org_type: str | None
    code: str

    @property
    def only_type(self) -> bool:
        """True when the user typed just a type ("อบต."): list that type rather than match names."""
        return not self.key and self.org_type is not None


def parse_query(text: str) -> Query:
    """Parse what the user typed; an empty key with no type means there is nothing to search for."""
    text = (text or "").strip()[:100]
    org_type, key, _found = _split_type(text)
    code = re.sub(r"\s+", "", to_arabic_digits(text)).upper()
    return Query(text=text, key=key, org_type=org_type, code=code)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key of an organisation's name without its type; cached because names rarely change."""
    _org_type, key, found = _split_type(name)
    # A name that is nothing but a type (unlikely, but "เทศบาล" alone) keeps its full key.
    return key if key or not found else fold(name)


class Candidate(NamedTuple):
    """What ranking needs to know about one organisation (a tuple: thousands are made per search)."""

    pk: int
    name: str
    code: str
    org_type: str


def _rank_of(query: Query, candidate: Candidate) -> tuple | None:
    """A sort key (smaller is better), or None when the candidate does not match."""
    if query.code and candidate.code.upper() == query.code:
        return (0, 0, 0, candidate.name)
    key = name_key(candidate.name)
    if query.only_type:
        return (2, 0, len(key), candidate.name) if candidate.org_type == query.org_type else None
    if not query.key:
        return None
    if key == query.key:
        closeness = 0
    elif key.startswith(query.key):
        closeness = 1
    elif query.key in key:
        closeness = 2
    else:
        return None
    other_type = int(query.org_type is not None and candidate.org_type != query.org_type)
    return (closeness, other_type, len(key), candidate.name)


def rank(query: Query, candidates: Iterable[Candidate], *, limit: int | None = None) -> list[Candidate]:
    """The matching candidates, best first: exact, then prefix, then anywhere; the type the user named first."""
    scored = [(key, candidate) for candidate in candidates if (key := _rank_of(query, candidate)) is not None]
    scored.sort(key=lambda pair: (pair[0], pair[1].pk))
    return [candidate for _key, candidate in scored[:limit]]
