"""Follow-up reminders: 14 days before a round closes, once per plan, round and person, for plans in force only."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ita.models import Delivery, Membership
from measures.models import MeasurePlan
from measures.notifications import rounds_due, send_followup_reminders
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_organization, make_user

S = MeasurePlan.Status
# Fiscal year 2565: the 6-month round closes on 31 March 2022, the 12-month round on 30 September 2022.
SIX_MONTHS_END = datetime.date(2022, 3, 31)
TWELVE_MONTHS_END = datetime.date(2022, 9, 30)
DAY = datetime.timedelta(days=1)


def make_plan(organization, assessment, *, status: str = S.PUBLISHED, supersedes=None) -> MeasurePlan:
    plan = MeasurePlan.objects.create(
        organization=organization,
        fiscal_year=2565,
        based_on=assessment,
        supersedes=supersedes,
        version=supersedes.version + 1 if supersedes else 1,
    )
    MeasurePlan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    return plan


class ReminderTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bea = make_user("bea", organization=cls.beta, role=Membership.Role.EXECUTIVE)
        cls.dora = make_user("dora", role=Membership.Role.AUDITOR)
        for user in (cls.alice, cls.bob, cls.charlie, cls.bea, cls.dora, cls.root):
            user.email = f"{user.username}@example.go.th"
            user.save(update_fields=["email"])
        cls.alpha_plan = make_plan(cls.alpha, cls.alpha_2564)

    def run_on(self, day: datetime.date) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return send_followup_reminders(today=day)

    def recipients(self) -> list[str]:
        return sorted(message.to[0].split("@")[0] for message in mail.outbox)


class WindowTests(ReminderTestCase):
    def test_fifteen_days_before_the_round_closes_nothing_is_sent(self):
        self.assertEqual(self.run_on(SIX_MONTHS_END - 15 * DAY), 0)
        self.assertEqual(mail.outbox, [])

    def test_fourteen_days_before_staff_and_executives_are_reminded(self):
        self.assertEqual(self.run_on(SIX_MONTHS_END - 14 * DAY), 2)
        self.assertEqual(self.recipients(), ["alice", "bob"])
        message = mail.outbox[0]
        self.assertEqual(message.subject, "อีก ๑๔ วันครบรอบรายงานผล ๖ เดือน: มาตรการ ITA ปี พ.ศ. ๒๕๖๕ ของเทศบาลตำบลอัลฟา")
        self.assertIn("๓๑ มีนาคม ๒๕๖๕", message.body)
        self.assertIn(f"/plans/{self.alpha_plan.pk}/", message.body)

    def test_on_the_last_day_the_mail_says_today(self):
        self.run_on(TWELVE_MONTHS_END)
        self.assertTrue(mail.outbox[0].subject.startswith("วันนี้ครบรอบรายงานผล ๑๒ เดือน"))
        self.assertIn("๓๐ กันยายน ๒๕๖๕", mail.outbox[0].body)

    def test_after_the_round_closed_nothing_is_sent(self):
        for day in (SIX_MONTHS_END + DAY, TWELVE_MONTHS_END + DAY):
            self.assertEqual(self.run_on(day), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_second_run_sends_nothing_and_the_next_round_sends_again(self):
        self.run_on(SIX_MONTHS_END - 14 * DAY)
        self.assertEqual(self.run_on(SIX_MONTHS_END - 14 * DAY), 0)
        self.assertEqual(self.run_on(SIX_MONTHS_END - 3 * DAY), 0)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(self.run_on(TWELVE_MONTHS_END - 14 * DAY), 2)
        self.assertEqual(
            sorted(set(Delivery.objects.values_list("event_key", flat=True))),
            [f"followup:{self.alpha_plan.pk}:12", f"followup:{self.alpha_plan.pk}:6"],
        )

    def test_rounds_due_names_the_fiscal_year_and_round(self):
        self.assertEqual(rounds_due(SIX_MONTHS_END - 14 * DAY), [(2565, 6)])
        self.assertEqual(rounds_due(TWELVE_MONTHS_END), [(2565, 12)])
        self.assertEqual(rounds_due(datetime.date(2022, 12, 20)), [])


class WhichPlansTests(ReminderTestCase):
    def test_only_plans_in_force_are_reminded(self):
        make_plan(self.beta, self.beta_2564, status=S.DRAFT)
        self.run_on(SIX_MONTHS_END)
        self.assertEqual(self.recipients(), ["alice", "bob"])  # Beta's plan is a draft: nobody of Beta

    def test_an_approved_plan_is_in_force_too(self):
        make_plan(self.beta, self.beta_2564, status=S.APPROVED)
        self.run_on(SIX_MONTHS_END)
        self.assertEqual(self.recipients(), ["alice", "bea", "bob", "charlie"])
        beta_mail = next(m for m in mail.outbox if m.to == ["charlie@example.go.th"])
        self.assertIn("องค์การบริหารส่วนตำบลเบตา", beta_mail.subject)
        self.assertNotIn("อัลฟา", beta_mail.body)

    def test_the_newest_frozen_version_is_reminded_a_draft_correction_leaves_the_old_one_in_force(self):
        draft = make_plan(self.alpha, self.alpha_2564, status=S.DRAFT, supersedes=self.alpha_plan)
        self.run_on(SIX_MONTHS_END)
        keys = set(Delivery.objects.values_list("event_key", flat=True))
        self.assertEqual(keys, {f"followup:{self.alpha_plan.pk}:6"})
        MeasurePlan.objects.filter(pk=draft.pk).update(status=S.APPROVED)
        self.run_on(TWELVE_MONTHS_END)
        self.assertTrue(Delivery.objects.filter(event_key=f"followup:{draft.pk}:12").exists())
        self.assertFalse(Delivery.objects.filter(event_key=f"followup:{self.alpha_plan.pk}:12").exists())

    def test_auditors_and_administrators_get_no_reminder(self):
        self.run_on(SIX_MONTHS_END)
        self.assertFalse(Delivery.objects.filter(recipient__in=[self.dora, self.root]).exists())

    def test_the_number_of_queries_does_not_grow_with_the_plans(self):
        def queries_on(day):
            with CaptureQueriesContext(connection) as queries, self.captureOnCommitCallbacks(execute=False):
                send_followup_reminders(today=day)
            return len(queries)

        few = queries_on(SIX_MONTHS_END)
        for _n in range(5):
            organization = make_organization()
            make_user(organization=organization, role=Membership.Role.STAFF, email="x@example.go.th")
            make_plan(organization, make_assessment(organization, self.framework))
        self.assertEqual(queries_on(TWELVE_MONTHS_END), few)


class CommandTests(ReminderTestCase):
    def test_the_command_runs_for_the_day_given(self):
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_reminders", "--today", "2022-03-17", stdout=out)
        self.assertIn("reminders queued: 2", out.getvalue())
        self.assertEqual(self.recipients(), ["alice", "bob"])

    def test_a_bad_date_is_refused(self):
        with self.assertRaisesMessage(CommandError, "YYYY-MM-DD"):
            call_command("send_reminders", "--today", "17/03/2565")
