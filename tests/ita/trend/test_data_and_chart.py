"""Year-over-year data: grading many assessments at once, items aligned through the crosswalk, chart geometry."""

from decimal import Decimal
from unittest import TestCase

from ita.charts.svg import path_of
from ita.charts.trend import axis_floor, axis_step, build_sparkline, build_trend_chart, spread_labels
from ita.models import Assessment
from ita.trend.data import ItemCell, ItemNode, Series, align_items, grade_assessments, organization_trend
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework
from tests.measures.followup.helpers import link, set_scores

D = Decimal


class AlignItemsTests(TestCase):
    """Pure alignment: 2564 i20 → 2565 i10 → 2566 i10; 2564 e4 has no link; 2566 o1 is new."""

    nodes = [
        ItemNode(1, "i20", 2564, "IIT", 20, "ยืมทรัพย์สิน"),
        ItemNode(2, "e4", 2564, "EIT", 34, "ถูกเรียกรับ"),
        ItemNode(5, "i10", 2566, "IIT", 10, "ยืมทรัพย์สินของราชการ"),
        ItemNode(6, "o1", 2566, "OIT", 50, "โครงสร้าง"),
        ItemNode(7, "e4", 2566, "EIT", 30, "ถูกเรียกรับ"),
    ]
    edges = [(1, 3), (3, 5)]  # item 3 is 2565 i10: a year the organisation has no result for

    def test_rows_follow_the_crosswalk_through_a_missing_year(self):
        values = {(2564, "i20"): D("80.00"), (2566, "i10"): D("95.00"), (2564, "e4"): D("70.00"), (2566, "e4"): D("90")}
        rows = align_items((2564, 2566), self.nodes, self.edges, values)
        self.assertEqual([(r.key, r.key_year, r.in_newest_year) for r in rows], [
            ("i10", 2566, True), ("e4", 2566, True), ("e4", 2564, False),
        ])  # fmt: skip
        self.assertEqual(rows[0].cells, ((ItemCell("i20", D("80.00")),), (ItemCell("i10", D("95.00")),)))
        self.assertEqual(rows[0].older_codes, [(0, "i20")])
        self.assertEqual(rows[0].text, "ยืมทรัพย์สินของราชการ")
        # Without a link, the two e4 are not assumed to be the same question.
        self.assertEqual(rows[1].cells, ((), (ItemCell("e4", D("90")),)))
        self.assertEqual(rows[2].cells, ((ItemCell("e4", D("70.00")),), ()))

    def test_rows_without_any_value_are_left_out(self):
        rows = align_items((2564, 2566), self.nodes, self.edges, {(2566, "o1"): D("100")})
        self.assertEqual([r.key for r in rows], ["o1"])


class ChartGeometryTests(TestCase):
    def test_axis_starts_a_step_below_the_lowest_value(self):
        self.assertEqual(axis_floor([D("82.76"), None, D("99")]), 80)
        self.assertEqual(axis_floor([D("80.00")]), 70)
        self.assertEqual(axis_floor([D("0.5")]), 0)
        self.assertEqual(axis_floor([None]), 0)
        self.assertEqual([axis_step(80), axis_step(50), axis_step(0)], [5, 10, 20])

    def test_missing_year_breaks_the_line(self):
        self.assertEqual(path_of([(D(1), D(2)), None, (D(5), D(6)), (D(7), D(8))]), "M1 2 M5 6 L7 8")

    def test_labels_are_spread_apart_and_kept_inside(self):
        self.assertEqual(spread_labels([D(100), D(101), D(50)], 15, 20, 280), [D(100), D(115), D(50)])
        self.assertEqual(spread_labels([D(279), D(280)], 15, 20, 280), [D(265), D(280)])

    def test_chart_names_every_value_in_its_description(self):
        overall = Series("overall", "คะแนนรวม", (D("82.76"), D("91.17")), (False, True))
        iit = Series("IIT", "IIT", (None, D("95.00")), (False, False))
        chart = build_trend_chart([overall, iit], (2564, 2565), title="ทดสอบ")
        self.assertEqual(chart.desc, "คะแนนรวม: ๒๕๖๔ ๘๒.๗๖, ๒๕๖๕ ๙๑.๑๗; IIT: ๒๕๖๔ –, ๒๕๖๕ ๙๕.๐๐")
        self.assertEqual([year.text for year in chart.years], ["๒๕๖๔", "๒๕๖๕"])
        self.assertEqual([len(line.points) for line in chart.lines], [2, 1])
        self.assertEqual(chart.lines[0].points[0].title, "คะแนนรวม ๒๕๖๔: ๘๒.๗๖")
        self.assertEqual(chart.ticks[0].text, "๘๐")
        self.assertEqual(chart.lines[1].path.count("M"), 1)

    def test_sparkline_needs_two_values(self):
        self.assertIsNone(build_sparkline([D("90"), None], 80))
        spark = build_sparkline([D("80"), D("100")], 80)
        self.assertEqual(spark.dots, ((D("4.00"), D("28.00")), (D("116.00"), D("4.00"))))


class OrganizationTrendTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework_2565 = make_framework(2565)
        link(cls.framework, "i20", cls.framework_2565, "i10")
        cls.alpha_2564.official_overall, cls.alpha_2564.official_level = D("82.76"), "B"
        cls.alpha_2564.save()
        indicators = {n: "80.00" for n in range(1, 11)}
        set_scores(cls.alpha_2564, indicators={**indicators, 4: "83.07"}, items={"i20": "70.00"})
        cls.alpha_2565 = make_assessment(cls.alpha, cls.framework_2565)
        set_scores(cls.alpha_2565, indicators={**indicators, 4: "97.92"}, items={"i10": "95.00"})

    def test_series_per_year(self):
        trend = organization_trend(self.alpha)
        self.assertEqual(trend.years, (2564, 2565))
        self.assertEqual(trend.assessment_ids, (self.alpha_2564.pk, self.alpha_2565.pk))
        # Official overall where known; the computed one (marked derived) otherwise.
        self.assertEqual(trend.overall.values, (D("82.76"), D("81.08")))
        self.assertEqual(trend.overall.derived, (False, True))
        self.assertEqual(trend.levels, ("B", "B"))
        iit = trend.tools[0]
        self.assertEqual((iit.key, iit.values, iit.derived), ("IIT", (D("80.61"), D("83.58")), (True, True)))
        four = trend.indicators[3]
        self.assertEqual(
            (four.key, four.label, four.values, four.change),
            ("4", "การใช้ทรัพย์สินของราชการ", (D("83.07"), D("97.92")), D("14.85")),
        )
        self.assertEqual([(row.key, row.older_codes) for row in trend.items], [("i10", [(0, "i20")])])

    def test_grade_assessments_matches_grading_one_by_one(self):
        from ita.grading.assess import grade_assessment

        assessments = list(Assessment.objects.select_related("framework").filter(organization=self.alpha))
        with self.assertNumQueries(4):
            results = grade_assessments(assessments)
        for assessment in assessments:
            self.assertEqual(results[assessment.pk], grade_assessment(assessment=assessment, save=False))

    def test_constant_queries_whatever_the_number_of_years(self):
        with self.assertNumQueries(7):
            organization_trend(self.alpha)
        for year in (2566, 2567, 2568):
            set_scores(make_assessment(self.alpha, make_framework(year)), indicators={1: "90"}, items={"i1": "90"})
        with self.assertNumQueries(7):
            trend = organization_trend(self.alpha)
        self.assertEqual(len(trend.years), 5)

    def test_organization_without_results(self):
        trend = organization_trend(self.beta.__class__.objects.create(code="EMPTY", name="ว่าง"))
        self.assertEqual((trend.years, trend.items, trend.overall.values), ((), (), ()))
