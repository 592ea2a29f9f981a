"""The self-estimated OIT (pure): the item rule, ranges through the grading rules, weights, levels, comparison."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ita.grading.inputs import spec_from_fixture
from ita.grading.rules import FrameworkSpec, ItemInfo, Level
from ita.oit.estimate import (
    AGREE,
    DISAGREE,
    FAIL,
    NO_OFFICIAL,
    PARTIAL,
    PASS,
    UNDECIDED,
    UNKNOWN,
    ItemEstimate,
    LevelRange,
    Range,
    compare_item,
    estimate_item,
    estimate_oit,
)

D = Decimal
WEIGHTS = {"IIT": D("0.30"), "EIT": D("0.30"), "OIT": D("0.40")}
INDICATOR_TOOLS = {1: "IIT", 2: "IIT", 3: "IIT", 4: "IIT", 5: "IIT", 6: "EIT", 7: "EIT", 8: "EIT", 9: "OIT", 10: "OIT"}
PASS_LEVELS = (
    Level("ผ่านดีเยี่ยม", D(95), D(95)),
    Level("ผ่านดี", D(85), D(85)),
    Level("ผ่าน", D(85)),
    Level("ต้องปรับปรุง", D(70)),
    Level("ต้องปรับปรุงโดยด่วน", D(0)),
)


def small_spec(items: list[ItemInfo], sub_weights=None) -> FrameworkSpec:
    return FrameworkSpec(
        2569,
        WEIGHTS,
        PASS_LEVELS,
        INDICATOR_TOOLS,
        indicator_names={9: "การเปิดเผยข้อมูล", 10: "การป้องกันการทุจริต"},
        items={info.code: info for info in items},
        sub_indicator_weights=sub_weights or {},
    )


def outcomes(**given: str) -> list[ItemEstimate]:
    return [ItemEstimate(code, outcome, "ทดสอบ") for code, outcome in given.items()]


def tools(**values: str) -> dict[str, Decimal]:
    return {code: D(value) for code, value in values.items()}


# -- the item rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdicts", "outcome", "reason"),
    [
        ((), FAIL, "ยังไม่มีลิงก์หลักฐาน"),
        (("green",), PASS, "ลิงก์ทุกลิงก์ตรวจแล้วใช้ได้"),
        (("green", "green"), PASS, "ลิงก์ทุกลิงก์ตรวจแล้วใช้ได้"),
        (("red",), FAIL, "ลิงก์ทุกลิงก์ใช้ไม่ได้"),
        (("red", "red"), FAIL, "ลิงก์ทุกลิงก์ใช้ไม่ได้"),
        (("amber",), UNKNOWN, "มีลิงก์ที่ควรตรวจดูด้วยตนเอง"),
        (("green", "amber"), UNKNOWN, "มีลิงก์ที่ควรตรวจดูด้วยตนเอง"),
        ((None,), UNKNOWN, "มีลิงก์ที่ยังไม่ได้ตรวจ"),
        (("green", None), UNKNOWN, "มีลิงก์ที่ยังไม่ได้ตรวจ"),
        (("red", None), UNKNOWN, "มีลิงก์ที่ยังไม่ได้ตรวจ"),
        (("green", "red"), UNKNOWN, "บางลิงก์ใช้ได้ บางลิงก์ใช้ไม่ได้"),
        (("purple",), UNKNOWN, "มีลิงก์ที่ยังไม่ได้ตรวจ"),
    ],
)
def test_item_rule(verdicts, outcome, reason):
    estimate = estimate_item("o7", verdicts)
    assert (estimate.code, estimate.outcome, estimate.reason) == ("o7", outcome, reason)


def test_item_labels_are_thai():
    assert [estimate_item("o1", v).label for v in ((), ("green",), ("amber",))] == ["ไม่ผ่าน", "ผ่าน", "ยังไม่แน่ชัด"]


# -- ranges -------------------------------------------------------------------------------------


def test_range_text_in_thai_digits():
    assert Range(D("80.00"), D("96.00")).text == "๘๐.๐๐–๙๖.๐๐"
    assert Range(D("80.00"), D("80.00")).text == "๘๐.๐๐"
    assert LevelRange("ต้องปรับปรุง", "ผ่านดี").text == "ต้องปรับปรุง ถึง ผ่านดี"
    assert LevelRange("ผ่าน", "ผ่าน").text == "ผ่าน"


SUB_ITEMS = [
    ItemInfo("o1", 9, "9.1"),
    ItemInfo("o2", 9, "9.1"),
    ItemInfo("o3", 9, "9.2"),
    ItemInfo("o4", 9, "9.2"),
    ItemInfo("o5", 10, "10.1"),
    ItemInfo("o6", 10, "10.1"),
    ItemInfo("o7", 10, "10.1", D(0)),
    ItemInfo("o8", 10, "10.2"),
]


def test_ranges_by_hand_through_sub_indicators_with_weight_0_left_out():
    # Sub-indicator 10.2 weighs 0, and so does item o7: neither counts, known or not.
    spec = small_spec(SUB_ITEMS, {"10.2": D(0)})
    given = outcomes(o1=PASS, o2=FAIL, o3=UNKNOWN, o4=PASS, o5=PASS, o6=UNKNOWN, o7=UNKNOWN, o8=UNKNOWN)
    estimate = estimate_oit(spec, given, tools=tools(IIT="90", EIT="80"), tools_year=2568)
    # Low (unknown = 0):  9.1 = (100 + 0) / 2 = 50, 9.2 = (0 + 100) / 2 = 50 → indicator 9 = 50;
    #                     10.1 = (100 + 0) / 2 = 50 → indicator 10 = 50; OIT = (50 + 50) / 2 = 50.
    # High (unknown = 100): 9.2 = 100 → indicator 9 = (50 + 100) / 2 = 75; 10.1 = 100 → indicator 10 = 100;
    #                     OIT = (75 + 100) / 2 = 87.5.
    assert estimate.indicators == {9: Range(D("50.00"), D("75.00")), 10: Range(D("50.00"), D("100.00"))}
    assert estimate.oit == Range(D("50.00"), D("87.50"))
    # Overall low  = 0.3 × 90 + 0.3 × 80 + 0.4 × 50   = 27 + 24 + 20 = 71.00 → ต้องปรับปรุง (≥ 70).
    # Overall high = 0.3 × 90 + 0.3 × 80 + 0.4 × 87.5 = 27 + 24 + 35 = 86.00 → ผ่าน: ผ่านดี needs every tool ≥ 85
    # and EIT is 80.
    assert estimate.overall == Range(D("71.00"), D("86.00"))
    assert estimate.level == LevelRange("ต้องปรับปรุง", "ผ่าน")
    assert (estimate.provisional, estimate.provisional_reason) == (False, "")
    assert [item.code for item in estimate.items if not item.counted] == ["o7", "o8"]
    assert (estimate.count(PASS), estimate.count(FAIL), estimate.count(UNKNOWN)) == (3, 1, 2)
    assert estimate.counts == {"pass": "๓", "fail": "๑", "unknown": "๒", "not_counted": "๒"}
    assert estimate.indicator_rows[0] == ("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล", Range(D("50.00"), D("75.00")))


def test_a_single_value_when_no_counted_item_is_unknown():
    spec = small_spec(SUB_ITEMS, {"10.2": D(0)})
    given = outcomes(o1=PASS, o2=FAIL, o3=PASS, o4=PASS, o5=FAIL, o6=PASS, o7=UNKNOWN, o8=UNKNOWN)
    estimate = estimate_oit(spec, given)
    # 9.1 = 50, 9.2 = 100 → indicator 9 = 75; 10.1 = 50 → indicator 10 = 50; OIT = 62.5.
    assert estimate.oit == Range(D("62.50"), D("62.50"))
    assert estimate.oit.single and estimate.oit.text == "๖๒.๕๐"
    assert all(value.single for value in estimate.indicators.values())


def test_without_iit_and_eit_only_oit_is_estimated():
    spec = small_spec(SUB_ITEMS)
    estimate = estimate_oit(spec, outcomes(o1=PASS), tools=tools(IIT="90"))
    assert estimate.oit is not None
    assert (estimate.overall, estimate.level, estimate.tools_year) == (None, None, None)
    assert estimate.note == "ยังไม่มีคะแนน IIT และ EIT ของปีนี้หรือปีก่อน จึงประมาณได้เฉพาะ OIT ยังประมาณคะแนนรวมและระดับไม่ได้"


def test_items_the_checklist_lacks_count_as_unknown_and_a_given_oit_is_ignored():
    spec = small_spec(SUB_ITEMS[:4])
    estimate = estimate_oit(spec, outcomes(o1=PASS, o2=PASS, o3=PASS), tools=tools(IIT="90", EIT="90", OIT="0"))
    missing = estimate.items[-1]
    assert (missing.code, missing.outcome, missing.reason) == ("o4", UNKNOWN, "ไม่มีข้อนี้ในรายการหลักฐาน")
    # Only indicator 9 has items: 9.1 = 100, 9.2 = 50 or 100 → 75–100; OIT is the mean of the OIT indicators
    # known, but indicator 10 has none, so OIT (and the overall) cannot be graded.
    assert estimate.indicators == {9: Range(D("75.00"), D("100.00"))}
    assert (estimate.oit, estimate.overall) == (None, None)
    assert "OIT" not in estimate.tools


# -- the year fixtures --------------------------------------------------------------------------


def test_2568_fixture_plain_means_by_hand():
    spec = spec_from_fixture(2568)
    # 2568: indicator 9 = o1–o15, indicator 10 = o16–o28, no sub-indicators (plain means).
    given = {f"o{k}": PASS for k in range(1, 29)} | {"o1": FAIL, "o2": UNKNOWN, "o16": FAIL}
    estimate = estimate_oit(spec, outcomes(**given), tools=tools(IIT="90", EIT="88"), tools_year=2568)
    # Low:  indicator 9 = 13/15 × 100 = 86.666… → 86.67; indicator 10 = 12/13 × 100 = 92.307… → 92.31;
    #       OIT = (86.6667 + 92.3077) / 2 = 89.4872 → 89.49 (the mean of the unrounded indicators).
    # High: indicator 9 = 14/15 × 100 = 93.333… → 93.33; OIT = (93.3333 + 92.3077) / 2 = 92.8205 → 92.82.
    assert estimate.indicators == {9: Range(D("86.67"), D("93.33")), 10: Range(D("92.31"), D("92.31"))}
    assert estimate.oit == Range(D("89.49"), D("92.82"))
    assert estimate.oit.text == "๘๙.๔๙–๙๒.๘๒"
    # Overall low  = 27 + 26.4 + 0.4 × 89.4872 = 53.4 + 35.7949 = 89.1949 → 89.19;
    # overall high = 53.4 + 0.4 × 92.8205 = 53.4 + 37.1282 = 90.5282 → 90.53. Every tool ≥ 85 but none ≥ 95:
    # ผ่านดี, provisional because the EIT parts are not known (the combined EIT stands in for them).
    assert estimate.overall == Range(D("89.19"), D("90.53"))
    assert estimate.level == LevelRange("ผ่านดี", "ผ่านดี")
    assert estimate.provisional
    assert "ยังไม่มีคะแนน EIT ส่วนที่ ๑ และ ๒ แยกกัน" in estimate.provisional_reason
    assert estimate.note == "ใช้คะแนน IIT และ EIT ของปี พ.ศ. ๒๕๖๘ (IIT ๙๐.๐๐, EIT ๘๘.๐๐)"


def test_2569_fixture_with_eit_parts_is_not_provisional():
    spec = spec_from_fixture(2569)
    # 2569: indicator 9 = o1–o14, indicator 10 = o15–o26.
    given = {f"o{k}": PASS for k in range(1, 27)} | {"o15": UNKNOWN}
    with_parts = tools(IIT="96", EIT="97", EIT1="96", EIT2="98")
    estimate = estimate_oit(spec, outcomes(**given), tools=with_parts, tools_year=2568)
    # Low: indicator 10 = 11/12 × 100 = 91.666… → 91.67; OIT = (100 + 91.6667) / 2 = 95.8333 → 95.83.
    # Overall low = 0.3 × 96 + 0.3 × 97 + 0.4 × 95.8333 = 28.8 + 29.1 + 38.3333 = 96.2333 → 96.23;
    # overall high = 28.8 + 29.1 + 40 = 97.90. Every tool and part ≥ 95 at both ends: ผ่านดีเยี่ยม.
    assert estimate.oit == Range(D("95.83"), D("100.00"))
    assert estimate.overall == Range(D("96.23"), D("97.90"))
    assert estimate.level == LevelRange("ผ่านดีเยี่ยม", "ผ่านดีเยี่ยม")
    assert (estimate.provisional, estimate.provisional_reason) == (False, "")
    assert estimate.note == (
        "ใช้คะแนน IIT และ EIT ของปี พ.ศ. ๒๕๖๘ (IIT ๙๖.๐๐, EIT ๙๗.๐๐, EIT ส่วนที่ ๑ ๙๖.๐๐, EIT ส่วนที่ ๒ ๙๘.๐๐) "
        "ซึ่งเป็นปีล่าสุดที่มีคะแนน คะแนนจริงของปีนี้อาจต่างไป"
    )
    without_parts = estimate_oit(spec, outcomes(**given), tools=tools(IIT="96", EIT="97"), tools_year=2569)
    assert without_parts.level == LevelRange("ผ่านดีเยี่ยม", "ผ่านดีเยี่ยม")
    assert without_parts.provisional
    assert without_parts.note == "ใช้คะแนน IIT และ EIT ของปี พ.ศ. ๒๕๖๙ (IIT ๙๖.๐๐, EIT ๙๗.๐๐)"


# -- level thresholds ---------------------------------------------------------------------------

WEIGHTED_ITEMS = [
    ItemInfo("o1", 9, None, D(17)),
    ItemInfo("o2", 9, None, D(3)),
    ItemInfo("o3", 10, None, D(17)),
    ItemInfo("o4", 10, None, D(3)),
]


@pytest.mark.parametrize(
    ("iit", "eit1", "level", "provisional"),
    [
        # Overall = 0.3 × 85 + 0.3 × 85 + 0.4 × 85 = 85.00 and every tool ≥ 85: ผ่านดี, provisional without parts.
        ("85", None, "ผ่านดี", True),
        ("85", "85", "ผ่านดี", False),
        # IIT 84.99: overall 0.3 × 84.99 + 25.5 + 34 = 84.997 → 85.00 still, but IIT < 85 bars ผ่านดี.
        ("84.99", None, "ผ่าน", False),
        # An EIT part below 85 bars ผ่านดี although the combined EIT is 85.
        ("85", "84.99", "ผ่าน", False),
        # IIT 10: overall 3 + 25.5 + 34 = 62.50 → below 70.
        ("10", None, "ต้องปรับปรุงโดยด่วน", False),
    ],
)
def test_level_thresholds_and_min_tool(iit, eit1, level, provisional):
    # Items weighted 17 : 3 with the heavy one passing give 85 per indicator: (17 × 100 + 3 × 0) / 20 = 85.
    spec = small_spec(WEIGHTED_ITEMS)
    given = tools(IIT=iit, EIT="85") | (tools(EIT1=eit1, EIT2="90") if eit1 else {})
    estimate = estimate_oit(spec, outcomes(o1=PASS, o2=FAIL, o3=PASS, o4=FAIL), tools=given)
    assert estimate.oit == Range(D("85.00"), D("85.00"))
    assert estimate.level == LevelRange(level, level)
    assert estimate.provisional is provisional


def test_an_unknown_item_can_span_levels():
    spec = small_spec(WEIGHTED_ITEMS)
    estimate = estimate_oit(spec, outcomes(o1=UNKNOWN, o2=FAIL, o3=PASS, o4=FAIL), tools=tools(IIT="85", EIT="85"))
    # Low: indicator 9 = 0 → OIT = (0 + 85) / 2 = 42.5; overall = 51 + 17 = 68.00 → ต้องปรับปรุงโดยด่วน.
    # High: indicator 9 = 85 → OIT 85, overall 85.00 → ผ่านดี (provisional: EIT parts unknown).
    assert estimate.overall == Range(D("68.00"), D("85.00"))
    assert estimate.level.text == "ต้องปรับปรุงโดยด่วน ถึง ผ่านดี"
    assert estimate.provisional


# -- estimate against official ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "official", "agreement", "official_label"),
    [
        (PASS, D("100.00"), AGREE, "ผ่าน"),
        (FAIL, D(0), AGREE, "ไม่ผ่าน"),
        (PASS, D("0.00"), DISAGREE, "ไม่ผ่าน"),
        (FAIL, D(100), DISAGREE, "ผ่าน"),
        (PASS, D("50"), PARTIAL, "ได้บางส่วน"),
        (FAIL, D("99.99"), PARTIAL, "ได้บางส่วน"),
        (UNKNOWN, D(100), UNDECIDED, "ผ่าน"),
        (PASS, None, NO_OFFICIAL, "–"),
    ],
)
def test_compare_item(outcome, official, agreement, official_label):
    row = compare_item(ItemEstimate("o1", outcome, "ทดสอบ"), official)
    assert (row.agreement, row.official_label) == (agreement, official_label)


def test_comparisons_per_item_and_their_counts():
    spec = small_spec(WEIGHTED_ITEMS)
    official = {"o1": D(100), "o2": D(100), "o3": D(50), "o4": None}
    estimate = estimate_oit(spec, outcomes(o1=PASS, o2=FAIL, o3=PASS, o4=FAIL), official=official)
    assert [(row.estimate.code, row.agreement) for row in estimate.comparisons] == [
        ("o1", AGREE),
        ("o2", DISAGREE),
        ("o3", PARTIAL),
        ("o4", NO_OFFICIAL),
    ]
    assert estimate.has_official
    assert estimate.agreement_counts["agree"] == "๑" and estimate.agreement_counts["disagree"] == "๑"
    assert estimate.comparisons[2].official_text == "๕๐.๐๐"
    assert not estimate_oit(spec, outcomes(o1=PASS)).has_official
