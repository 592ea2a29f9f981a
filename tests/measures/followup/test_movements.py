"""measure_movements: the items and indicators a measure answers, base year → next results, via the crosswalk."""

from decimal import Decimal

from ita.models import Assessment, Organization
from measures.followup import Movement, measure_movements
from measures.models import Measure
from measures.plans import create_plan
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework
from tests.measures import SeedTestCase
from tests.measures.followup.helpers import link, make_measure, make_plan, set_scores

D = Decimal


class MovementTests(BaseTestCase):
    """Alpha's 2564 results → plan 2565; 2564 i20 was renumbered i10 in the 2565 framework."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework_2565 = make_framework(2565)
        link(cls.framework, "i20", cls.framework_2565, "i10")
        link(cls.framework, "i7", cls.framework_2565, "i7")
        set_scores(cls.alpha_2564, indicators={4: "83.07"}, items={"i20": "80.00", "i7": "66.67", "e4": "90.00"})

    def setUp(self):
        self.plan = make_plan(self.alpha_2564)
        self.measure = make_measure(self.plan, item_codes=["i20", "i7", "e4"], indicators=[4])

    def _next_year(self) -> Assessment:
        following = make_assessment(self.alpha, self.framework_2565)
        set_scores(following, indicators={4: "97.92"}, items={"i10": "95.00", "i7": "66.67", "e4": "100.00"})
        return following

    def test_scores_move_through_the_crosswalk(self):
        self._next_year()
        found = measure_movements(self.plan)[self.measure.pk]
        self.assertEqual(
            found,
            [
                Movement("i20", "ข้อ I20 ข้อ i20", D("80.00"), D("95.00"), "i10", D("15.00")),
                Movement("i7", "ข้อ I7 ข้อ i7", D("66.67"), D("66.67"), "i7", D("0.00")),
                # e4 has no crosswalk link: the 2565 e4 is not assumed to be the same question.
                Movement("e4", "ข้อ E4 ข้อ e4", D("90.00"), None, None, None),
                Movement("4", "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ", D("83.07"), D("97.92"), "4", D("14.85"), "indicator"),
            ],
        )

    def test_without_next_results_after_is_none(self):
        found = measure_movements(self.plan)[self.measure.pk]
        self.assertEqual([m.before for m in found], [D("80.00"), D("66.67"), D("90.00"), D("83.07")])
        self.assertEqual({(m.after, m.after_code, m.delta) for m in found}, {(None, None, None)})

    def test_unknown_item_code_keeps_its_code_without_scores(self):
        odd = make_measure(self.plan, item_codes=["i99"])
        self.assertEqual(measure_movements(self.plan)[odd.pk], [Movement("i99", "ข้อ I99", None, None, None, None)])

    def test_indicator_derived_from_items_in_the_next_year(self):
        following = make_assessment(self.alpha, self.framework_2565)
        # Indicator 4 of the 2565 factory framework has items i19–i24: all given, indicator not.
        set_scores(following, items={f"i{n}": "90.00" for n in range(19, 25)})
        found = measure_movements(self.plan)[self.measure.pk][-1]
        self.assertEqual((found.after, found.delta), (D("90.00"), D("6.93")))

    def test_measure_of_another_plan_is_not_listed(self):
        other = make_plan(self.beta_2564)
        make_measure(other, indicators=[4])
        self.assertEqual(list(measure_movements(self.plan)), [self.measure.pk])

    def test_queries_do_not_grow_with_measures(self):
        self._next_year()
        with self.assertNumQueries(10):
            measure_movements(self.plan)
        Measure.objects.bulk_create(
            [
                Measure(plan=self.plan, title=f"ข้อ {n}", item_codes=["i20", "e4"], indicators=[4], order=n)
                for n in range(29)
            ]
        )
        with self.assertNumQueries(10):
            found = measure_movements(self.plan)
        self.assertEqual(len(found), 30)


class SeedMovementTests(SeedTestCase):
    """Real scores: Mae Sai Mittraphap indicator 4 (2566) and Khuan Sao Thong's 2568 items into 2569."""

    def test_mae_sai_indicator_4_from_83_07(self):
        plan = create_plan(organization=self.maesai, fiscal_year=2567, suggest=False)
        measure = make_measure(plan, item_codes=["i20"], indicators=[4])
        following = make_assessment(self.maesai, fiscal_year=2567)
        set_scores(following, indicators={4: "97.92"})
        found = measure_movements(plan)[measure.pk]
        self.assertEqual(
            [(m.code, m.before, m.after, m.delta) for m in found],
            [("i20", None, None, None), ("4", D("83.07"), D("97.92"), D("14.85"))],
        )
        self.assertEqual(found[0].after_code, "i20")  # 2566 i20 ↔ 2567 i20 in the crosswalk, not scored

    def test_khuan_sao_thong_o27_became_o25(self):
        khuan = Organization.objects.get(code="DEMO-KHUANSAOTHONG")
        plan = create_plan(organization=khuan, fiscal_year=2569, suggest=False)
        measure = make_measure(plan, item_codes=["i10", "o27"], indicators=[4])
        following = make_assessment(khuan, fiscal_year=2569)
        set_scores(following, indicators={4: "99.60"}, items={"i10": "99.10", "o25": "100.00"})
        found = {m.code: m for m in measure_movements(plan)[measure.pk]}
        self.assertEqual(
            (found["i10"].before, found["i10"].after, found["i10"].after_code), (D("97.92"), D("99.10"), "i10")
        )
        self.assertEqual(
            (found["o27"].before, found["o27"].after, found["o27"].after_code), (D("50.00"), D("100.00"), "o25")
        )
        self.assertEqual((found["4"].before, found["4"].after, found["4"].delta), (D("99.31"), D("99.60"), D("0.29")))
