"""`manage.py grade`: stored assessments, what-if JSON documents (no database at all), and Thai errors."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ita.grading.assess import AssessmentNotFound, find_assessment
from ita.models import Assessment, Score
from tests.factory import (
    INDICATOR_NAMES,
    LETTER_LEVELS,
    PASS_LEVELS,
    make_assessment,
    make_framework,
    make_organization,
)
from tests.ita.grading.test_rules import SEEDS, items_2564

ROOT = Path(__file__).resolve().parents[3]
OIT_SUBS = {"9.1": 9, "9.2": 9, "9.3": 9, "9.4": 9, "9.5": 9, "10.1": 10, "10.2": 10}


def framework_records(year: int, source: str = "nacc_itas") -> list[dict]:
    """A framework fixture in loaddata's natural-key format (the shape of fixtures/frameworks/ita_<year>.json)."""
    key = [year, source]
    weights = {"weight_iit": "0.300", "weight_eit": "0.300", "weight_oit": "0.400"}
    records = [
        {"model": "ita.framework", "fields": {"fiscal_year": year, "source": source, "name": f"ITA {year}", **weights}}
    ]
    levels = [(label, minimum, None) for label, minimum in LETTER_LEVELS] if year <= 2565 else PASS_LEVELS
    for order, (label, min_overall, min_tool) in enumerate(levels):
        fields = {"framework": key, "label": label, "min_overall": f"{min_overall}.00", "order": order}
        records.append({"model": "ita.gradelevel", "fields": {**fields, "min_tool": min_tool and f"{min_tool}.00"}})
    for number, (tool, name) in INDICATOR_NAMES.items():
        fields = {"framework": key, "number": number, "tool": tool, "name": name, "description": ""}
        records.append({"model": "ita.indicator", "fields": fields})
    for code, number in OIT_SUBS.items():
        records.append({"model": "ita.subindicator", "fields": {"indicator": [*key, number], "code": code, "name": ""}})
    for order, info in enumerate(items_2564().values()):
        sub = [*key, info.sub_indicator] if info.sub_indicator else None
        fields = {"framework": key, "code": info.code, "indicator": [*key, info.indicator], "sub_indicator": sub}
        records.append({"model": "ita.item", "fields": {**fields, "text": f"ข้อ {info.code}", "order": order}})
    return records


