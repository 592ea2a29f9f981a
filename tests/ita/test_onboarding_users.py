"""User accounts imported in the admin: membership and role, a set-your-password e-mail, never a password."""

from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from ita.models import AuditEvent, AuditorAssignment, Membership, Source
from tests.base import BaseTestCase
from tests.ita.onboarding_helpers import confirm, preview

IMPORT_URL = reverse("admin:auth_user_import")
PROCESS_URL = reverse("admin:auth_user_process_import")
HEADERS = ["username", "ชื่อ", "นามสกุล", "email", "รหัสหน่วยงาน", "บทบาท"]


class UserImportTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.root)

    def rows(self):
        return [HEADERS, ["dara", "ดารา", "ใจดี", "dara@example.org", "ALPHA", "ผู้บริหาร"]]

    def test_new_user_gets_the_email_only_on_confirm(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = preview(self.client, IMPORT_URL, self.rows())
        self.assertIn("confirm_form", response.context)
        self.assertFalse(User.objects.filter(username="dara").exists())
        self.assertEqual(len(mail.outbox), 0)

        with self.captureOnCommitCallbacks(execute=True):
            confirm(self.client, PROCESS_URL, response)
        dara = User.objects.get(username="dara")
        self.assertFalse(dara.has_usable_password())
        self.assertEqual((dara.membership.organization, dara.membership.role), (self.alpha, Membership.Role.EXECUTIVE))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["dara@example.org"])
        self.assertIn("ตั้งรหัสผ่าน", message.subject)
        self.assertIn("/accounts/reset/", message.body)
        self.assertIn("dara", message.body)
        objects = set(AuditEvent.objects.filter(source=Source.IMPORT).values_list("object_type", "action"))
        self.assertEqual(objects, {("auth.user", "create"), ("ita.membership", "create")})

    def test_a_file_with_a_password_column_is_refused_whole(self):
        rows = [[*HEADERS, "password"], ["eve", "", "", "eve@example.org", "ALPHA", "staff", "secret"]]
        with self.captureOnCommitCallbacks(execute=True):
            response = preview(self.client, IMPORT_URL, rows)
        self.assertNotIn("confirm_form", response.context)
        self.assertContains(response, "ซึ่งระบบไม่รับ")
        self.assertFalse(User.objects.filter(username="eve").exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_existing_user_role_change_is_applied_and_audited(self):
        rows = [HEADERS, ["alice", "อลิซ", "", "alice@example.org", "BETA", "executive"]]
        with self.captureOnCommitCallbacks(execute=True):
            confirm(self.client, PROCESS_URL, preview(self.client, IMPORT_URL, rows))
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.first_name, "อลิซ")
        membership = Membership.objects.get(user=self.alice)
        self.assertEqual((membership.organization, membership.role), (self.beta, Membership.Role.EXECUTIVE))
        event = AuditEvent.objects.get(object_type="ita.membership", action="update")
        self.assertEqual(event.changes["role"], {"label": "บทบาท", "old": "staff", "new": "executive"})
        self.assertEqual(len(mail.outbox), 0)  # not a new user

    def test_bad_rows_write_nothing_and_speak_thai(self):
        auditor = User.objects.create_user("audrey")
        Membership.objects.create(user=auditor, role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=auditor, organization=self.alpha)
        rows = [
            *self.rows(),
            ["nomail", "", "", "", "ALPHA", "staff"],
            ["lost", "", "", "lost@example.org", "NOPE", "staff"],
            ["audrey", "", "", "", "ALPHA", "เจ้าหน้าที่"],
            ["root", "", "", "root@example.org", "ALPHA", "staff"],
        ]
        response = preview(self.client, IMPORT_URL, rows)
        self.assertNotIn("confirm_form", response.context)
        text = " ".join(str(row.error_dict) for row in response.context["result"].invalid_rows)
        self.assertIn("แถว 3 คอลัมน์ “ที่อยู่อีเมล”: ผู้ใช้ใหม่ต้องมีอีเมล", text)
        self.assertIn("แถว 4 คอลัมน์ “รหัสหน่วยงาน”: ไม่พบหน่วยงานรหัส “NOPE”", text)
        self.assertIn("แถว 5 คอลัมน์ “บทบาท”", text)
        self.assertIn("บัญชีผู้ดูแลระบบแก้ไขจากไฟล์ไม่ได้", text)
        self.assertFalse(User.objects.filter(username__in=["dara", "nomail", "lost"]).exists())

    def test_non_administrators_cannot_import_users(self):
        self.alice.is_staff = True
        self.alice.save()
        self.client.force_login(self.alice)
        response = preview(self.client, IMPORT_URL, self.rows())
        self.assertEqual(response.status_code, 302)
        self.assertFalse(User.objects.filter(username="dara").exists())
