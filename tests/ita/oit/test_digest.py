"""The weekly OIT evidence digest: its Thai content, once per organisation, year and week, silence outside
the collection window, opt-outs, a fixed number of queries, the command and the beat entry."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ita.models import Delivery, EvidenceEntry, Framework, LinkCheck
from ita.notifications.preferences import set_email_enabled
from ita.oit import digest
from ita.oit.checklist import oit_items
from ita.oit.digest import digest_key, send_oit_digest
from tests.base import BaseTestCase
from tests.factory import make_evidence, make_framework, make_organization, make_user

D = datetime.date
MONDAY = D(2026, 6, 22)  # ISO week 26 of 2026; fiscal 2569 collects until 30 June 2026
V = LinkCheck.Verdict
NOT_FOUND = "ไม่พบหน้านี้บนเว็บ (รหัส ๔๐๔)"


class DigestTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.y2569 = make_framework(2569, oit_items=4)
        cls.o1, cls.o2, cls.o3, cls.o4 = oit_items(cls.y2569)
        for user in (cls.alice, cls.bob, cls.charlie, cls.root):
            user.email = f"{user.username}@example.go.th"
            user.save(update_fields=["email"])
        ok = ("https://a.go.th/ok", V.GREEN, "ok", "เปิดได้")
        # Alpha: O1 has no URL, O2 a red link, O3 a page without the year, O4 is fine.
        make_evidence(
            cls.alpha, cls.y2569, cls.o2, ["https://a.go.th/2"], [("https://a.go.th/2", V.RED, "not_found", NOT_FOUND)]
        )
        make_evidence(
            cls.alpha, cls.y2569, cls.o3, ["https://a.go.th/3"], [("https://a.go.th/3", V.AMBER, "year_missing", "x")]
        )
        make_evidence(cls.alpha, cls.y2569, cls.o4, [ok[0]], [ok])
        # Beta: everything is fine.
        for item in (cls.o1, cls.o2, cls.o3, cls.o4):
            make_evidence(cls.beta, cls.y2569, item, [ok[0]], [ok])

    def run_on(self, day: datetime.date):
        with self.captureOnCommitCallbacks(execute=True):
            return send_oit_digest(today=day)

    def recipients(self) -> list[str]:
        return sorted(message.to[0].split("@")[0] for message in mail.outbox)


class ContentTests(DigestTestCase):
    def test_staff_of_an_organisation_with_gaps_get_every_gap_in_thai(self):
        run = self.run_on(MONDAY)
        self.assertEqual(run.mails, {2569: 1})
        self.assertEqual(self.recipients(), ["alice"])  # bob is an executive; Beta lacks nothing
        [message] = mail.outbox
        self.assertEqual(message.subject, "หลักฐาน OIT ปี พ.ศ. ๒๕๖๙ ของเทศบาลตำบลอัลฟา: ยังต้องแก้ไข ๓ ข้อ ปิดรับอีก ๘ วัน")
        self.assertEqual(
            message.body,
            "เรียน คุณalice\n"
            "\n"
            "รายการหลักฐาน OIT ปีงบประมาณ พ.ศ. ๒๕๖๙ ของเทศบาลตำบลอัลฟา ยังมี ๓ ข้อที่ต้องแก้ไข\n"
            "ระบบ ITAS ปิดรับหลักฐานวันที่ ๓๐ มิถุนายน ๒๕๖๙ (อีก ๘ วัน)\n"
            "\n"
            "- O1 ข้อ o1: ยังไม่มีลิงก์\n"
            "- O2 ข้อ o2: ไม่พบหน้านี้บนเว็บ (รหัส ๔๐๔)\n"
            "- O3 ข้อ o3: เปิดได้ แต่ไม่พบปี พ.ศ. ๒๕๖๙ ในเนื้อหา อาจเป็นข้อมูลของปีก่อน\n"
            "\n"
            "แก้ไขลิงก์และสั่งตรวจลิงก์อีกครั้งได้ที่หน้ารายการหลักฐาน OIT\n"
            f"{settings.SITE_URL}/organizations/ALPHA/oit/2569/\n"
            "\n"
            "--\n"
            "อีเมลนี้ส่งโดยอัตโนมัติจากระบบติดตามผลการประเมินคุณธรรมและความโปร่งใส (ITA) โปรดอย่าตอบกลับ\n"
            f"หากไม่ต้องการรับอีเมลแจ้งเตือน ปิดได้ที่ {settings.SITE_URL}/accounts/notifications/\n",
        )

    def test_on_the_last_day_the_mail_says_today(self):
        self.run_on(D(2026, 6, 30))
        [message] = mail.outbox
        self.assertEqual(message.subject, "วันนี้ปิดรับหลักฐาน OIT ปี พ.ศ. ๒๕๖๙: เทศบาลตำบลอัลฟา ยังต้องแก้ไข ๓ ข้อ")
        self.assertIn("ระบบ ITAS ปิดรับหลักฐานวันนี้ (๓๐ มิถุนายน ๒๕๖๙)\n", message.body)

    def test_every_red_link_of_an_item_is_named_once_and_an_old_links_check_is_forgotten(self):
        urls = ["https://b.go.th/1", "https://b.go.th/2", "https://b.go.th/3"]
        checks = [
            (urls[0], V.RED, "dns", "ไม่พบชื่อเว็บ b.go.th"),
            (urls[1], V.RED, "timeout", "เว็บตอบช้าเกิน 10 วินาที"),
            (urls[2], V.RED, "dns", "ไม่พบชื่อเว็บ b.go.th"),
            ("https://b.go.th/old", V.RED, "connect", "เชื่อมต่อเว็บ b.go.th ไม่ได้"),
        ]
        EvidenceEntry.objects.filter(checklist__organization=self.beta, item=self.o1).delete()
        make_evidence(self.beta, self.y2569, self.o1, urls, checks)
        self.run_on(MONDAY)
        beta = next(m for m in mail.outbox if m.to == ["charlie@example.go.th"])
        self.assertIn("\n- O1 ข้อ o1: ไม่พบชื่อเว็บ b.go.th; เว็บตอบช้าเกิน 10 วินาที\n\n", beta.body)
        self.assertNotIn("เชื่อมต่อ", beta.body)
        self.assertIn("ยังต้องแก้ไข ๑ ข้อ", beta.subject)

    def test_an_organisation_without_a_checklist_has_every_item_missing(self):
        other = make_organization(code="GAMMA", name="เทศบาลตำบลแกมมา")
        make_user("gina", organization=other, email="gina@example.go.th")
        self.run_on(MONDAY)
        gina = next(m for m in mail.outbox if m.to == ["gina@example.go.th"])
        self.assertIn("ยังมี ๔ ข้อที่ต้องแก้ไข", gina.body)
        self.assertEqual(gina.body.count(": ยังไม่มีลิงก์\n"), 4)
        self.assertIn("/organizations/GAMMA/oit/2569/", gina.body)


class OncePerWeekTests(DigestTestCase):
    def test_a_second_run_in_the_same_week_sends_nothing_and_next_week_sends_again(self):
        self.assertEqual(self.run_on(MONDAY).total, 1)
        self.assertEqual(self.run_on(MONDAY).total, 0)
        self.assertEqual(self.run_on(MONDAY + datetime.timedelta(days=6)).total, 0)  # Sunday, still week 26
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(self.run_on(D(2026, 6, 29)).total, 1)
        self.assertEqual(
            sorted(Delivery.objects.values_list("event_key", flat=True)),
            [f"oit-digest:{self.alpha.pk}:2569:2026-W26", f"oit-digest:{self.alpha.pk}:2569:2026-W27"],
        )

    def test_the_key_names_organisation_year_and_iso_week(self):
        self.assertEqual(digest_key(7, 2569, D(2026, 1, 1)), "oit-digest:7:2569:2026-W01")
        self.assertEqual(digest_key(7, 2570, D(2027, 1, 1)), "oit-digest:7:2570:2026-W53")

    def test_a_staff_member_who_joins_mid_week_gets_the_weeks_digest_the_others_nothing_again(self):
        self.run_on(MONDAY)
        make_user("anna", organization=self.alpha, email="anna@example.go.th")
        self.assertEqual(self.run_on(MONDAY + datetime.timedelta(days=2)).total, 1)
        self.assertEqual(self.recipients(), ["alice", "anna"])


class WindowTests(DigestTestCase):
    def test_outside_the_window_nothing_is_sent(self):
        for day in (D(2025, 12, 29), D(2026, 7, 1), D(2026, 9, 7)):
            with self.subTest(day=day):
                self.assertEqual(self.run_on(day).mails, {})
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Delivery.objects.exists())

    def test_the_window_an_administrator_set_decides(self):
        Framework.objects.filter(pk=self.y2569.pk).update(oit_opens=D(2026, 7, 1), oit_closes=D(2026, 8, 31))
        self.assertEqual(self.run_on(MONDAY).mails, {})
        self.run_on(D(2026, 7, 6))
        [message] = mail.outbox
        self.assertIn("ปิดรับอีก ๕๖ วัน", message.subject)


class OptOutTests(DigestTestCase):
    def test_a_staff_member_who_turned_e_mails_off_gets_nothing(self):
        set_email_enabled(self.alice, False)
        self.run_on(MONDAY)
        self.assertEqual(mail.outbox, [])
        row = Delivery.objects.get(recipient=self.alice)
        self.assertEqual((row.status, row.skip_reason), (Delivery.Status.SKIPPED, "ผู้รับปิดการรับอีเมลแจ้งเตือน"))


class ScaleTests(DigestTestCase):
    def queries(self, day) -> int:
        with CaptureQueriesContext(connection) as captured, self.captureOnCommitCallbacks(execute=False):
            send_oit_digest(today=day)
        return len(captured)

    def test_a_chunk_costs_the_same_queries_whatever_its_organisations_and_links(self):
        few = self.queries(MONDAY)
        for n in range(6):
            organization = make_organization()
            make_user(organization=organization, email=f"s{n}@example.go.th")
            for item in (self.o1, self.o2, self.o3):
                urls = [f"https://o{n}.go.th/{item.code}/{k}" for k in range(5)]
                make_evidence(organization, self.y2569, item, urls, [(u, V.RED, "dns", "ไม่พบชื่อเว็บ") for u in urls])
        self.assertEqual(self.queries(D(2026, 6, 29)), few)

    def test_organisations_are_read_a_chunk_at_a_time(self):
        organizations = [make_organization() for _n in range(4)]
        for organization in organizations:
            make_user(organization=organization, email="x@example.go.th")
        with mock.patch.object(digest, "CHUNK", 2):
            self.assertEqual(self.run_on(MONDAY).total, 5)  # Alpha's alice and the four new ones
        self.assertEqual(len(mail.outbox), 5)


class CommandTests(DigestTestCase):
    def test_the_command_runs_for_the_day_given_and_says_what_it_queued(self):
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_oit_digest", "--date", "2026-06-22", stdout=out)
        self.assertEqual(out.getvalue(), "หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: อีเมลสรุปเข้าคิว ๑ ฉบับ\n")
        self.assertEqual(self.recipients(), ["alice"])

    def test_outside_every_window_it_says_nothing_was_sent(self):
        out = StringIO()
        call_command("send_oit_digest", "--date", "2026-07-06", stdout=out)
        self.assertEqual(out.getvalue(), "ไม่มีปีใดอยู่ในช่วงรับหลักฐาน OIT: ไม่ได้ส่งอีเมลสรุป\n")

    def test_a_bad_date_is_refused(self):
        with self.assertRaisesMessage(CommandError, "YYYY-MM-DD"):
            call_command("send_oit_digest", "--date", "22/06/2569")

    def test_beat_runs_the_task_on_monday_mornings(self):
        from ita.celery import app

        app.loader.import_default_modules()
        entry = settings.CELERY_BEAT_SCHEDULE["oit-weekly-digest"]
        self.assertEqual(entry["task"], "ita.oit_weekly_digest")
        self.assertIn(entry["task"], app.tasks)
        self.assertEqual(entry["schedule"].day_of_week, {1})
        self.assertEqual((entry["schedule"].hour, entry["schedule"].minute), ({7}, {30}))

    def test_the_task_sends_todays_digest(self):
        from unittest import mock

        with (
            mock.patch("django.utils.timezone.localdate", return_value=MONDAY),
            self.captureOnCommitCallbacks(execute=True),
        ):
            digest.oit_weekly_digest_task.delay()
        self.assertEqual(self.recipients(), ["alice"])
