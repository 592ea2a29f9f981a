"""A framework file's records against the stored rows of one kind, field by field (pure: plain values in and out).

Rows are keyed by what names them inside their framework (an indicator's number, a sub-indicator's
or an item's code) and carry plain values (numbers, text, Decimal, the code or number a foreign key
points at), so that "1.00" and 1 weigh the same and a sub-indicator is compared by its code.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Set
from dataclasses import dataclass, field
from types import MappingProxyType

Key = Hashable
Fields = Mapping[str, object]


@dataclass(frozen=True)
class Differences:
    """What bringing the stored rows of one kind to the file would do, in the file's order."""

    added: tuple[Key, ...] = ()  # in the file, not stored: added
    updated: Mapping[Key, tuple[str, ...]] = field(default_factory=dict)  # differing fields follow the file
    edited: Mapping[Key, tuple[str, ...]] = field(default_factory=dict)  # a person changed the row: kept as it is
    extra: tuple[Key, ...] = ()  # stored, not in the file: never deleted
    deleted: tuple[Key, ...] = ()  # in the file, deleted by a person: not added back

    def __post_init__(self) -> None:
        object.__setattr__(self, "updated", MappingProxyType(dict(self.updated)))
        object.__setattr__(self, "edited", MappingProxyType(dict(self.edited)))

    @property
    def writes(self) -> bool:
        """True when applying these differences would write a row."""
        return bool(self.added or self.updated)


def differing(wanted: Fields, stored: Fields) -> tuple[str, ...]:
    """The fields of `wanted` whose value `stored` does not have; a field the file leaves out is not compared."""
    return tuple(name for name in wanted if name not in stored or wanted[name] != stored[name])


def compare(
    wanted: Mapping[Key, Fields],
    stored: Mapping[Key, Fields],
    *,
    edited: Set[Key] = frozenset(),
    deleted: Set[Key] = frozenset(),
) -> Differences:
    """The differences between the file's rows (`wanted`) and the stored ones.

    `edited` holds the keys of stored rows a person added or changed, `deleted` the keys of rows a
    person deleted: an administrator's correction is never undone.
    """
    added, gone = [], []
    updated: dict[Key, tuple[str, ...]] = {}
    kept: dict[Key, tuple[str, ...]] = {}
    for key, fields in wanted.items():
        if key not in stored:
            (gone if key in deleted else added).append(key)
            continue
        names = differing(fields, stored[key])
        if names:
            (kept if key in edited else updated)[key] = names
    extra = tuple(key for key in stored if key not in wanted)
    return Differences(tuple(added), updated, kept, extra, tuple(gone))