def write_fixture(directory: Path, year: int) -> Path:
    path = directory / f"ita_{year}.json"
    path.write_text(json.dumps(framework_records(year), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def fixture_dir(tmp_path, settings):
    directory = tmp_path / "frameworks"
    directory.mkdir()
    for year in (2564, 2566, 2568):
        write_fixture(directory, year)
    settings.ITA_FRAMEWORK_FIXTURES = directory
    return directory


def run_grade(*args: str) -> str:
    out = StringIO()
    call_command("grade", *args, stdout=out)
    return out.getvalue()


def grade_document(tmp_path: Path, document, *extra: str) -> str:
    path = tmp_path / "scores.json"
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return run_grade("--input", str(path), *extra)


def seed_indicators(seed: str) -> dict[str, str]:
    return {str(n): value for n, value in enumerate(SEEDS[seed][1].split(), start=1)}


# -- --input: no database ---------------------------------------------------------------------------
# These tests carry no django_db mark, so pytest-django turns any database access into an error.


def test_input_json_output_matches_the_documented_shape(tmp_path, fixture_dir):
    document = {
        "fiscal_year": 2566,
        "tools": {"EIT1": "84.99"},
        "indicators": seed_indicators("mae_sai_mittraphap_2566") | {"10": 100},
        "items": {"o27": "๕๐"},
    }
    payload = json.loads(grade_document(tmp_path, document, "--json"))
    assert payload["overall"] == "91.47"
    assert (payload["level"], payload["provisional"], payload["provisional_reason"]) == ("ผ่าน", False, "")
    assert payload["tools"] == {"IIT": "87.44", "EIT": "84.11", "EIT1": "84.99", "OIT": "100.00"}
    assert payload["indicators"]["1"] == "95.01" and payload["indicators"]["10"] == "100.00"
    assert payload["items"] == {"o27": "50.00"}
    assert payload["warnings"] == []
    assert payload["explanation"][-2] == "คะแนนรวม ๙๑.๔๗ = ๐.๓๐ × IIT ๘๗.๔๔ + ๐.๓๐ × EIT ๘๔.๑๑ + ๐.๔๐ × OIT ๑๐๐.๐๐"
    assert "tool:IIT" in payload["derived"]


def test_input_accepts_thai_and_full_width_digits_everywhere(tmp_path, fixture_dir):
    thai = {"๑": "๙๙.๑๗", "๒": "๙๘.๗๕", "๓": "๑๐๐", "๔": "๙๙.๓๑", "๕": "๙๙.๕๘"}
    document = {
        "fiscal_year": "๒๕๖๘",
        "tools": {"eit1": "๘๔.๕๐", "EIT2": "９６"},
        "indicators": thai | {"6": 93.36, "7": "88.73", "8": "88.86", "9": 100, "10": "90.00"},
        "official_overall": "๙๔.๙๐",
        "official_level": "ผ่าน",
    }
    payload = json.loads(grade_document(tmp_path, document, "--json"))
    assert (payload["official_overall"], payload["official_level"]) == ("94.90", "ผ่าน")
    assert (payload["overall"], payload["level"], payload["provisional"]) == ("94.90", "ผ่าน", False)
    assert payload["tools"]["EIT2"] == "96.00"
    assert payload["warnings"] == []


@pytest.mark.parametrize(
    ("seed", "overall", "level", "provisional"),
    [
        ("nong_laeng_2564", "82.76", "B", False),
        ("mae_sai_mittraphap_2566", "91.47", "ผ่าน", False),
        ("loh_jud_2566", "99.51", "ผ่านดีเยี่ยม", True),
        ("khuan_sao_thong_2568", "94.90", "ผ่านดี", True),
    ],
)
def test_input_grades_the_seeds_against_the_shipped_frameworks(tmp_path, seed, overall, level, provisional):
    year = SEEDS[seed][0]
    payload = json.loads(grade_document(tmp_path, {"fiscal_year": year, "indicators": seed_indicators(seed)}, "--json"))
    assert (payload["overall"], payload["level"], payload["provisional"]) == (overall, level, provisional)


def test_input_level_from_another_scheme_is_an_error_naming_the_years_labels(tmp_path):
    # A press item's "AA" for a 2567 result: the shipped 2567 scheme has only the pass levels.
    document = {"fiscal_year": 2567, "indicators": {"1": "90"}, "official_level": "AA"}
    with pytest.raises(CommandError) as caught:
        grade_document(tmp_path, document)
    assert str(caught.value) == (
        "official_level: ระดับ 'AA' ไม่มีในเกณฑ์ปี ๒๕๖๗ (ระดับที่มี: ผ่านดีเยี่ยม, ผ่านดี, ผ่าน, ต้องปรับปรุง, ต้องปรับปรุงโดยด่วน)"
    )


def test_input_level_labels_come_from_the_years_fixture(tmp_path, fixture_dir):
    document = {"fiscal_year": 2564, "indicators": {"1": "90"}, "official_level": "ผ่านดี"}
    with pytest.raises(CommandError, match=r"ระดับที่มี: AA, A, B, C, D, E, F\)$"):
        grade_document(tmp_path, document)
    payload = json.loads(grade_document(tmp_path, document | {"official_level": "b"}, "--json"))
    assert payload["official_level"] == "B"


def test_input_reports_a_provisional_level_without_an_official_one(tmp_path, fixture_dir):
    document = {"fiscal_year": 2568, "indicators": seed_indicators("khuan_sao_thong_2568")}
    payload = json.loads(grade_document(tmp_path, document, "--json"))
    assert "official_level" not in payload and "official_overall" not in payload
    assert (payload["level"], payload["provisional"]) == ("ผ่านดี", True)
    assert payload["provisional_reason"].startswith("ยังไม่มีคะแนน EIT ส่วนที่ ๑ และ ๒ แยกกัน")


def test_input_official_level_settles_a_provisional_level(tmp_path, fixture_dir):
    document = {"fiscal_year": 2568, "indicators": seed_indicators("khuan_sao_thong_2568"), "official_level": "ผ่าน"}
    payload = json.loads(grade_document(tmp_path, document, "--json"))
    assert (payload["overall"], payload["level"], payload["provisional"]) == ("94.90", "ผ่าน", False)
    assert payload["official_level"] == "ผ่าน" and payload["warnings"] == []


def test_input_rolls_up_items_and_normalises_their_codes(tmp_path, fixture_dir):
    items = {code.upper(): 100 for code in items_2564() if code != "o10"}
    items["ข้อ ๐๑๐"] = 0  # o10 as the seeds print it; in sub-indicator 9.2 with o11–o17 at 100
    document = {"fiscal_year": 2564, "items": items}
    payload = json.loads(grade_document(tmp_path, document, "--json"))
    assert payload["items"]["o10"] == "0.00"
    assert payload["indicators"]["9"] == "97.50"  # 9.2 = 87.5, the other four 100
    assert payload["level"] == "AA"


def test_input_summary_is_readable_thai(tmp_path, fixture_dir):
    output = grade_document(tmp_path, {"fiscal_year": 2566, "indicators": seed_indicators("mae_sai_mittraphap_2566")})
    assert "คะแนนรวม: ๙๑.๔๗  ระดับ: ผ่าน" in output
    assert "เครื่องมือ: IIT ๘๗.๔๔ (คำนวณ)" in output
    assert "EIT (รวม) ได้ ๘๔.๑๑ ต่ำกว่า ๘๕ จึงได้ระดับ ผ่าน" in output
    assert "ผลทางการ" not in output and "ปีงบประมาณ" not in output.splitlines()[0]


def test_input_summary_shows_the_official_result_and_warnings(tmp_path, fixture_dir):
    indicators = seed_indicators("khuan_sao_thong_2568")
    document = {"fiscal_year": 2568, "indicators": indicators, "official_overall": "94.9", "official_level": "ผ่าน"}
    output = grade_document(tmp_path, document)
    assert "ผลทางการ: ๙๔.๙๐  ระดับ: ผ่าน" in output
    assert "คะแนนรวม: ๙๔.๙๐  ระดับ: ผ่าน" in output
    assert "ระดับทางการ ผ่าน แสดงว่า EIT ส่วนที่ ๑ หรือ ๒ ได้ต่ำกว่า ๘๕ จึงใช้ระดับ ผ่าน" in output


def test_input_with_missing_tools_prints_no_overall(tmp_path, fixture_dir):
    payload = json.loads(grade_document(tmp_path, {"fiscal_year": 2566, "tools": {"IIT": 90}}, "--json"))
    assert (payload["overall"], payload["level"]) == (None, None)
    assert payload["explanation"] == ["ยังคำนวณคะแนนรวมไม่ได้ เพราะยังไม่มีคะแนน EIT, OIT"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"fiscal_year": 2566, "score": {}}, "ไม่รู้จักหัวข้อ score"),
        ({"fiscal_year": 2566, "items": {"o99": 100}}, "ไม่มีข้อ o99 ในกรอบการประเมินปี ๒๕๖๖"),
        ({"fiscal_year": 2566, "items": {"x1": 100}}, "ไม่ใช่รหัสข้อคำถาม"),
        ({"fiscal_year": 2566, "items": {"o1": 100, "O1": 90}}, "ซ้ำกัน"),
        ({"fiscal_year": 2566, "indicators": {"3": "๑๐๕"}}, "ตัวชี้วัด '3': ค่า '๑๐๕' เกิน ๑๐๐"),
        ({"fiscal_year": 2566, "indicators": {"11": 90}}, "ไม่มีตัวชี้วัดที่ '11'"),
        ({"fiscal_year": 2566, "tools": {"IIT": -1}}, "ติดลบ"),
        ({"fiscal_year": 2566, "tools": {"EIT3": 90}}, "ไม่รู้จักเครื่องมือ 'EIT3'"),
        ({"fiscal_year": 2566, "tools": {"IIT": "85,5"}}, "ใช้จุดเป็นทศนิยม"),
        ({"fiscal_year": 2566, "tools": {"IIT": None}}, "ไม่มีค่า"),
        ({"fiscal_year": 2566, "tools": ["IIT", 90]}, "หัวข้อ tools ต้องเป็นออบเจกต์ JSON"),
        ({"fiscal_year": 2566, "official_overall": "100.5"}, "official_overall: ค่า '100.5' เกิน ๑๐๐"),
        ({"tools": {"IIT": 90}}, "ไม่ได้ระบุปีงบประมาณ"),
        ({"fiscal_year": "ปีหน้า"}, "ไม่ใช่ปีงบประมาณ"),
        ({"fiscal_year": 2570}, "ไม่มีกรอบการประเมินของปีงบประมาณ ๒๕๗๐"),
        ([2566], "ต้องเป็นออบเจกต์ JSON"),
        ('{"fiscal_year": 2566,', "ไม่ใช่ JSON ที่ถูกต้อง"),
    ],
)
def test_input_errors_are_one_thai_line(tmp_path, fixture_dir, document, message):
    with pytest.raises(CommandError) as caught:
        grade_document(tmp_path, document)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_input_file_is_an_error(tmp_path, fixture_dir):
    with pytest.raises(CommandError, match="ไม่พบไฟล์"):
        run_grade("--input", str(tmp_path / "nothing.json"))


