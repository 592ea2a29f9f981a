"""A plan's status changes mail the people who act next: who, what the mail says, and never for a rollback."""

from __future__ import annotations

from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from ita.models import AuditEvent, Delivery, Membership
from ita.notifications import delivery
from measures import notifications
from measures.models import MeasurePlan, PlanStateError
from tests.factory import make_user
from tests.measures.views import PlanWebTestCase

S = MeasurePlan.Status
SITE = "https://ita.example.go.th"


def with_address(user, first_name: str = ""):
    user.email = f"{user.username}@example.go.th"
    user.first_name = first_name
    user.save(update_fields=["email", "first_name"])
    return user


@override_settings(SITE_URL=SITE)
class PlanNotificationTests(PlanWebTestCase):
    """Alpha: alice and sam (staff), bob and erin (executives). Beta: charlie (staff) and bea (executive)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sam = make_user("sam", organization=cls.alpha, role=Membership.Role.STAFF)
        cls.erin = make_user("erin", organization=cls.alpha, role=Membership.Role.EXECUTIVE)
        cls.bea = make_user("bea", organization=cls.beta, role=Membership.Role.EXECUTIVE)
        for user in (cls.alice, cls.sam, cls.bob, cls.erin, cls.charlie, cls.bea, cls.dora):
            with_address(user)
        with_address(cls.alice, "อลิส")
        with_address(cls.bob, "บุญมี")

    def setUp(self):
        self.plan = self.make_plan()
        self.add_measures(self.plan, 1)

    def recipients(self) -> list[str]:
        return sorted(message.to[0].split("@")[0] for message in mail.outbox)

    def send_only_mail(self, action: str) -> None:
        """Send the action's queued mails alone (publishing also enqueues a PDF render, not wanted here)."""
        event = AuditEvent.objects.filter(action=action).latest("pk")
        delivery.send_pending([f"plan.{action}:{event.pk}"])

    def test_a_submission_mails_the_executives(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.plan.submit(by=self.alice)
        self.assertEqual(self.recipients(), ["bob", "erin"])
        message = mail.outbox[0]
        self.assertEqual(message.subject, "มาตรการ ITA ปี พ.ศ. ๒๕๖๕ ของเทศบาลตำบลอัลฟา รอผู้บริหารพิจารณา")
        self.assertIn("อลิส เสนอให้ผู้บริหารพิจารณา", message.body)
        self.assertIn("ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ของเทศบาลตำบลอัลฟา", message.body)
        self.assertIn(f"{SITE}{reverse('measures:detail', args=[self.plan.pk])}", message.body)
        self.assertIn(f"{SITE}/accounts/notifications/", message.body)

    def test_a_return_mails_the_staff_with_the_reason_as_written(self):
        self.plan.submit(by=self.alice)
        reason = "ระยะเวลาของมาตรการที่ 1 ไม่ครบ & ขาดผู้รับผิดชอบ <กองคลัง>"
        with self.captureOnCommitCallbacks(execute=True):
            self.plan.return_to_draft(by=self.bob, reason=reason)
        self.assertEqual(self.recipients(), ["alice", "sam"])
        self.assertIn("ถูกส่งกลับให้แก้ไข", mail.outbox[0].subject)
        self.assertIn("บุญมี ส่งกลับให้แก้ไข", mail.outbox[0].body)
        self.assertIn(reason, mail.outbox[0].body)  # plain text: nothing escaped

    def test_an_approval_mails_the_staff_and_the_other_executives_who_may_publish(self):
        self.plan.submit(by=self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.plan.approve(by=self.bob)
        self.assertEqual(self.recipients(), ["alice", "erin", "sam"])
        self.assertIn("ได้รับอนุมัติแล้ว", mail.outbox[0].subject)
        self.assertIn("ขั้นต่อไปคือการเผยแพร่", mail.outbox[0].body)

    def test_a_publication_mails_the_staff(self):
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        with self.captureOnCommitCallbacks(execute=False):
            self.plan.publish(by=self.erin)
        self.send_only_mail("publish")
        self.assertEqual(self.recipients(), ["alice", "sam"])
        self.assertIn("เผยแพร่แล้ว", mail.outbox[0].subject)

    def test_another_organisation_is_never_mailed(self):
        self.plan.submit(by=self.alice)
        self.plan.return_to_draft(by=self.bob, reason="แก้ไข")
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        outsiders = [self.charlie, self.bea, self.dora, self.root]
        self.assertFalse(Delivery.objects.filter(recipient__in=outsiders).exists())
        beta_plan = self.make_plan(self.beta)
        self.add_measures(beta_plan, 1)
        beta_plan.submit(by=self.charlie)
        submitted = Delivery.objects.filter(event_key__startswith="plan.submit:")
        beta_mails = submitted.exclude(recipient__in=[self.bob, self.erin])
        self.assertEqual(list(beta_mails.values_list("recipient__username", flat=True)), ["bea"])

    def test_the_event_key_is_the_audit_event_and_a_repeat_adds_nothing(self):
        self.plan.submit(by=self.alice)
        event = AuditEvent.objects.get(action="submit")
        rows = Delivery.objects.filter(event_key=f"plan.submit:{event.pk}")
        self.assertEqual(rows.count(), 2)
        notifications.on_plan_transitioned(MeasurePlan, plan=self.plan, action="submit", event=event, by=self.alice)
        self.assertEqual(Delivery.objects.count(), 2)
        delivery.send_pending([f"plan.submit:{event.pk}"])
        delivery.send_pending([f"plan.submit:{event.pk}"])
        self.assertEqual(self.recipients(), ["bob", "erin"])

    def test_a_transition_that_rolls_back_mails_nobody(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(RuntimeError), transaction.atomic():
                self.plan.submit(by=self.alice)
                raise RuntimeError("something after the submission failed")
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Delivery.objects.exists())
        self.assertEqual(MeasurePlan.objects.get(pk=self.plan.pk).status, S.DRAFT)

    def test_a_refused_transition_mails_nobody(self):
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(PlanStateError):
            self.plan.approve(by=self.bob)  # still a draft
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Delivery.objects.exists())

    def test_the_workflow_page_sends_the_mail_after_its_commit(self):
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("measures:transition", args=[self.plan.pk, "submit"]))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.recipients(), ["bob", "erin"])
