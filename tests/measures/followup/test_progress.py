"""plan_progress: latest entries, overall percent, overdue measures at month boundaries, constant queries."""

import datetime
from decimal import Decimal

from measures.followup import period_end, plan_progress
from measures.models import Measure, PeriodKind, Progress
from tests.base import BaseTestCase
from tests.measures.followup.helpers import make_measure, make_plan

D = Decimal
S = Progress.Status


def _entry(measure, day, status, percent):
    return Progress.objects.create(measure=measure, date=day, status=status, percent=percent)


class PeriodEndTests(BaseTestCase):
    def test_whole_year_ends_on_30_september(self):
        self.assertEqual(period_end(2567, PeriodKind.WHOLE_YEAR, None), datetime.date(2024, 9, 30))

    def test_october_to_december_fall_in_the_calendar_year_before(self):
        self.assertEqual(period_end(2567, PeriodKind.MONTHS, 12), datetime.date(2023, 12, 31))

    def test_february_of_a_leap_year(self):
        self.assertEqual(period_end(2567, PeriodKind.MONTHS, 2), datetime.date(2024, 2, 29))
        self.assertEqual(period_end(2566, PeriodKind.MONTHS, 2), datetime.date(2023, 2, 28))


class PlanProgressTests(BaseTestCase):
    """A plan for fiscal 2565 (1 Oct 2021 – 30 Sep 2022)."""

    def setUp(self):
        self.plan = make_plan(self.alpha_2564)
        self.q1 = make_measure(self.plan, title="ต.ค.–ธ.ค.", start_month=10, end_month=12)
        self.q2 = make_measure(self.plan, title="ม.ค.–มี.ค.", start_month=1, end_month=3)
        self.year = make_measure(self.plan, title="ตลอดปี")
        self.march = make_measure(self.plan, title="มี.ค.", start_month=3)

    def test_latest_entry_by_date_then_by_entry_order(self):
        _entry(self.q1, datetime.date(2021, 12, 20), S.DONE, 100)
        _entry(self.q1, datetime.date(2021, 11, 1), S.IN_PROGRESS, 40)
        _entry(self.q2, datetime.date(2022, 2, 1), S.IN_PROGRESS, 30)
        _entry(self.q2, datetime.date(2022, 2, 1), S.IN_PROGRESS, 55)  # same day: the later entry wins
        rows = {row.measure.pk: row for row in plan_progress(self.plan, today=datetime.date(2022, 2, 2)).measures}
        self.assertEqual((rows[self.q1.pk].status, rows[self.q1.pk].percent), (S.DONE, 100))
        self.assertEqual(rows[self.q1.pk].date, datetime.date(2021, 12, 20))
        self.assertEqual((rows[self.q2.pk].percent, rows[self.q2.pk].entries), (55, 2))
        self.assertEqual(rows[self.year.pk].status_label, "ยังไม่ดำเนินการ")
        self.assertEqual(
            (rows[self.year.pk].percent, rows[self.year.pk].date, rows[self.year.pk].entries), (0, None, 0)
        )

    def test_overall_percent_counts_missing_as_zero_and_leaves_out_not_possible(self):
        _entry(self.q1, datetime.date(2021, 12, 20), S.DONE, 100)
        _entry(self.q2, datetime.date(2022, 2, 1), S.IN_PROGRESS, 55)
        _entry(self.march, datetime.date(2022, 3, 1), S.NOT_POSSIBLE, 30)
        progress = plan_progress(self.plan, today=datetime.date(2022, 3, 15))
        # (100 + 55 + 0) / 3 = 51.666… → 51.67; the not-possible measure is listed apart.
        self.assertEqual(progress.percent, D("51.67"))
        self.assertEqual([row.measure for row in progress.not_possible], [self.march])
        self.assertEqual(progress.done, 1)

    def test_no_countable_measure_gives_no_percent(self):
        Measure.objects.filter(pk__in=[self.q1.pk, self.q2.pk, self.year.pk]).delete()
        _entry(self.march, datetime.date(2022, 3, 1), S.NOT_POSSIBLE, 0)
        self.assertIsNone(plan_progress(self.plan, today=datetime.date(2022, 3, 15)).percent)

    def test_overdue_starts_the_day_after_the_end_month(self):
        _entry(self.q2, datetime.date(2022, 3, 1), S.IN_PROGRESS, 80)
        on_last_day = plan_progress(self.plan, today=datetime.date(2022, 3, 31))
        self.assertEqual([row.measure for row in on_last_day.overdue], [self.q1])  # Dec 2021 is long past
        next_day = plan_progress(self.plan, today=datetime.date(2022, 4, 1))
        self.assertEqual([row.measure for row in next_day.overdue], [self.q1, self.q2, self.march])

    def test_done_and_not_possible_are_never_overdue(self):
        _entry(self.q1, datetime.date(2022, 1, 5), S.DONE, 100)
        _entry(self.q2, datetime.date(2022, 3, 5), S.NOT_POSSIBLE, 10)
        overdue = plan_progress(self.plan, today=datetime.date(2022, 4, 1)).overdue
        self.assertEqual([row.measure for row in overdue], [self.march])

    def test_whole_year_measure_is_overdue_only_after_30_september(self):
        last_day = plan_progress(self.plan, today=datetime.date(2022, 9, 30)).overdue
        self.assertNotIn(self.year, [row.measure for row in last_day])
        after = plan_progress(self.plan, today=datetime.date(2022, 10, 1)).overdue
        self.assertIn(self.year, [row.measure for row in after])
        self.assertEqual(
            [row.ends_on for row in plan_progress(self.plan, today=datetime.date(2022, 1, 1)).measures],
            [
                datetime.date(2021, 12, 31),
                datetime.date(2022, 3, 31),
                datetime.date(2022, 9, 30),
                datetime.date(2022, 3, 31),
            ],
        )

    def test_queries_do_not_grow_with_measures(self):
        for measure in (self.q1, self.q2):
            _entry(measure, datetime.date(2022, 1, 1), S.IN_PROGRESS, 10)
        with self.assertNumQueries(2):
            small = plan_progress(self.plan, today=datetime.date(2022, 1, 2))
        Measure.objects.bulk_create([Measure(plan=self.plan, title=f"ข้อ {n}", order=10 + n) for n in range(26)])
        Progress.objects.bulk_create(
            [Progress(measure=m, date=datetime.date(2022, 1, 1), percent=20) for m in self.plan.measures.all()]
        )
        with self.assertNumQueries(2):
            large = plan_progress(self.plan, today=datetime.date(2022, 1, 2))
        self.assertEqual((len(small.measures), len(large.measures)), (4, 30))
