"""The pure analysis helpers: ranking, thresholds, item selection, paragraphs, themes, periods."""

from decimal import Decimal
from unittest import TestCase

from django.core.exceptions import ValidationError

from measures.analysis import (
    THEMES,
    ItemInfo,
    Template,
    indicator_paragraph,
    ranking,
    recommendation_text,
    select_items,
    split_at_threshold,
    summary_text,
    theme_of,
)
from measures.models import Measure, MeasurePlan, calendar_year, check_period, period_text

D = Decimal


class RankingTests(TestCase):
    def test_sorted_by_score_and_ties_keep_indicator_order(self):
        scores = {8: D("90"), 2: D("100"), 10: D("100"), 1: D("95.004"), 5: D("100")}
        self.assertEqual(
            ranking(scores), [(2, D("100.00")), (5, D("100.00")), (10, D("100.00")), (1, D("95.00")), (8, D("90.00"))]
        )

    def test_rounds_half_up_before_comparing(self):
        # 84.995 shows and compares as 85.00, so it is a strength at 85.
        strong, weak = split_at_threshold(ranking({7: D("84.995"), 8: D("84.994")}), D("85"))
        self.assertEqual(strong, [(7, D("85.00"))])
        self.assertEqual(weak, [(8, D("84.99"))])


class SelectItemsTests(TestCase):
    infos = {
        "i1": ItemInfo("i1", "IIT", 1, order=1),
        "i2": ItemInfo("i2", "IIT", 1, order=2),
        "e1": ItemInfo("e1", "EIT", 6, order=3),
        "o1": ItemInfo("o1", "OIT", 9, order=4),
        "o2": ItemInfo("o2", "OIT", 9, order=5),
        "o3": ItemInfo("o3", "OIT", 9, order=6),
    }

    def test_iit_eit_below_threshold_and_oit_below_100_zeros_first(self):
        scores = {"i1": D("84.99"), "i2": D("85"), "e1": D("60"), "o1": D("100"), "o2": D("0"), "o3": D("90")}
        chosen = [(info.code, score) for info, score in select_items(scores, self.infos, D("85"))]
        self.assertEqual(chosen, [("o2", D("0.00")), ("e1", D("60.00")), ("i1", D("84.99")), ("o3", D("90.00"))])

    def test_equal_scores_follow_item_order_and_unknown_codes_are_ignored(self):
        scores = {"e1": D("50"), "i2": D("50"), "i1": D("50"), "x9": D("0")}
        chosen = [info.code for info, _score in select_items(scores, self.infos, D("85"))]
        self.assertEqual(chosen, ["i1", "i2", "e1"])


class TextTests(TestCase):
    def test_recommendation_pattern(self):
        self.assertEqual(
            recommendation_text("e1", " บางรายเห็นว่าช้า ", "ระบุขั้นตอน"),
            "ข้อ E1 ประเด็น บางรายเห็นว่าช้า ดังนั้น หน่วยงานควรระบุขั้นตอน",
        )

    def test_paragraph_fills_template_with_thai_digits(self):
        template = Template("วัดการสื่อสาร", "ได้ {score} ไม่ต่ำกว่า {threshold}", "ได้ {score} ต่ำกว่า {threshold} {x}")
        text = indicator_paragraph(
            7, "ประสิทธิภาพการสื่อสาร", D("84.54"), threshold=D("85"), strength=False, template=template
        )
        self.assertEqual(text, "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร ได้คะแนน ๘๔.๕๔ คะแนน วัดการสื่อสาร ได้ ๘๔.๕๔ ต่ำกว่า ๘๕ {x}")

    def test_paragraph_without_template_and_fractional_threshold(self):
        text = indicator_paragraph(
            4, "การใช้ทรัพย์สินของราชการ", D("99.07"), threshold=D("97.5"), strength=True, template=None
        )
        self.assertIn("ถึงเกณฑ์ ๙๗.๕๐ คะแนน", text)

    def test_summary_names_every_tied_top_indicator(self):
        ranked = [(9, D("100.00")), (10, D("100.00")), (8, D("82.73"))]
        text = summary_text(ranked, {9: "การเปิดเผยข้อมูล", 10: "การป้องกันการทุจริต", 8: "การปรับปรุงการทำงาน"}, D("85"))
        self.assertIn("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล และ ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้ ๑๐๐.๐๐", text)
        self.assertIn("ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน ได้ ๘๒.๗๓", text)
        self.assertIn("มีจุดแข็ง ๒ ตัวชี้วัด และจุดที่ต้องพัฒนา ๑ ตัวชี้วัด", text)


class ThemeTests(TestCase):
    def test_every_indicator_has_exactly_one_theme(self):
        for number in range(1, 11):
            owners = [theme.key for theme in THEMES if number in theme.indicators]
            self.assertEqual(len(owners), 1, number)

    def test_oit_items_follow_the_year_layout(self):
        self.assertEqual(theme_of(ItemInfo("o12", "OIT", 9), 2568).key, "budget")
        self.assertEqual(theme_of(ItemInfo("o12", "OIT", 9, sub_indicator="9.2"), 2566).key, "standards")
        self.assertEqual(theme_of(ItemInfo("o20", "OIT", 9, sub_indicator="9.3"), 2564).key, "budget")
        self.assertEqual(theme_of(ItemInfo("o3", "OIT", 9), 2568).key, "communication")
        self.assertEqual(theme_of(ItemInfo("o27", "OIT", 10), 2568).key, "integrity")
        self.assertEqual(theme_of(ItemInfo("i10", "IIT", 4), 2568).key, "assets")


class PeriodTests(TestCase):
    def test_month_range_in_the_same_calendar_year(self):
        self.assertEqual(period_text(2565, "months", 1, 3), "ม.ค. – มี.ค. ๖๕")
        self.assertEqual(period_text(2565, "months", 1, 3, digits="arabic"), "ม.ค. – มี.ค. 65")

    def test_october_to_december_belong_to_the_previous_calendar_year(self):
        self.assertEqual(period_text(2565, "months", 10, 12), "ต.ค. – ธ.ค. ๖๔")
        self.assertEqual(period_text(2565, "months", 11, 2), "พ.ย. ๖๔ – ก.พ. ๖๕")
        self.assertEqual(period_text(2565, "months", 4, 4), "เม.ย. ๖๕")
        self.assertEqual(calendar_year(2565, 9), 2565)
        self.assertEqual(calendar_year(2565, 10), 2564)

    def test_whole_year(self):
        self.assertEqual(period_text(2567, "whole_year", None, None), "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗")

    def test_measure_period_display_uses_the_plan_year(self):
        measure = Measure(plan=MeasurePlan(fiscal_year=2565), period_kind="months", start_month=1, end_month=3)
        self.assertEqual(measure.period_display(), "ม.ค. – มี.ค. ๖๕")
        self.assertEqual(Measure(plan=MeasurePlan(fiscal_year=2567)).period_display(), "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗")

    def test_check_period_refuses_ranges_running_past_september(self):
        check_period("months", 10, 9)
        for bad in [("months", 3, 1), ("months", 9, 10), ("months", None, 3), ("months", 0, 3), ("whole_year", 1, 3)]:
            with self.assertRaises(ValidationError, msg=bad):
                check_period(*bad)
