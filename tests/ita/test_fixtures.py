"""The framework and demo fixtures: they load, match FRAMEWORK.md §2–4, and stay in dumpdata's own format."""

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ita.models import Assessment, Framework, GradeLevel, Indicator, Item, ItemCrosswalk, Organization, Score

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
FRAMEWORK_DIR = FIXTURES / "frameworks"
YEARS = (2563, 2564, 2565, 2566, 2567, 2568, 2569)
FRAMEWORK_MODELS = ["ita.framework", "ita.gradelevel", "ita.indicator", "ita.subindicator", "ita.item"]
TOOLS = {1: "IIT", 2: "IIT", 3: "IIT", 4: "IIT", 5: "IIT", 6: "EIT", 7: "EIT", 8: "EIT", 9: "OIT", 10: "OIT"}

# (IIT, EIT, OIT items, sub-indicators, measures item, follow-up item). 2566/2567 IIT: see test below.
LAYOUT = {
    2563: (30, 15, 43, 7, "o42", "o43"),
    2564: (30, 15, 43, 7, "o42", "o43"),
    2565: (30, 15, 43, 7, "o42", "o43"),
    2566: (30, 15, 43, 7, "o42", "o43"),
    2567: (30, 15, 43, 7, "o42", "o43"),
    2568: (15, 9, 28, 0, "o27", "o28"),
    2569: (15, 9, 26, 0, "o25", "o26"),
}
LETTER_SCHEME = [("AA", "95", None), ("A", "85", None), ("B", "75", None), ("C", "65", None), ("D", "55", None),
                 ("E", "50", None), ("F", "0", None)]  # fmt: skip
PASS_SCHEME = [("ผ่านดีเยี่ยม", "95", "95"), ("ผ่านดี", "85", "85"), ("ผ่าน", "85", None), ("ต้องปรับปรุง", "70", None),
               ("ต้องปรับปรุงโดยด่วน", "0", None)]  # fmt: skip
SUBS_2565 = {"9.1": (1, 9), "9.2": (10, 17), "9.3": (18, 24), "9.4": (25, 28), "9.5": (29, 33), "10.1": (34, 41),
             "10.2": (42, 43)}  # fmt: skip
# FRAMEWORK.md §7: the 2566 43-item list puts O27–O30 on complaints and participation, O31–O33 on
# No Gift, O34–O35 on risk, O39–O41 on ethics and O42–O43 on the measures.
SUBS_2566 = {"9.1": (1, 9), "9.2": (10, 17), "9.3": (18, 24), "9.4": (25, 26), "9.5": (27, 30), "10.1": (31, 41),
             "10.2": (42, 43)}  # fmt: skip
REVERSED_2564 = {"i4", "i5", "i6", "i9", "i10", "i16", "i17", "i18", "i19", "i22"}
CODE = re.compile(r"^[ieo][1-9][0-9]*$")


def load(*names: str) -> None:
    call_command("loaddata", *[str(FRAMEWORK_DIR / name) for name in names], verbosity=0)


def load_all_frameworks() -> None:
    load(*[f"ita_{year}.json" for year in YEARS])


