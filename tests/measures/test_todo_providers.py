"""The measures' to-do items on the home page: who sees which, links that open, the overdue rule, the 30-day window."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ita.models import AuditorAssignment, Membership, Score
from ita.todo.registry import Priority, todo_for
from measures import todo
from measures.models import Measure, MeasurePlan, Progress
from tests.base import BaseTestCase
from tests.factory import make_user
from tests.measures.followup.helpers import make_measure, make_plan

S = MeasurePlan.Status
# Plans of fiscal 2565 run from 1 October 2021 to 30 September 2022; its rounds end 31 March and 30 September 2022.
MID_YEAR = datetime.date(2022, 1, 15)


def on(day: datetime.date):
    """Today is `day` for the providers (and for plan_progress)."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


class TodoTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.audrey = make_user("audrey", role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=cls.audrey, organization=cls.alpha)
        cls.dave = make_user("dave", organization=cls.beta, role=Membership.Role.EXECUTIVE)
        # Years with scores: ita's own "year without scores" item stays out of these lists.
        for assessment in (cls.alpha_2564, cls.beta_2564):
            Score.objects.create(assessment=assessment, kind=Score.Kind.TOOL, code="IIT", value=Decimal("90"))

    def items(self, user, day: datetime.date = MID_YEAR):
        with on(day):
            return todo_for(user, getattr(user, "membership", None))

    def texts(self, user, day: datetime.date = MID_YEAR) -> list[str]:
        return [item.text for item in self.items(user, day)]

    def plan(self, status=S.DRAFT, *, organization=None, fiscal_year=2565, **fields) -> MeasurePlan:
        """A plan with one measure, put in `status` directly (the workflow has its own tests)."""
        assessment = self.alpha_2564 if organization in (None, self.alpha) else self.beta_2564
        plan = make_plan(assessment, fiscal_year=fiscal_year)
        make_measure(plan, title="จัดทำคู่มือการใช้ทรัพย์สินของราชการ", start_month=10, end_month=12)
        MeasurePlan.objects.filter(pk=plan.pk).update(status=status, **fields)
        plan.refresh_from_db()
        return plan

    def assert_links_open(self, user, day: datetime.date = MID_YEAR) -> None:
        items = self.items(user, day)
        self.assertTrue(items)
        self.client.force_login(user)
        for item in items:
            with self.subTest(url=item.url):
                self.assertEqual(self.client.get(item.url).status_code, 200)


