"""Reading a CSV costs time linear in the file (SECURITY.md B1); csv.Sniffer reads a bounded prefix only.

Issue 14 item 3: a 60 KB CSV crafted against csv.Sniffer's quote detection took 10 s.
"""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.importers.parse import SNIFF_CHARS, SNIFF_LINES, ParseError, detect_delimiter, read_table
from tests.growth import assert_work_linear


def crafted(pairs: int, header: str = "") -> str:
    # Every ',"' opens a quoted field the sniffer's pattern then looks for the end of, to the end of the text.
    return header + ',"a' * pairs


def test_sniffer_attack_is_linear():
    assert_work_linear(detect_delimiter, crafted(1_000), crafted(8_000), factor=8)


def test_sniffer_attack_with_an_ambiguous_header_is_linear():
    # A header with both a comma and a semicolon still needs the sniffer: it only sees the first lines.
    assert_work_linear(detect_delimiter, crafted(1_000, "a,b;c\n"), crafted(8_000, "a,b;c\n"), factor=8)

    def read(text: str) -> None:
        with pytest.raises(ParseError, match="คอลัมน์"):
            read_table(text.encode(), "x.csv")

    assert_work_linear(read, crafted(1_000, "a,b;c\n"), crafted(8_000, "a,b;c\n"), factor=8)


def test_the_header_decides_when_it_holds_one_delimiter():
    assert detect_delimiter("a;b;c\n1,5;2;3\n") == ";"
    assert detect_delimiter("a\tb\n1,2\t3\n") == "\t"
    assert detect_delimiter("รหัส\nA1\n") == ","


def test_sniffing_reads_the_first_lines_only():
    body = "".join(f"{n};x,y;z\n" for n in range(SNIFF_LINES * 3))
    # What comes after the sniffed prefix cannot change the answer.
    long_tail = "a;b,c;d\n" + body[: SNIFF_CHARS // 2] + "1,2,3,4,5,6,7\n" * 5_000
    assert detect_delimiter(long_tail) == detect_delimiter("a;b,c;d\n" + body[: SNIFF_CHARS // 2])


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_reading_grows_linearly_with_rows():
    header = ["รหัสหน่วยงาน", "ปีงบประมาณ", "คะแนนรวม", "หมายเหตุ"]
    rows = [["6380101", "2567", "85.50", 'ข้อความ "มีเครื่องหมายคำพูด", และจุลภาค']] * 100
    assert_work_linear(
        lambda data: read_table(data, "x.csv"), _csv([header, *rows]), _csv([header, *rows * 8]), factor=8
    )


CELL = st.text(alphabet=st.sampled_from(list("ab ก,;\t\"'\r\n๑1.")), max_size=12)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8))
def test_doubling_the_rows_at_most_doubles_the_work(rows):
    def read(data: bytes) -> None:
        try:
            read_table(data, "x.csv")
        except ValueError:
            pass  # a refusal is fine; what it costs is what is measured

    assert_work_linear(read, _csv(rows * 4), _csv(rows * 8), factor=2)