def records(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", YEARS)
def test_framework_file_is_in_dumpdata_natural_key_format(year):
    data = records(FRAMEWORK_DIR / f"ita_{year}.json")
    assert all("pk" not in record for record in data)
    order = [FRAMEWORK_MODELS.index(record["model"]) for record in data]
    assert order == sorted(order), "records must come framework, levels, indicators, sub-indicators, items"


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_framework_file_round_trips_through_dumpdata(year):
    load(f"ita_{year}.json")
    out = io.StringIO()
    call_command("dumpdata", *FRAMEWORK_MODELS, natural_foreign=True, natural_primary=True, stdout=out)
    assert json.loads(out.getvalue()) == records(FRAMEWORK_DIR / f"ita_{year}.json")


@pytest.mark.django_db
def test_every_fixture_file_loads_and_reloading_changes_nothing():
    load_all_frameworks()
    load("crosswalk.json")
    call_command("loaddata", str(FIXTURES / "demo" / "organizations.json"), verbosity=0)
    call_command("loaddata", str(FIXTURES / "demo" / "assessments.json"), verbosity=0)
    counts = [model.objects.count() for model in (Framework, Item, ItemCrosswalk, Organization, Assessment, Score)]
    load_all_frameworks()
    load("crosswalk.json")
    call_command("loaddata", str(FIXTURES / "demo" / "assessments.json"), verbosity=0)
    assert counts[0] == len(YEARS)
    assert [model.objects.count() for model in (Framework, Item, ItemCrosswalk, Organization, Assessment, Score)] == (
        counts
    )


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_ten_indicators_with_their_tools_and_descriptions(year):
    load(f"ita_{year}.json")
    indicators = Indicator.objects.filter(framework__fiscal_year=year)
    assert {i.number: i.tool for i in indicators} == TOOLS
    assert indicators.get(number=8).name == "การปรับปรุงการทำงาน"
    assert all(len(i.description) > 80 for i in indicators)


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_item_counts_measures_and_followup_items(year):
    load(f"ita_{year}.json")
    framework = Framework.objects.get(fiscal_year=year, source="nacc_itas")
    iit, eit, oit, subs, measures, followup = LAYOUT[year]
    codes = list(framework.items.values_list("code", flat=True))
    for prefix, count in (("i", iit), ("e", eit), ("o", oit)):
        assert sorted(c for c in codes if c[0] == prefix) == sorted(f"{prefix}{k}" for k in range(1, count + 1))
    assert Item.objects.filter(framework=framework, sub_indicator__isnull=False).exists() == bool(subs)
    assert list(framework.items.filter(is_measures_item=True).values_list("code", flat=True)) == [measures]
    assert list(framework.items.filter(is_followup_item=True).values_list("code", flat=True)) == [followup]
    assert framework.items.get(code=measures).indicator.number == 10


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_items_sit_in_an_indicator_of_their_tool(year):
    load(f"ita_{year}.json")
    for item in Item.objects.filter(framework__fiscal_year=year).select_related("indicator", "sub_indicator"):
        assert CODE.match(item.code), item.code
        assert item.indicator.tool == {"i": "IIT", "e": "EIT", "o": "OIT"}[item.code[0]], item.code
        if item.sub_indicator is not None:
            assert item.sub_indicator.indicator_id == item.indicator_id


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2568, 2569])
def test_new_layout_puts_three_questions_on_each_indicator(year):
    load(f"ita_{year}.json")
    items = Item.objects.filter(framework__fiscal_year=year)
    for number in range(1, 9):
        assert items.filter(indicator__number=number).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2563, 2564, 2565, 2566, 2567])
def test_old_layout_sub_indicator_ranges(year):
    load(f"ita_{year}.json")
    for code, (first, last) in (SUBS_2565 if year <= 2565 else SUBS_2566).items():
        members = Item.objects.filter(framework__fiscal_year=year, sub_indicator__code=code)
        assert sorted(int(c[1:]) for c in members.values_list("code", flat=True)) == list(range(first, last + 1))
        assert members.first().indicator.number == int(code.split(".")[0])


@pytest.mark.django_db
def test_2564_iit_is_verified_with_its_reverse_scored_questions():
    load("ita_2564.json")
    iit = Item.objects.filter(framework__fiscal_year=2564, indicator__tool="IIT")
    assert set(iit.filter(reverse_scored=True).values_list("code", flat=True)) == REVERSED_2564
    assert not iit.filter(verified=False).exists()
    assert iit.get(code="i7").indicator.number == 2
    assert iit.get(code="i30").indicator.number == 5
    # Nothing outside the 2564 IIT list is claimed as verified.
    load_all_frameworks()
    assert set(Item.objects.filter(verified=True).values_list("framework__fiscal_year", "indicator__tool")) == {
        (2564, "IIT")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
def test_grade_levels_follow_the_scheme_of_the_year(year):
    load(f"ita_{year}.json")
    scheme = LETTER_SCHEME if year <= 2565 else PASS_SCHEME
    levels = GradeLevel.objects.filter(framework__fiscal_year=year).order_by("order")
    expected = [(label, Decimal(low), Decimal(tool) if tool else None) for label, low, tool in scheme]
    assert [(level.label, level.min_overall, level.min_tool) for level in levels] == expected
    framework = Framework.objects.get(fiscal_year=year)
    assert (framework.weight_iit, framework.weight_eit, framework.weight_oit) == (
        Decimal("0.3"),
        Decimal("0.3"),
        Decimal("0.4"),
    )


@pytest.mark.django_db
def test_crosswalk_links_consecutive_years_and_carries_the_measures_items_forward():
    load_all_frameworks()
    load("crosswalk.json")
    rows = ItemCrosswalk.objects.select_related("from_item__framework", "to_item__framework")
    assert rows.count() == len(records(FRAMEWORK_DIR / "crosswalk.json"))
    for row in rows:
        assert row.to_item.framework.fiscal_year == row.from_item.framework.fiscal_year + 1
        assert row.from_item.code[0] == row.to_item.code[0]
    pairs = {(r.from_item.framework.fiscal_year, r.from_item.code, r.to_item.code) for r in rows}
    chain = {(2565, "o42", "o42"), (2566, "o42", "o42"), (2567, "o42", "o27"), (2568, "o27", "o25")}
    follow = {(2565, "o43", "o43"), (2566, "o43", "o43"), (2567, "o43", "o28"), (2568, "o28", "o26")}
    assert chain | follow <= pairs
    measures = [r for r in rows if r.from_item.is_measures_item]
    assert all(r.to_item.is_measures_item for r in measures)


def _demo_item_codes() -> dict[int, set[str]]:
    data = records(FIXTURES / "demo" / "assessments.json")
    codes: dict[int, set[str]] = {}
    for record in data:
        fields = record["fields"]
        if record["model"] == "ita.score" and fields["kind"] == "item":
            codes.setdefault(fields["assessment"][1], set()).add(fields["code"])
    return codes


@pytest.mark.django_db
def test_every_demo_item_score_names_an_item_of_its_year():
    load_all_frameworks()
    for year, codes in _demo_item_codes().items():
        known = set(Item.objects.filter(framework__fiscal_year=year).values_list("code", flat=True))
        assert codes <= known, (year, codes - known)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2566, 2567, 2568, 2569])
