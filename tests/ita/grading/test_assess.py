"""grade_assessment and the spec/score builders behind it (database and fixture files)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from ita.grading.assess import grade_assessment
from ita.grading.inputs import FrameworkNotFound, scores_from_assessment, spec_from_fixture, spec_from_framework
from ita.grading.rules import ItemInfo, Level
from ita.models import Assessment, Framework, Score
from tests.factory import make_assessment, make_framework
from tests.ita.grading.test_grade_command import framework_records, seed_indicators, write_fixture

ROOT = Path(__file__).resolve().parents[3]
SHIPPED_FIXTURES = sorted((ROOT / "fixtures" / "frameworks").glob("ita_25[0-9][0-9].json"))


def add_scores(assessment: Assessment, kind: str, values: dict) -> None:
    Score.objects.bulk_create(
        Score(assessment=assessment, kind=kind, code=str(code), value=Decimal(str(value)))
        for code, value in values.items()
    )


def reload(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_related("framework").get(pk=assessment.pk)


# -- grade_assessment -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_grade_assessment_stores_the_computed_result():
    assessment = make_assessment()
    add_scores(assessment, "indicator", seed_indicators("nong_laeng_2564"))
    result = grade_assessment(assessment=reload(assessment))
    assert (result.overall, result.level) == (Decimal("82.76"), "B")
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.overall, stored.level, stored.provisional, stored.provisional_reason) == (
        Decimal("82.76"),
        "B",
        False,
        "",
    )


@pytest.mark.django_db
def test_grade_assessment_costs_a_fixed_number_of_queries(django_assert_num_queries):
    assessment = make_assessment(framework=make_framework(2564))
    add_scores(assessment, "item", dict.fromkeys([f"o{k}" for k in range(1, 44)], 100))
    add_scores(assessment, "indicator", seed_indicators("nong_laeng_2564"))
    assessment = reload(assessment)
    # levels, indicators, items, scores, one UPDATE: however many items the framework has.
    with django_assert_num_queries(5):
        grade_assessment(assessment=assessment)


@pytest.mark.django_db
def test_grade_assessment_without_save_writes_nothing(django_assert_num_queries):
    assessment = make_assessment()
    add_scores(assessment, "tool", {"IIT": 90, "EIT": 90, "OIT": 90})
    assessment = reload(assessment)
    with django_assert_num_queries(4):
        result = grade_assessment(assessment=assessment, save=False)
    assert (result.level, assessment.level) == ("A", "A")
    assert Assessment.objects.get(pk=assessment.pk).level == ""


@pytest.mark.django_db
def test_grade_assessment_updates_only_the_computed_fields():
    assessment = reload(make_assessment())
    add_scores(assessment, "tool", {"IIT": 90, "EIT": 90, "OIT": 90})
    # Someone else records the official result after we loaded the row.
    Assessment.objects.filter(pk=assessment.pk).update(official_level="A", official_overall=Decimal("90.00"), version=7)
    grade_assessment(assessment=assessment)
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.official_level, stored.official_overall, stored.version) == ("A", Decimal("90.00"), 7)
    assert (stored.overall, stored.level) == (Decimal("90.00"), "A")


@pytest.mark.django_db
def test_provisional_level_is_stored_and_cleared_when_the_eit_parts_arrive():
    assessment = make_assessment(framework=make_framework(2566))
    add_scores(assessment, "tool", {"IIT": 90, "EIT": 90, "OIT": 90})
    grade_assessment(assessment=reload(assessment))
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.level, stored.provisional) == ("ผ่านดี", True)
    assert "ยังไม่มีคะแนน EIT ส่วนที่ ๑ และ ๒ แยกกัน" in stored.provisional_reason
    add_scores(assessment, "tool", {"EIT1": "84.99", "EIT2": 95})
    grade_assessment(assessment=reload(assessment))
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.level, stored.provisional, stored.provisional_reason) == ("ผ่าน", False, "")


@pytest.mark.django_db
def test_grade_assessment_rolls_up_stored_item_scores_through_sub_indicators():
    assessment = make_assessment(framework=make_framework(2564))
    items = {f"i{k}": 100 for k in range(1, 31)} | {f"e{k}": 100 for k in range(1, 16)}
    items |= {f"o{k}": (0 if 10 <= k <= 17 else 100) for k in range(1, 44)}
    add_scores(assessment, "item", items)
    result = grade_assessment(assessment=reload(assessment))
    assert result.indicators[9] == Decimal("80.00")  # sub-indicator 9.2 is 0, the other four 100
    assert (result.overall, result.level) == (Decimal("96.00"), "AA")  # OIT (80 + 100) / 2 = 90
    assert "indicator:9" in result.derived


@pytest.mark.django_db
def test_year_without_levels_stores_no_level():
    framework = make_framework(2561)
    framework.levels.all().delete()
    assessment = make_assessment(framework=framework)
    add_scores(assessment, "tool", {"IIT": 90, "EIT": 90, "OIT": 90})
    result = grade_assessment(assessment=reload(assessment))
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.overall, stored.level, result.level) == (Decimal("90.00"), "", None)


@pytest.mark.django_db
def test_regrading_after_scores_are_removed_clears_the_result():
    assessment = make_assessment()
    add_scores(assessment, "tool", {"IIT": 90, "EIT": 90, "OIT": 90})
    grade_assessment(assessment=reload(assessment))
    assessment.scores.filter(code="OIT").delete()
    grade_assessment(assessment=reload(assessment))
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.overall, stored.level) == (None, "")


# -- builders ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_spec_from_framework_in_three_queries(django_assert_num_queries):
    framework = Framework.objects.get(pk=make_framework(2566).pk)
    with django_assert_num_queries(3):
        spec = spec_from_framework(framework)
    assert spec.fiscal_year == 2566
    assert spec.weights == {"IIT": Decimal("0.300"), "EIT": Decimal("0.300"), "OIT": Decimal("0.400")}
    assert spec.levels[:3] == (
        Level("ผ่านดีเยี่ยม", Decimal(95), Decimal(95)),
        Level("ผ่านดี", Decimal(85), Decimal(85)),
        Level("ผ่าน", Decimal(85), None),
    )
    assert spec.indicators_of("OIT") == (9, 10)
    assert spec.indicator_names[8] == "การปรับปรุงการทำงาน"
    assert spec.items["o12"] == ItemInfo("o12", 9, "9.2")
    assert spec.items["i7"] == ItemInfo("i7", 2, None)
    assert len(spec.items) == 30 + 15 + 43


@pytest.mark.django_db
def test_scores_from_assessment_in_one_query(django_assert_num_queries):
    assessment = make_assessment(official_overall=Decimal("82.76"), official_level="B")
    add_scores(assessment, "tool", {"EIT1": "84.99"})
    add_scores(assessment, "indicator", {"10": "93.75"})
    add_scores(assessment, "item", {"o27": 50})
    with django_assert_num_queries(1):
        scores = scores_from_assessment(assessment)
    assert scores.tools == {"EIT1": Decimal("84.99")}
    assert scores.indicators == {10: Decimal("93.75")}
    assert scores.items == {"o27": Decimal("50.00")}
    assert (scores.official_overall, scores.official_level) == (Decimal("82.76"), "B")


@pytest.mark.django_db
def test_spec_from_fixture_matches_the_loaded_framework(tmp_path):
    path = write_fixture(tmp_path, 2566)
    call_command("loaddata", str(path), verbosity=0)
    loaded = spec_from_framework(Framework.objects.get_by_natural_key(2566, "nacc_itas"))
    assert spec_from_fixture(2566, directory=tmp_path) == loaded


@pytest.mark.django_db
@pytest.mark.parametrize("path", SHIPPED_FIXTURES, ids=lambda path: path.name)
def test_shipped_fixture_reads_the_same_with_and_without_the_database(path):
    call_command("loaddata", str(path), verbosity=0)
    year = int(path.stem.removeprefix("ita_"))
    frameworks = list(Framework.objects.filter(fiscal_year=year))
    assert frameworks, f"{path.name} holds no framework of {year}"
    for framework in frameworks:
        from_file = spec_from_fixture(year, framework.source, directory=path.parent)
        assert from_file == spec_from_framework(framework)


def test_spec_from_fixture_reads_the_file_without_the_database(tmp_path):
    # No django_db mark: any query would fail this test.
    write_fixture(tmp_path, 2564)
    spec = spec_from_fixture(2564, directory=tmp_path)
    assert [level.label for level in spec.levels] == ["AA", "A", "B", "C", "D", "E", "F"]
    assert spec.levels[1] == Level("A", Decimal("85.00"), None)
    assert spec.items["o43"] == ItemInfo("o43", 10, "10.2")
    assert spec.indicator_tools[6] == "EIT"


def test_spec_from_fixture_without_a_file_names_the_year(tmp_path):
    with pytest.raises(FrameworkNotFound, match="ไม่มีกรอบการประเมินของปีงบประมาณ ๒๕๗๐"):
        spec_from_fixture(2570, directory=tmp_path)


def test_spec_from_fixture_for_another_source_is_not_found(tmp_path):
    write_fixture(tmp_path, 2566)
    with pytest.raises(FrameworkNotFound, match="แหล่ง moit"):
        spec_from_fixture(2566, "moit", directory=tmp_path)


@pytest.mark.parametrize(
    "text",
    ["{not json", '{"model": "ita.framework"}', json.dumps(framework_records(2566)[:1]).replace('"0.300"', '"abc"')],
)
def test_spec_from_fixture_refuses_broken_files_with_a_thai_message(tmp_path, text):
    (tmp_path / "ita_2566.json").write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkNotFound, match=r"ita_2566\.json"):
        spec_from_fixture(2566, directory=tmp_path)