class DecisionTests(TodoTestCase):
    def test_a_submitted_plan_waits_for_the_executive_only(self):
        plan = self.plan(S.SUBMITTED)
        [item] = self.items(self.bob)
        self.assertEqual(item.text, "มาตรการปี ๒๕๖๕ รอคุณพิจารณาอนุมัติหรือส่งกลับไปแก้ไข")
        self.assertEqual(item.url, reverse("measures:detail", args=[plan.pk]) + "#workflow-heading")
        self.assertEqual(item.priority, Priority.DECIDE)
        for user in (self.alice, self.charlie, self.dave, self.audrey, self.root):
            with self.subTest(user=user.username):
                self.assertEqual(self.texts(user), [])
        self.assert_links_open(self.bob)

    def test_an_approved_plan_waits_to_be_published_by_the_executive(self):
        self.plan(S.APPROVED)
        self.assertEqual(self.texts(self.bob), ["มาตรการปี ๒๕๖๕ อนุมัติแล้ว รอคุณเผยแพร่"])
        self.assertNotIn("มาตรการปี ๒๕๖๕ อนุมัติแล้ว รอคุณเผยแพร่", self.texts(self.alice))
        self.assertEqual(self.texts(self.dave), [])
        self.assert_links_open(self.bob)

    def test_another_organisations_plans_are_not_listed(self):
        self.plan(S.SUBMITTED, organization=self.beta)
        self.assertEqual(self.texts(self.bob), [])
        self.assertEqual(self.texts(self.dave), ["มาตรการปี ๒๕๖๕ รอคุณพิจารณาอนุมัติหรือส่งกลับไปแก้ไข"])

    def test_a_returned_plan_waits_for_staff_with_its_reason(self):
        plan = self.plan(S.DRAFT)
        plan.submit(by=self.alice)
        plan.return_to_draft(by=self.bob, reason="ปรับระยะเวลาของมาตรการที่ ๑ <ให้ชัดเจน>")
        [item] = self.items(self.alice)
        self.assertEqual(item.text, "ผู้บริหารส่งมาตรการปี ๒๕๖๕ กลับไปแก้ไข")
        self.assertEqual(item.detail, "เหตุผล: ปรับระยะเวลาของมาตรการที่ ๑ <ให้ชัดเจน>")
        self.assertEqual(item.url, reverse("measures:detail", args=[plan.pk]) + "#return-reason")
        self.assertEqual(self.texts(self.bob), [])
        self.assertEqual(self.texts(self.charlie), [])
        self.assert_links_open(self.alice)
        # The reason is text on the home page, never markup.
        self.client.force_login(self.alice)
        page = self.client.get(reverse("ita:home"))
        self.assertContains(page, "ปรับระยะเวลาของมาตรการที่ ๑ &lt;ให้ชัดเจน&gt;")

    def test_a_returned_plan_sent_again_goes_back_to_the_executive(self):
        plan = self.plan(S.DRAFT)
        plan.submit(by=self.alice)
        plan.return_to_draft(by=self.bob, reason="เพิ่มตัวชี้วัด")
        MeasurePlan.objects.get(pk=plan.pk).submit(by=self.alice)
        self.assertEqual(self.texts(self.alice), [])
        self.assertEqual(self.texts(self.bob), ["มาตรการปี ๒๕๖๕ รอคุณพิจารณาอนุมัติหรือส่งกลับไปแก้ไข"])

    def test_a_draft_never_returned_waits_for_nobody(self):
        self.plan(S.DRAFT)
        self.assertEqual(self.texts(self.alice), [])
        self.assertEqual(self.texts(self.bob), [])

    def test_a_long_reason_is_shortened_on_the_card(self):
        self.plan(S.DRAFT, returned_at=datetime.datetime(2022, 1, 2, tzinfo=datetime.UTC), return_reason="ก" * 500)
        [item] = self.items(self.alice)
        self.assertLess(len(item.detail), 220)
        self.assertTrue(item.detail.endswith("…"))


