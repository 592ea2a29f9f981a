"""/accounts/notifications/: each signed-in user turns their own notification e-mails on or off."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ita.models import AuditEvent, NotificationPreference
from tests.base import BaseTestCase

URL = "/accounts/notifications/"


class NotificationSettingsTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def test_the_address_is_the_named_route(self):
        self.assertEqual(reverse("notification_settings"), URL)

    def test_login_is_required(self):
        client = Client()
        for response in (client.get(URL), client.post(URL, {"email_enabled": "on"})):
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("login")))
        self.assertFalse(NotificationPreference.objects.exists())

    def test_e_mails_are_on_by_default_and_a_get_writes_nothing(self):
        response = self.client.get(URL)
        self.assertContains(response, "อีเมลแจ้งเตือน")
        checkbox = 'name="email_enabled" aria-describedby="id_email_enabled-help" id="id_email_enabled" checked'
        self.assertContains(response, checkbox)
        self.assertContains(response, "บัญชีของคุณยังไม่มีที่อยู่อีเมล")
        self.assertFalse(NotificationPreference.objects.exists())

    def test_turning_off_and_on_again_is_stored_and_recorded(self):
        response = self.client.post(URL, {})
        self.assertRedirects(response, URL, fetch_redirect_response=False)
        self.assertFalse(NotificationPreference.objects.get(user=self.alice).email_enabled)
        page = self.client.get(URL)
        self.assertContains(page, "ระบบจะไม่ส่งอีเมลแจ้งเตือนถึงคุณ")
        self.assertNotContains(page, "checked")
        self.client.post(URL, {"email_enabled": "on"})
        self.assertTrue(NotificationPreference.objects.get(user=self.alice).email_enabled)
        events = AuditEvent.objects.filter(object_type="ita.notificationpreference").order_by("pk")
        self.assertEqual([e.summary for e in events], ["ปิดรับอีเมลแจ้งเตือน", "เปิดรับอีเมลแจ้งเตือน"])
        self.assertEqual({e.user for e in events}, {self.alice})

    def test_saving_the_same_choice_records_nothing(self):
        self.client.post(URL, {"email_enabled": "on"})
        self.assertFalse(AuditEvent.objects.filter(object_type="ita.notificationpreference").exists())

    def test_a_user_changes_only_their_own_choice(self):
        self.client.post(URL, {"user": self.bob.pk, "user_id": self.bob.pk})
        self.assertEqual(
            list(NotificationPreference.objects.values_list("user__username", "email_enabled")), [("alice", False)]
        )

    def test_a_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        self.assertEqual(client.post(URL, {}).status_code, 403)
        self.assertFalse(NotificationPreference.objects.exists())

    def test_the_address_shown_is_the_users_and_escaped(self):
        self.alice.email = "a<b>@example.go.th"
        self.alice.save(update_fields=["email"])
        response = self.client.get(URL)
        self.assertContains(response, "a&lt;b&gt;@example.go.th")
        self.assertNotContains(response, "a<b>@")

    def test_the_page_is_linked_from_the_header(self):
        self.assertContains(self.client.get(reverse("password_change")), f'href="{URL}"')
