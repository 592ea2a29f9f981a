"""Years and months typed by people are read in time linear in the text (SECURITY.md B1)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.thai import ThaiValueError, parse_fiscal_year, parse_month
from tests.growth import assert_work_linear


def _refused(parse):
    def call(text: str) -> None:
        with pytest.raises(ThaiValueError):
            parse(text)

    return call


def test_a_year_padded_with_spaces_is_refused_in_linear_time():
    assert_work_linear(_refused(parse_fiscal_year), "FY" + " " * 2_000 + "x", "FY" + " " * 16_000 + "x", factor=8)


def test_a_long_month_is_refused_in_linear_time():
    assert_work_linear(_refused(parse_month), "ก" + "า" * 2_000, "ก" + "า" * 16_000, factor=8)


def test_short_texts_read_as_before():
    assert parse_fiscal_year("ปีงบประมาณ พ.ศ. ๒๕๖๖") == 2566
    assert parse_month("มกราคม") == 1
    with pytest.raises(ThaiValueError, match="ไม่ใช่ปีงบประมาณ"):
        parse_fiscal_year("ปีงบประมาณ" + " " * 40 + "2566")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["FY", "พ.ศ.", " ", "๒๕๖๖", "ม.ค.", "า", "่", "x"]), min_size=1, max_size=8).map("".join)
)
def test_doubling_the_text_at_most_doubles_the_work(text):
    for parse in (parse_fiscal_year, parse_month):

        def read(value: str, parse=parse) -> None:
            try:
                parse(value)
            except ThaiValueError:
                pass

        assert_work_linear(read, text * 8, text * 16, factor=2)
