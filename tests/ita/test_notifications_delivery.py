"""The notification outbox: one mail per (event, recipient), claimed once, retried on failure, skipped with a reason."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from ita.models import Delivery, NotificationPreference
from ita.notifications import delivery
from ita.notifications.mail import Mail, compose
from tests.base import BaseTestCase
from tests.factory import make_user

S = Delivery.Status
KEY = "test.event:1"


def mail_to(user, subject: str = "เรื่องทดสอบ", body: str = "ข้อความทดสอบ") -> Mail:
    return Mail(recipient_id=user.pk, subject=subject, body=body)


class OutboxTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user in (cls.alice, cls.bob, cls.charlie):
            user.email = f"{user.username}@example.go.th"
            user.save(update_fields=["email"])

    def queue(self, key: str = KEY, users=None) -> None:
        # on_commit callbacks are dropped here: each test sends explicitly.
        with self.captureOnCommitCallbacks(execute=False):
            delivery.queue(key, [mail_to(user) for user in (users or [self.alice, self.bob])])


class OncePerEventTests(OutboxTestCase):
    def test_queueing_the_same_event_twice_keeps_one_row_per_recipient(self):
        self.queue()
        self.queue(users=[self.alice, self.bob, self.charlie])
        rows = Delivery.objects.filter(event_key=KEY)
        self.assertEqual(sorted(rows.values_list("recipient__username", flat=True)), ["alice", "bob", "charlie"])

    def test_sending_twice_sends_each_mail_once(self):
        self.queue()
        self.assertEqual(delivery.send_pending([KEY]), 0)
        self.assertEqual(delivery.send_pending([KEY]), 0)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["alice@example.go.th", "bob@example.go.th"])
        row = Delivery.objects.get(event_key=KEY, recipient=self.alice)
        self.assertEqual((row.status, row.email, row.attempts), (S.SENT, "alice@example.go.th", 1))
        self.assertIsNotNone(row.sent_at)

    def test_a_retried_task_sends_nothing_new(self):
        self.queue()
        delivery.send_notifications_task.delay([KEY])
        delivery.send_notifications_task.delay([KEY])  # the broker handed the task out again
        self.assertEqual(len(mail.outbox), 2)

    def test_rows_another_worker_claimed_are_not_sent(self):
        self.queue()
        Delivery.objects.filter(event_key=KEY).update(status=S.SENDING, claim="another-worker")
        delivery.send_pending([KEY])
        self.assertEqual(mail.outbox, [])
        self.assertEqual(set(Delivery.objects.values_list("claim", flat=True)), {"another-worker"})

    def test_the_task_is_sent_after_commit_only(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            delivery.queue(KEY, [mail_to(self.alice)])
            self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)
        self.assertEqual([m.to for m in mail.outbox], [["alice@example.go.th"]])

    def test_a_rolled_back_event_leaves_no_row_and_no_task(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(RuntimeError), transaction.atomic():
                delivery.queue(KEY, [mail_to(self.alice)])
                raise RuntimeError("the event failed")
        self.assertEqual((callbacks, mail.outbox), ([], []))
        self.assertFalse(Delivery.objects.exists())


class SkippedTests(OutboxTestCase):
    def test_no_address_opted_out_and_inactive_users_are_recorded_as_skipped(self):
        nobody = make_user("nomail")
        gone = make_user("gone", email="gone@example.go.th", is_active=False)
        NotificationPreference.objects.create(user=self.bob, email_enabled=False)
        self.queue(users=[self.alice, self.bob, nobody, gone])
        delivery.send_pending([KEY])
        self.assertEqual([m.to for m in mail.outbox], [["alice@example.go.th"]])
        skipped = dict(Delivery.objects.filter(status=S.SKIPPED).values_list("recipient__username", "skip_reason"))
        self.assertEqual(
            skipped,
            {
                "bob": str(delivery.SKIP_OPTED_OUT),
                "nomail": str(delivery.SKIP_NO_ADDRESS),
                "gone": str(delivery.SKIP_INACTIVE),
            },
        )

    def test_the_choice_is_read_when_sending(self):
        self.queue(users=[self.alice])
        NotificationPreference.objects.create(user=self.alice, email_enabled=False)
        delivery.send_pending([KEY])
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Delivery.objects.get().status, S.SKIPPED)


class FailureTests(OutboxTestCase):
    def refuse(self):
        return mock.patch.object(
            delivery.EmailMessage, "send", side_effect=smtplib.SMTPServerDisconnected("เซิร์ฟเวอร์ปิดการเชื่อมต่อ")
        )

    def test_a_failure_keeps_the_error_and_a_later_attempt_sends(self):
        self.queue(users=[self.alice])
        with self.refuse():
            self.assertEqual(delivery.send_pending([KEY]), 1)
        row = Delivery.objects.get()
        self.assertEqual((row.status, row.attempts), (S.PENDING, 1))
        self.assertIn("SMTPServerDisconnected", row.last_error)
        delivery.send_pending([KEY])
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts, row.last_error), (S.SENT, 2, ""))
        self.assertEqual(len(mail.outbox), 1)

    def test_after_the_last_attempt_the_row_is_failed_with_its_error(self):
        self.queue(users=[self.alice])
        with self.refuse():
            for _attempt in range(delivery.MAX_ATTEMPTS + 2):
                delivery.send_pending([KEY])
        row = Delivery.objects.get()
        self.assertEqual((row.status, row.attempts), (S.FAILED, delivery.MAX_ATTEMPTS))
        self.assertIn("เซิร์ฟเวอร์ปิดการเชื่อมต่อ", row.last_error)

    def test_on_a_worker_the_task_retries_with_growing_delays(self):
        self.queue(users=[self.alice])
        task = delivery.send_notifications_task
        with self.refuse(), mock.patch.object(task, "retry", return_value=RuntimeError("retry")) as retry:
            with self.assertRaisesMessage(RuntimeError, "retry"):
                task([KEY])  # called as a worker calls it: not eager, first try
        retry.assert_called_once_with(countdown=delivery.RETRY_DELAYS[0])

    def test_in_process_a_failure_does_not_reach_the_request(self):
        self.queue(users=[self.alice])
        with self.refuse():
            delivery.send_notifications_task.delay([KEY])
        self.assertEqual(Delivery.objects.get().status, S.PENDING)

    def test_an_unreachable_broker_leaves_the_rows_for_the_sweep(self):
        with mock.patch.object(delivery.send_notifications_task, "delay", side_effect=ConnectionError("no broker")):
            with self.assertLogs("ita.notifications.delivery", "ERROR"):
                delivery.enqueue([KEY])


class SweepTests(OutboxTestCase):
    def test_rows_left_sending_or_pending_are_sent_after_a_while_once(self):
        self.queue(key="lost:1", users=[self.alice])
        self.queue(key="lost:2", users=[self.bob])
        Delivery.objects.filter(event_key="lost:1").update(status=S.SENDING, claim="dead-worker")
        self.assertEqual(delivery.resend_stale(), 0)  # too recent: maybe still on its way
        later = timezone.now() + delivery.STALE_AFTER + timedelta(minutes=1)
        self.assertEqual(delivery.resend_stale(now=later), 2)
        self.assertEqual(delivery.resend_stale(now=later), 0)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["alice@example.go.th", "bob@example.go.th"])


@override_settings(SITE_URL="https://ita.example.go.th")
class ComposeTests(OutboxTestCase):
    def test_the_subject_is_one_line_and_the_footer_links_the_settings_page(self):
        self.alice.first_name, self.alice.last_name = "อลิส", "ใจดี"
        composed = compose(
            self.alice,
            subject="บรรทัดแรก\nบรรทัดสอง",
            template="ita/notifications/_footer.txt",
            context={},
        )
        self.assertEqual(composed.subject, "บรรทัดแรก บรรทัดสอง")
        self.assertIn("https://ita.example.go.th/accounts/notifications/", composed.body)
        self.assertEqual(composed.recipient_id, self.alice.pk)
