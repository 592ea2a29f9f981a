"""Searching the measure library, the catalogue every organisation shares: words, indicator, item.

The text and indicator tests run in Python over one query of the library, not in SQL: the steps and
the indicators are JSON lists, which SQLite and PostgreSQL search differently (SQLite stores Thai
in JSON as \\u escapes), and both sides of the comparison are normalised the same way here (Thai
digits, case, spacing). The library is a curated catalogue of some dozens of measures, so one read
of it costs the same for every organisation.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import prefetch_related_objects

from ita.models import Framework, Item, ItemCrosswalk
from ita.thai import normalize_text, to_arabic_digits
from measures.models import LibraryMeasure

QUERY_MAX = 100  # characters of a search; longer input is refused by the form
PAGE_SIZE = 10


def folded(text: str) -> str:
    """Text as the search compares it: normalised, Arabic digits, case-folded, single spaces."""
    return " ".join(to_arabic_digits(normalize_text(text)).casefold().split())


def search_terms(query: str) -> list[str]:
    """The words of a search; a measure matches when every one of them occurs in its text."""
    return folded(query).split()


def searchable_text(measure: LibraryMeasure) -> str:
    """The title, the steps and the monitoring of a library measure, folded."""
    return folded("\n".join([measure.title, *measure.steps, measure.monitoring]))


def matches(measure: LibraryMeasure, terms: Iterable[str]) -> bool:
    text = searchable_text(measure)
    return all(term in text for term in terms)


def items_answering(item: Item) -> set[int]:
    """The item and the items of other years linked to it through the crosswalk (the library names one year's)."""
    return {item.pk} | ItemCrosswalk.objects.linked([item.pk])[item.pk]


def search_library(
    *, terms: Iterable[str] = (), indicator: int | None = None, item: Item | None = None
) -> list[LibraryMeasure]:
    """Library measures in library order that contain every term, answer the indicator and the item."""
    terms = list(terms)
    measures = LibraryMeasure.objects.all()
    if item is not None:
        measures = measures.filter(items__in=items_answering(item)).distinct()
    return [
        measure
        for measure in measures
        if (indicator is None or indicator in measure.indicators) and matches(measure, terms)
    ]


def codes_in_year(measures: list[LibraryMeasure], fiscal_year: int) -> dict[int, list[str]]:
    """Library measure id → codes, in the framework of `fiscal_year`, of the items it answers (three queries)."""
    prefetch_related_objects(measures, "items")
    own = {measure.pk: {item.pk for item in measure.items.all()} for measure in measures}
    every = set().union(*own.values())
    links = ItemCrosswalk.objects.linked(every) if every else {}
    in_year = list(
        Item.objects.filter(
            framework__fiscal_year=fiscal_year,
            framework__source=Framework.Source.NACC_ITAS,
            pk__in=every.union(*links.values()),
        )
        .order_by("order", "code")
        .values_list("pk", "code")
    )
    found = {}
    for measure in measures:
        reached = own[measure.pk].union(*(links[pk] for pk in own[measure.pk]))
        found[measure.pk] = [code for pk, code in in_year if pk in reached]
    return found
