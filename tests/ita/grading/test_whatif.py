"""ita.grading.whatif called directly: reading, validating and grading a what-if document, and the output builders.

No test here is marked for the database, so pytest-django turns any query into an error.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from ita.grading import whatif
from ita.grading.inputs import spec_from_fixture
from ita.grading.rules import grade
from tests.ita.grading.test_rules import SEEDS, spec

D = Decimal


def write(tmp_path: Path, text: str, name: str = "scores.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def seed_document(seed: str) -> dict:
    year, values, _overall, _level = SEEDS[seed]
    return {"fiscal_year": year, "indicators": {str(n): v for n, v in enumerate(values.split(), start=1)}}


# -- reading -------------------------------------------------------------------------------------


def test_read_document_keeps_numbers_decimal_and_skips_a_bom(tmp_path):
    path = tmp_path / "scores.json"
    path.write_bytes(b'\xef\xbb\xbf{"fiscal_year": 2566, "tools": {"IIT": 84.99}}')
    document = whatif.read_document(path)
    assert document == {"fiscal_year": 2566, "tools": {"IIT": D("84.99")}}
    assert isinstance(document["tools"]["IIT"], Decimal)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"fiscal_year": 2566,', "ไฟล์ scores.json ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด 1 คอลัมน์ 22)"),
        ("[2566]", 'ไฟล์ scores.json ต้องเป็นออบเจกต์ JSON เช่น {"fiscal_year": 2566}'),
        ('{"fiscal_year": 2566, "score": {}}', "ไม่รู้จักหัวข้อ score (ใช้ได้: fiscal_year, tools, indicators, items"),
    ],
)
def test_read_document_refuses_a_bad_document_in_thai(tmp_path, text, message):
    with pytest.raises(whatif.WhatIfError) as caught:
        whatif.read_document(write(tmp_path, text))
    assert message in str(caught.value)


def test_read_document_names_a_missing_or_undecodable_file(tmp_path):
    with pytest.raises(whatif.WhatIfError, match="ไม่พบไฟล์"):
        whatif.read_document(tmp_path / "nothing.json")
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"fiscal_year": "\xff"}')
    with pytest.raises(whatif.WhatIfError, match="ต้องเป็นข้อความ UTF-8"):
        whatif.read_document(path)


def test_fiscal_year_accepts_thai_digits_and_refuses_nothing_or_words():
    assert whatif.fiscal_year("๒๕๖๖") == 2566
    assert whatif.fiscal_year(2566) == 2566
    for missing in (None, ""):
        with pytest.raises(whatif.WhatIfError, match="ไม่ได้ระบุปีงบประมาณ"):
            whatif.fiscal_year(missing)
    with pytest.raises(whatif.WhatIfError, match="ไม่ใช่ปีงบประมาณ"):
        whatif.fiscal_year("ปีหน้า")


# -- validating against a framework ---------------------------------------------------------------


def test_scores_from_document_normalises_every_key():
    document = {
        "fiscal_year": 2566,
        "tools": {" eit1 ": "๘๔.๙๙"},
        "indicators": {"๑": "95.01"},
        "items": {"ข้อ o๒๗": 50},
        "official_overall": "91.47",
        "official_level": " ผ่าน ",
    }
    scores = whatif.scores_from_document(document, spec_from_fixture(2566))
    assert scores.tools == {"EIT1": D("84.99")}
    assert scores.indicators == {1: D("95.01")}
    assert scores.items == {"o27": D("50")}
    assert (scores.official_overall, scores.official_level) == (D("91.47"), "ผ่าน")


def test_scores_from_document_takes_the_level_as_the_scheme_spells_it():
    document = {"fiscal_year": 2566, "official_level": " ผ่าน  ดี เยี่ยม "}
    assert whatif.scores_from_document(document, spec_from_fixture(2566)).official_level == "ผ่านดีเยี่ยม"
    document = {"fiscal_year": 2564, "official_level": "aa"}
    assert whatif.scores_from_document(document, spec_from_fixture(2564)).official_level == "AA"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"indicators": {"11": 90}}, "ไม่มีตัวชี้วัดที่ '11' ในกรอบการประเมินปี ๒๕๖๖"),
        ({"tools": {"EIT3": 90}}, "ไม่รู้จักเครื่องมือ 'EIT3'"),
        ({"tools": {"IIT": 90, "iit": 80}}, "เครื่องมือ 'iit' ซ้ำกัน"),
        ({"indicators": {"3": "๑๐๕"}}, "ตัวชี้วัด '3': ค่า '๑๐๕' เกิน ๑๐๐"),
        ({"items": "o1"}, "หัวข้อ items ต้องเป็นออบเจกต์ JSON"),
        ({"official_level": 1}, "official_level ต้องเป็นข้อความ"),
        ({"official_level": "A"}, "official_level: ระดับ 'A' ไม่มีในเกณฑ์ปี ๒๕๖๖ (ระดับที่มี: "),
    ],
)
def test_scores_from_document_errors_name_the_key(document, message):
    with pytest.raises(whatif.WhatIfError) as caught:
        whatif.scores_from_document({"fiscal_year": 2566, **document}, spec(2566))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_spec_for_document_turns_a_missing_framework_into_a_whatif_error(tmp_path):
    with pytest.raises(whatif.WhatIfError, match="ไม่มีกรอบการประเมินของปีงบประมาณ ๒๕๖๖"):
        whatif.spec_for_document({"fiscal_year": 2566}, tmp_path)


# -- grading -------------------------------------------------------------------------------------


def test_grade_document_matches_the_published_seed_result():
    document = seed_document("mae_sai_mittraphap_2566") | {"official_level": "ผ่าน"}
    result, extra = whatif.grade_document(document, spec_from_fixture(2566))
    assert (result.overall, result.level) == (D("91.47"), "ผ่าน")
    assert extra == {"official_level": "ผ่าน"}


def test_grade_file_reads_the_year_and_grades_against_the_fixtures(tmp_path):
    path = write(tmp_path, json.dumps(seed_document("nong_laeng_2564") | {"official_overall": "82.76"}))
    result, extra = whatif.grade_file(path)
    assert (result.overall, result.level, result.provisional) == (D("82.76"), "B", False)
    assert extra == {"official_overall": "82.76"}


# -- output --------------------------------------------------------------------------------------


def test_official_fields_only_hold_what_is_known():
    assert whatif.official_fields(None, None) == {}
    assert whatif.official_fields(None, "") == {}
    assert whatif.official_fields(D("82.755"), "B") == {"official_overall": "82.76", "official_level": "B"}


def test_assessment_fields_read_a_stored_assessment_by_attribute():
    organization = SimpleNamespace(code="NL01", name="เทศบาลตำบลหนองเล็ง")
    assessment = SimpleNamespace(
        organization=organization, fiscal_year=2564, official_overall=D("82.76"), official_level=""
    )
    assert whatif.assessment_fields(assessment) == {
        "organization": "NL01",
        "organization_name": "เทศบาลตำบลหนองเล็ง",
        "fiscal_year": 2564,
        "official_overall": "82.76",
    }


def test_result_payload_writes_every_value_with_two_decimals():
    result = grade(spec(2566), whatif.scores_from_document({"tools": {"IIT": 90, "EIT": "80.5", "OIT": 100}}, spec()))
    payload = whatif.result_payload(result)
    assert payload["tools"] == {"IIT": "90.00", "EIT": "80.50", "OIT": "100.00"}
    assert (payload["overall"], payload["level"]) == ("91.15", "ผ่าน")
    assert payload["derived"] == sorted(result.derived)


def test_summary_lines_head_a_stored_result_with_its_organisation():
    result = grade(spec(2566), whatif.scores_from_document({"tools": {"IIT": 90}}, spec()))
    extra = {"organization": "NL01", "organization_name": "หนองเล็ง", "fiscal_year": 2566, "official_level": "ผ่าน"}
    lines = whatif.summary_lines(result, extra)
    assert lines[0] == "หนองเล็ง (NL01) ปีงบประมาณ ๒๕๖๖"
    assert lines[1] == "คะแนนรวม: –  ระดับ: –"
    assert "ผลทางการ: –  ระดับ: ผ่าน" in lines
    assert "เครื่องมือ: IIT ๙๐.๐๐" in lines
    assert "ตัวชี้วัด: –" in lines