def test_every_oit_item_sits_in_one_indicator_and_at_most_one_sub_indicator_of_it(year):
    load(f"ita_{year}.json")
    items = Item.objects.filter(framework__fiscal_year=year, indicator__tool="OIT").select_related("sub_indicator")
    numbers = {item.code: item.indicator.number for item in items}
    assert set(numbers.values()) == {9, 10}
    for item in items:
        if item.sub_indicator is not None:
            assert item.sub_indicator.indicator_id == item.indicator_id, item.code
    # Indicator 9 is a leading run of items and indicator 10 the rest: no item of 9 after one of 10.
    ordered = sorted(numbers, key=lambda code: int(code[1:]))
    assert [numbers[code] for code in ordered] == sorted(numbers[code] for code in ordered)


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "ethics", "last_of_9"), [(2568, "o16", "o15"), (2569, "o15", "o14")])
def test_the_ethics_item_opens_indicator_10_in_2568_and_2569(year, ethics, last_of_9):
    load(f"ita_{year}.json")
    items = Item.objects.filter(framework__fiscal_year=year)
    assert items.get(code=ethics).text == "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม"
    assert items.get(code=ethics).indicator.number == 10
    assert items.get(code=last_of_9).indicator.number == 9


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2566, 2567, 2568, 2569])
def test_oit_items_cite_a_source_and_stay_unverified(year):
    load(f"ita_{year}.json")
    for item in Item.objects.filter(framework__fiscal_year=year, indicator__tool="OIT"):
        assert item.note.strip(), item.code
        assert not item.verified, item.code  # FRAMEWORK.md §7: one source each, never two that agree
        if item.evidence:
            assert item.text, item.code  # an evidence description is derived from a known title
            assert "ไม่ใช่ข้อความของ ป.ป.ช." in item.note, item.code


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2568, 2569])
def test_titles_of_the_new_layout_come_from_framework_md_section_7(year):
    load(f"ita_{year}.json")
    titled = dict(
        Item.objects.filter(framework__fiscal_year=year, indicator__tool="OIT")
        .exclude(text="")
        .values_list("code", "text")
    )
    path = Path(settings.BASE_DIR).parent / "shared" / "docs" / "FRAMEWORK.md"
    if not path.is_file():
        pytest.skip("FRAMEWORK.md sits outside this checkout")
    section = path.read_text(encoding="utf-8")
    heading = f"**OIT {year} titles**"
    # Thai lines wrap without a space, so the comparison ignores every space.
    block = "".join(section[section.index(heading) : section.index("- **", section.index(heading) + 4)].split())
    for code in ("o1", "o3", "o4", *[f"o{n}" for n in range(8, 27)]):
        assert re.search(f"O{code[1:]}{re.escape(''.join(titled[code].split()))}[,.]", block), code
