"""Organisation-name search folds queries and names in time linear in the text (SECURITY.md B1)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.portal.search import name_key, parse_query
from tests.growth import assert_work_linear

# name_key is cached; the function under the cache is what costs.
uncached_name_key = name_key.__wrapped__


def test_an_abbreviation_padded_with_spaces_is_linear():
    assert_work_linear(uncached_name_key, "อบต" + " " * 2_000 + "x", "อบต" + " " * 16_000 + "x", factor=8)


def test_abbreviations_still_name_the_type():
    assert parse_query("อบต. หนองเล็ง").org_type == "sao"
    assert parse_query("ทต หนองเล็ง").org_type == "subdistrict_municipality"
    assert parse_query("ทนง").org_type is None
    assert uncached_name_key("อบต.  หนองเล็ง") == uncached_name_key("หนองเล็ง")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["อบต", "ทต", ".", " ", "เทศบาลตำบล", "หนอง", "ํา", "่", "๑", "A"]), max_size=8).map("".join)
)
def test_doubling_a_name_at_most_doubles_the_work(text):
    assert_work_linear(uncached_name_key, text * 8, text * 16, factor=2)
    assert_work_linear(parse_query, text * 8, text * 16, factor=2)
