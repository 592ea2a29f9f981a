"""reports.portal.search: the Thai name key and the ranking (pure, no database)."""

import pytest

from reports.portal.search import Candidate, fold, name_key, parse_query, rank

NONGLAENG = Candidate(pk=1, name="เทศบาลตำบลหนองเล็ง", code="5380501", org_type="subdistrict_municipality")
NONGLAENG_SAO = Candidate(pk=2, name="องค์การบริหารส่วนตำบลหนองเล็งใหญ่", code="6380502", org_type="sao")
BAN_NONGLAENG = Candidate(pk=3, name="เทศบาลตำบลบ้านหนองเล็ง", code="5380503", org_type="subdistrict_municipality")
LOHJUD = Candidate(pk=4, name="องค์การบริหารส่วนตำบลโละจูด", code="6960401", org_type="sao")
KANCHANADIT = Candidate(pk=5, name="เทศบาลเมืองกาญจนดิษฐ์", code="4840101", org_type="town")
SRI_SAKET = Candidate(pk=6, name="องค์การบริหารส่วนจังหวัดศรีสะเกษ", code="2330101", org_type="pao")
ALL = [NONGLAENG, NONGLAENG_SAO, BAN_NONGLAENG, LOHJUD, KANCHANADIT, SRI_SAKET]


def names(text: str) -> list[str]:
    return [candidate.name for candidate in rank(parse_query(text), ALL)]


@pytest.mark.parametrize(
    "typed",
    [
        "หนองเล็ง",  # the place name alone
        "เทศบาลตำบลหนองเล็ง",  # the full name
        "ทต.หนองเล็ง",  # abbreviated type with a dot
        "ทต หนองเล็ง",  # abbreviated type with a space
        "หนอง เล็ง",  # a space inside
        "  หนองเล็ง\u200b ",  # padding and a zero-width space pasted from a PDF
        "หนองเลง",  # ไม้ไต่คู้ missing
        "หนองเล้ง",  # a tone mark instead of ไม้ไต่คู้
        "หนองเร็ง",  # ร for ล
        "เทสบาลตำบลหนองเล็ง",  # ส for ศ in the type
        "นองเล็ง",  # silent ห dropped
    ],
)
def test_variants_find_nonglaeng_first(typed):
    assert names(typed)[0] == "เทศบาลตำบลหนองเล็ง"


def test_exact_then_prefix_then_anywhere():
    assert names("หนองเล็ง") == ["เทศบาลตำบลหนองเล็ง", "องค์การบริหารส่วนตำบลหนองเล็งใหญ่", "เทศบาลตำบลบ้านหนองเล็ง"]


def test_the_type_the_user_named_comes_first_among_equals():
    # Both are prefix matches; the user asked for an อบต.
    query = parse_query("อบต.หนองเล็ง")
    assert [c.pk for c in rank(query, [BAN_NONGLAENG, NONGLAENG_SAO])] == [2, 3]
    ranked = rank(parse_query("อบต.หนองเล็ง"), ALL)
    assert [c.pk for c in ranked] == [1, 2, 3]  # exact beats the type hint; the hint orders within a class
    ranked = rank(parse_query("ทต.หนองเล็งใหญ่"), ALL)
    assert [c.pk for c in ranked] == [2]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("โลหะจูด", "องค์การบริหารส่วนตำบลโละจูด"),  # the seed document's own misspelling
        ("อบต. โละจูด", "องค์การบริหารส่วนตำบลโละจูด"),
        ("กาญจนดิษ", "เทศบาลเมืองกาญจนดิษฐ์"),  # การันต์ letter left out
        ("กาญจนดิศฐ", "เทศบาลเมืองกาญจนดิษฐ์"),  # ศ for ษ, การันต์ missing
        ("ศรีสะเกษ", "องค์การบริหารส่วนจังหวัดศรีสะเกษ"),
        ("ศรีสะเกศ", "องค์การบริหารส่วนจังหวัดศรีสะเกษ"),
        ("อบจ.ศรีสะเกษ", "องค์การบริหารส่วนจังหวัดศรีสะเกษ"),
    ],
)
def test_misspellings(typed, expected):
    assert expected in names(typed)


def test_code_matches_exactly():
    assert names("5380501") == ["เทศบาลตำบลหนองเล็ง"]
    assert names("๕๓๘๐๕๐๑") == ["เทศบาลตำบลหนองเล็ง"]  # Thai digits


def test_a_type_alone_lists_that_type():
    query = parse_query("อบต.")
    assert query.only_type
    assert {c.pk for c in rank(query, ALL)} == {2, 4}


def test_nothing_to_search_for():
    assert names("") == []
    assert names("   ") == []
    assert names("...") == []
    assert names("เชียงใหม่") == []


def test_an_abbreviation_needs_a_separator():
    # "ทน" is also how real names begin; without a dot or space it is part of the name.
    query = parse_query("ทนงค์")
    assert query.org_type is None
    assert query.key == fold("ทนงค์")


def test_fold_is_idempotent_and_unifies_how_sara_am_was_typed():
    for text in ("เทศบาลตำบลหนองเล็ง", "น้ำ", "องค์การบริหารส่วนตำบลโละจูด"):
        assert fold(fold(text)) == fold(text)
    assert fold("น\u0e4d\u0e49\u0e32") == fold("น้ำ")  # nikhahit + tone + sara aa
    assert fold("เเม่สาย") == fold("แม่สาย")  # two sara e for sara ae


def test_name_key_drops_the_type():
    assert name_key("เทศบาลตำบลหนองเล็ง") == name_key("หนองเล็ง") == name_key("ทต.หนองเล็ง")
    assert name_key("กรุงเทพมหานคร") == fold("กรุงเทพมหานคร")  # not a type prefix


def test_limit_keeps_the_best():
    assert [c.pk for c in rank(parse_query("หนองเล็ง"), ALL, limit=2)] == [1, 2]
