"""ita.importers.parse.read_file_bytes: the file reader that import_itas and import_measures share."""

from __future__ import annotations

import pytest

from ita.importers.parse import Limits, ParseError, read_file_bytes


def test_reads_the_whole_file(tmp_path):
    path = tmp_path / "ผล.csv"
    path.write_bytes(b"a,b\n1,2\n")
    assert read_file_bytes(path) == b"a,b\n1,2\n"


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read an oversized file"))
    with pytest.raises(ParseError) as caught:
        read_file_bytes(path, limits=Limits(max_bytes=2 * 1024 * 1024))
    assert str(caught.value) == "ไฟล์ big.csv ใหญ่เกินที่รับได้ (2 MB)"


def test_a_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "edge.csv"
    path.write_bytes(b"x" * 1024)
    assert len(read_file_bytes(path, limits=Limits(max_bytes=1024))) == 1024


def test_missing_and_unreadable_files_are_thai_parse_errors(tmp_path):
    missing = tmp_path / "missing.csv"
    with pytest.raises(ParseError) as caught:
        read_file_bytes(missing)
    assert str(caught.value) == f"ไม่พบไฟล์ {missing}"
    with pytest.raises(ParseError) as caught:
        read_file_bytes(tmp_path)  # a directory: stat works, reading does not
    assert str(caught.value).startswith(f"อ่านไฟล์ {tmp_path} ไม่ได้: ")