class OverdueTests(TodoTestCase):
    def test_a_measure_is_overdue_from_the_day_after_its_period_ends(self):
        plan = self.plan(S.PUBLISHED)  # its measure runs October to December 2021
        self.assertEqual(self.texts(self.alice, datetime.date(2021, 12, 31)), [])
        [item] = self.items(self.alice, datetime.date(2022, 1, 1))
        self.assertEqual(item.text, "มาตรการ “จัดทำคู่มือการใช้ทรัพย์สินของราชการ” เลยกำหนดแล้วยังไม่แล้วเสร็จ")
        self.assertEqual(item.detail, "มาตรการปี ๒๕๖๕ · สิ้นสุด ๓๑ ธันวาคม ๒๕๖๔ · สถานะล่าสุด: ยังไม่ดำเนินการ")
        self.assertEqual((item.priority, item.due), (Priority.OVERDUE, datetime.date(2021, 12, 31)))
        measure = plan.measures.get()
        self.assertEqual(item.url, reverse("measures:progress", args=[plan.pk, measure.pk]))
        self.assert_links_open(self.alice, datetime.date(2022, 1, 1))

    def test_done_and_not_possible_measures_are_not_overdue(self):
        plan = self.plan(S.DRAFT)
        done = plan.measures.get()
        settled = make_measure(plan, title="มาตรการที่ทำไม่ได้", start_month=11, end_month=11)
        open_one = make_measure(plan, title="มาตรการที่ยังค้าง", start_month=11, end_month=11)
        Progress.objects.create(measure=done, date=datetime.date(2021, 12, 1), status="done", percent=100)
        Progress.objects.create(measure=settled, date=datetime.date(2021, 11, 5), status="not_possible")
        Progress.objects.create(measure=open_one, date=datetime.date(2021, 11, 5), status="in_progress", percent=50)
        MeasurePlan.objects.filter(pk=plan.pk).update(status=S.APPROVED)
        texts = self.texts(self.alice)
        self.assertEqual(texts, ["มาตรการ “มาตรการที่ยังค้าง” เลยกำหนดแล้วยังไม่แล้วเสร็จ"])

    def test_only_staff_of_the_organisation_see_overdue_measures(self):
        self.plan(S.PUBLISHED)
        for user in (self.bob, self.charlie, self.dave, self.audrey, self.root):
            with self.subTest(user=user.username):
                self.assertEqual(self.texts(user), [])

    def test_a_draft_has_no_overdue_measures(self):
        self.plan(S.DRAFT)
        self.assertEqual(self.texts(self.alice), [])

    def test_only_the_latest_plan_in_force_counts(self):
        older = self.plan(S.PUBLISHED)
        newer = self.plan(S.PUBLISHED, fiscal_year=2566)
        items = self.items(self.alice, datetime.date(2023, 1, 15))
        self.assertEqual([item.url.split("/")[2] for item in items], [str(newer.pk)])
        # A newer version of the same year replaces the one it corrects, even while it is still a draft.
        correction = newer.new_version(by=self.alice)
        urls = [item.url for item in self.items(self.alice, datetime.date(2023, 1, 15))]
        self.assertTrue(all(f"/plans/{older.pk}/" in url for url in urls), urls)
        self.assertNotIn(correction.pk, [int(url.split("/")[2]) for url in urls])

    def test_at_most_five_overdue_measures_then_one_line_for_the_rest(self):
        plan = self.plan(S.DRAFT)
        for month in (10, 11, 11, 12, 12, 12):
            make_measure(plan, title=f"มาตรการเดือน {month}", start_month=month, end_month=month)
        MeasurePlan.objects.filter(pk=plan.pk).update(status=S.PUBLISHED)
        items = self.items(self.alice)
        self.assertEqual(len(items), 6)
        self.assertEqual(items[0].due, datetime.date(2021, 10, 31))
        self.assertEqual(items[-1].text, "และมาตรการที่เลยกำหนดอีก ๒ รายการ")
        self.assertEqual(items[-1].url, reverse("measures:detail", args=[plan.pk]) + "#followup-heading")
        self.assert_links_open(self.alice)


class RoundTests(TodoTestCase):
    """Round ends of fiscal 2565: 31 March 2022 (6 months) and 30 September 2022 (12 months)."""

    def test_the_window_is_today_to_thirty_days_ahead_both_included(self):
        self.plan(S.PUBLISHED, fiscal_year=2565)
        Measure.objects.update(period_kind="whole_year", start_month=None, end_month=None)  # nothing overdue
        cases = {
            datetime.date(2022, 2, 28): [],  # 31 days before
            datetime.date(2022, 3, 1): ["อีก ๓๐ วัน"],
            datetime.date(2022, 3, 31): ["ครบกำหนดวันนี้"],
            datetime.date(2022, 4, 1): [],
            datetime.date(2022, 8, 31): ["อีก ๓๐ วัน"],
            datetime.date(2022, 9, 30): ["ครบกำหนดวันนี้"],
        }
        for day, expected in cases.items():
            with self.subTest(day=day):
                details = [item.detail for item in self.items(self.alice, day)]
                self.assertEqual([d.split("(")[1].rstrip(")") for d in details], expected)

    def test_staff_and_executives_see_a_round_with_its_date_and_link(self):
        plan = self.plan(S.APPROVED)
        day = datetime.date(2022, 3, 20)
        for user in (self.alice, self.bob):
            with self.subTest(user=user.username):
                rounds = [item for item in self.items(user, day) if item.priority == Priority.DUE_SOON]
                [item] = rounds
                self.assertEqual(item.text, "รายงานผลการดำเนินงานรอบ ๖ เดือน ของมาตรการปี ๒๕๖๕")
                self.assertEqual(item.detail, "ครบกำหนด ๓๑ มีนาคม ๒๕๖๕ (อีก ๑๑ วัน)")
                self.assertEqual(item.url, reverse("measures:detail", args=[plan.pk]) + "#followup-heading")
                self.assertEqual(item.due, datetime.date(2022, 3, 31))
        for user in (self.charlie, self.dave, self.audrey, self.root):
            with self.subTest(user=user.username):
                self.assertEqual(self.texts(user, day), [])
        self.assert_links_open(self.bob, day)

    def test_a_plan_not_in_force_has_no_round(self):
        for status in (S.DRAFT, S.SUBMITTED):
            MeasurePlan.objects.all().delete()
            self.plan(status)
            with self.subTest(status=status):
                rounds = [
                    i for i in self.items(self.alice, datetime.date(2022, 3, 20)) if i.priority == Priority.DUE_SOON
                ]
                self.assertEqual(rounds, [])

    def test_rounds_due_lists_the_rounds_in_the_window(self):
        self.assertEqual(todo.rounds_due(datetime.date(2022, 3, 1)), [(2565, 6, datetime.date(2022, 3, 31))])
        self.assertEqual(todo.rounds_due(datetime.date(2022, 9, 29)), [(2565, 12, datetime.date(2022, 9, 30))])
        self.assertEqual(todo.rounds_due(datetime.date(2022, 6, 1)), [])


