"""Periods, steps and unit names of a measures spreadsheet are read in time linear in the cell (SECURITY.md B1)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.thai import ThaiValueError
from measures.importers.cells import parse_answers, parse_period, parse_steps, split_units
from tests.growth import assert_work_linear


def _period(text: str) -> None:
    try:
        parse_period(text)
    except ThaiValueError:
        pass


def test_a_period_with_a_long_month_is_linear():
    assert_work_linear(_period, "ม.ค. - ก" + "า" * 1_000, "ม.ค. - ก" + "า" * 8_000, factor=8)


def test_unit_names_padded_with_tabs_are_linear():
    def units(text: str) -> None:
        split_units(text, {})

    assert_work_linear(units, "กองช่าง" + "\t" * 1_000 + "x", "กองช่าง" + "\t" * 8_000 + "x", factor=8)


def test_numbered_steps_are_linear():
    def steps(count: int) -> str:
        return " ".join(f"{number}. ทำขั้นตอนที่ {number}" for number in range(1, count + 1))

    assert_work_linear(parse_steps, steps(300), steps(2_400), factor=8)
    assert parse_steps(steps(3)) == ["ทำขั้นตอนที่ 1", "ทำขั้นตอนที่ 2", "ทำขั้นตอนที่ 3"]


def test_units_split_as_before():
    known = {"กองช่าง": "กองช่าง", "สำนักปลัด": "สำนักปลัด"}
    assert split_units("กองช่าง ,\tสำนักปลัด ; กองคลัง", known) == (["กองช่าง", "สำนักปลัด", "กองคลัง"], ["กองคลัง"])


PIECES = ["ม.ค.", "มกราคม", " ", "-", "ถึง", "๖๗", "2567", "พ.ศ.", "ตลอดปี", "i7", ",", "ข้อ", "1.", "x", "\t"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join))
def test_doubling_a_cell_at_most_doubles_the_work(text):
    def read(value: str) -> None:
        for parse in (parse_period, parse_answers, parse_steps, lambda cell: split_units(cell, {})):
            try:
                parse(value)
            except ThaiValueError:
                pass

    assert_work_linear(read, text * 8, text * 16, factor=2)


@pytest.mark.parametrize("text", ["ม.ค. – มี.ค. ๖๗", "ต.ค. ๖๖ - ก.ย. ๖๗", "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗"])
def test_periods_read_as_before(text):
    assert parse_period(text).kind in ("months", "whole_year")