def test_arguments_must_name_one_thing_to_grade(tmp_path):
    with pytest.raises(CommandError, match="ต้องระบุ --org และ --year"):
        run_grade("--org", "ALPHA")
    with pytest.raises(CommandError, match="ใช้ --input พร้อมกับ --org"):
        run_grade("--input", str(tmp_path / "x.json"), "--org", "ALPHA")


def test_manage_py_exits_non_zero_with_the_thai_message_on_stderr(tmp_path):
    path = tmp_path / "scores.json"
    path.write_text(json.dumps({"tools": {"IIT": 90}}), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "grade", "--input", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "ไม่ได้ระบุปีงบประมาณ" in done.stderr
    assert done.stdout == ""


# -- --org / --year: a stored assessment -----------------------------------------------------------


@pytest.fixture
def nong_laeng(db):
    organization = make_organization(code="NL01", name="เทศบาลตำบลหนองเล็ง")
    assessment = make_assessment(
        organization, make_framework(2564), official_overall=Decimal("82.76"), official_level="B"
    )
    for number, value in seed_indicators("nong_laeng_2564").items():
        Score.objects.create(assessment=assessment, kind="indicator", code=number, value=Decimal(value))
    return assessment


def test_stored_assessment_is_graded_and_saved(nong_laeng):
    payload = json.loads(run_grade("--org", "NL01", "--year", "๒๕๖๔", "--json"))
    assert (payload["overall"], payload["level"], payload["provisional"]) == ("82.76", "B", False)
    assert payload["organization"] == "NL01"
    assert payload["fiscal_year"] == 2564
    assert (payload["official_overall"], payload["official_level"]) == ("82.76", "B")
    assert payload["indicators"]["10"] == "93.75"
    stored = Assessment.objects.get(pk=nong_laeng.pk)
    assert (stored.overall, stored.level) == (Decimal("82.76"), "B")


def test_stored_assessment_dry_run_saves_nothing(nong_laeng):
    output = run_grade("--org", "NL01", "--year", "2021", "--dry-run")  # ค.ศ. 2021 = พ.ศ. 2564
    assert "เทศบาลตำบลหนองเล็ง (NL01) ปีงบประมาณ ๒๕๖๔" in output
    assert "ผลทางการ: ๘๒.๗๖  ระดับ: B" in output
    stored = Assessment.objects.get(pk=nong_laeng.pk)
    assert (stored.overall, stored.level) == (None, "")


def test_official_fields_are_left_out_when_unknown(db):
    make_assessment(make_organization(code="EMPTY"), make_framework(2566))
    payload = json.loads(run_grade("--org", "EMPTY", "--year", "2566", "--json"))
    assert "official_overall" not in payload and "official_level" not in payload
    assert payload["overall"] is None


@pytest.mark.parametrize(
    ("org", "year", "message"),
    [
        ("NOPE", "2564", "ไม่พบหน่วยงานรหัส NOPE"),
        ("NL01", "2565", "เทศบาลตำบลหนองเล็ง ยังไม่มีผลการประเมินของปีงบประมาณ ๒๕๖๕"),
        ("NL01", "หกสี่", "ไม่ใช่ปีงบประมาณ"),
    ],
)
def test_stored_assessment_errors(nong_laeng, org, year, message):
    with pytest.raises(CommandError, match=message):
        run_grade("--org", org, "--year", year)


def test_find_assessment_strips_the_code_and_loads_organisation_and_framework(nong_laeng):
    assessment = find_assessment(code=" NL01 ", fiscal_year=2564)
    assert assessment.pk == nong_laeng.pk
    assert assessment.organization.code == "NL01" and assessment.framework.fiscal_year == 2564


def test_find_assessment_says_in_thai_what_is_missing(nong_laeng):
    with pytest.raises(AssessmentNotFound, match="ไม่พบหน่วยงานรหัส NOPE"):
        find_assessment(code="NOPE", fiscal_year=2564)
    with pytest.raises(AssessmentNotFound, match="เทศบาลตำบลหนองเล็ง ยังไม่มีผลการประเมินของปีงบประมาณ ๒๕๖๕"):
        find_assessment(code="NL01", fiscal_year=2565)