class UrgencyTests(TodoTestCase):
    def test_decisions_come_first_then_overdue_then_rounds(self):
        self.plan(S.PUBLISHED, fiscal_year=2565)
        self.plan(S.DRAFT, fiscal_year=2566, returned_at=datetime.datetime(2022, 3, 1, tzinfo=datetime.UTC))
        priorities = [item.priority for item in self.items(self.alice, datetime.date(2022, 3, 20))]
        self.assertEqual(priorities, [Priority.DECIDE, Priority.OVERDUE, Priority.DUE_SOON])


class QueryCountTests(TodoTestCase):
    def queries(self, user, day: datetime.date) -> int:
        with on(day), CaptureQueriesContext(connection) as captured:
            todo_for(user, user.membership)
        return len(captured.captured_queries)

    def add_plans(self, count: int, first_year: int) -> None:
        for year in range(first_year, first_year + count):
            plan = self.plan(S.DRAFT, fiscal_year=year)
            for n in range(3):
                make_measure(plan, title=f"มาตรการ {n}", start_month=10, end_month=10)
            MeasurePlan.objects.filter(pk=plan.pk).update(status=S.PUBLISHED if year % 2 else S.SUBMITTED)

    def test_one_plan_and_twenty_plans_cost_the_same(self):
        day = datetime.date(2022, 3, 20)  # a round is due, measures are overdue, a plan is submitted
        self.add_plans(1, 2565)
        MeasurePlan.objects.filter(fiscal_year=2565).update(status=S.PUBLISHED)
        self.add_plans(1, 2566)
        self.alice.refresh_from_db()
        self.bob.refresh_from_db()
        one = {user.username: self.queries(user, day) for user in (self.alice, self.bob)}
        self.add_plans(20, 2540)
        self.alice.refresh_from_db()
        self.bob.refresh_from_db()
        twenty = {user.username: self.queries(user, day) for user in (self.alice, self.bob)}
        self.assertEqual(one, twenty)
        # Staff pay four of them for ita's OIT evidence item: 2565 collects its evidence in March.
        self.assertLessEqual(max(one.values()), 11)


class PlanLinkTests(TodoTestCase):
    def test_plans_are_named_by_year_and_version_for_the_auditors_changes(self):
        plan = self.plan(S.DRAFT)
        links = todo.plan_links([plan.pk, 999999])
        self.assertEqual(links, {plan.pk: ("มาตรการปี ๒๕๖๕ ฉบับที่ ๑", reverse("measures:detail", args=[plan.pk]))})
