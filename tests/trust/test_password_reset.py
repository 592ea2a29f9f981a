"""Password reset by e-mail: Django's views with Thai pages and mail, links built from SITE_URL."""

import re

from django.core import mail
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from tests.base import BaseTestCase

LINK = re.compile(r"https://ita\.example\.go\.th(/accounts/reset/[^/\s]+/[^/\s]+/)")


@override_settings(
    SITE_URL="https://ita.example.go.th",
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class PasswordResetTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice.email = "alice@alpha.go.th"
        cls.alice.first_name, cls.alice.last_name = "อลิส", "ใจดี"
        cls.alice.save()

    def request_reset(self, email):
        return self.client.post(reverse("password_reset"), {"email": email})

    def reset_path(self):
        self.assertEqual(len(mail.outbox), 1)
        match = LINK.search(mail.outbox[0].body)
        self.assertIsNotNone(match, mail.outbox[0].body)
        return match.group(1)

    def test_login_page_links_to_the_reset_page(self):
        page = self.client.get(reverse("login"))
        self.assertContains(page, f'href="{reverse("password_reset")}"')
        self.assertContains(page, "ลืมรหัสผ่าน?")

    def test_reset_page_is_thai(self):
        page = self.client.get(reverse("password_reset"))
        self.assertContains(page, "ลืมรหัสผ่าน")
        self.assertContains(page, '<label for="id_email">อีเมล</label>', html=True)

    def test_a_known_address_gets_a_thai_mail_with_a_link_to_the_site_url(self):
        response = self.request_reset("ALICE@alpha.go.th")
        self.assertRedirects(response, reverse("password_reset_done"))
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@alpha.go.th"])
        self.assertEqual(message.subject, "ตั้งรหัสผ่านใหม่สำหรับระบบติดตามผล ITA")
        self.assertIn("เรียน คุณอลิส ใจดี", message.body)
        self.assertIn("ชื่อผู้ใช้ของคุณคือ alice", message.body)
        self.assertIn("ภายใน ๒ ชั่วโมง", message.body)
        self.reset_path()

    def test_the_link_in_the_mail_sets_a_new_password(self):
        self.request_reset("alice@alpha.go.th")
        page = self.client.get(self.reset_path(), follow=True)
        self.assertContains(page, "ตั้งรหัสผ่านใหม่")
        form_url = page.redirect_chain[-1][0]
        response = self.client.post(form_url, {"new_password1": "สวนมะม่วง-2569", "new_password2": "สวนมะม่วง-2569"})
        self.assertRedirects(response, reverse("password_reset_complete"))
        self.assertTrue(self.client.login(request=HttpRequest(), username="alice", password="สวนมะม่วง-2569"))

    def test_the_link_works_only_once(self):
        self.request_reset("alice@alpha.go.th")
        path = self.reset_path()
        form_url = self.client.get(path, follow=True).redirect_chain[-1][0]
        self.client.post(form_url, {"new_password1": "สวนมะม่วง-2569", "new_password2": "สวนมะม่วง-2569"})
        again = self.client.get(path, follow=True)
        self.assertContains(again, "ลิงก์นี้ใช้ไม่ได้แล้ว")
        self.assertNotContains(again, 'name="new_password1"')

    def test_weak_or_mismatched_passwords_are_refused_in_thai(self):
        self.request_reset("alice@alpha.go.th")
        form_url = self.client.get(self.reset_path(), follow=True).redirect_chain[-1][0]
        response = self.client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
        self.assertContains(response, "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด")
        self.assertContains(response, "รหัสผ่านนี้ถูกใช้กันทั่วไป")
        response = self.client.post(form_url, {"new_password1": "สวนมะม่วง-2569", "new_password2": "สวนมะม่วง"})
        self.assertContains(response, "รหัสผ่านทั้งสองช่องไม่ตรงกัน")
        self.assertTrue(self.client.login(request=HttpRequest(), username="alice", password="password"))

    def test_an_unknown_address_sends_nothing_and_looks_the_same(self):
        known = self.request_reset("alice@alpha.go.th")
        unknown = self.request_reset("nobody@nowhere.go.th")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual((unknown.status_code, unknown["Location"]), (known.status_code, known["Location"]))
        self.assertEqual(self.client.get(unknown["Location"]).content, self.client.get(known["Location"]).content)

    def test_a_user_without_a_usable_password_or_inactive_gets_nothing(self):
        self.bob.email = "bob@alpha.go.th"
        self.bob.is_active = False
        self.bob.save()
        self.request_reset("bob@alpha.go.th")
        self.assertEqual(mail.outbox, [])

    def test_setting_a_new_password_lifts_the_login_lock(self):
        for _ in range(5):
            self.client.post(reverse("login"), {"username": "alice", "password": "wrong-password"})
        locked = self.client.post(reverse("login"), {"username": "alice", "password": "password"})
        self.assertEqual(locked.status_code, 429)
        self.request_reset("alice@alpha.go.th")
        form_url = self.client.get(self.reset_path(), follow=True).redirect_chain[-1][0]
        self.client.post(form_url, {"new_password1": "สวนมะม่วง-2569", "new_password2": "สวนมะม่วง-2569"})
        self.client.logout()
        response = self.client.post(reverse("login"), {"username": "alice", "password": "สวนมะม่วง-2569"})
        self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)

    def test_password_change_page_is_thai_and_works(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("password_change"))
        self.assertContains(page, "รหัสผ่านปัจจุบัน")
        self.assertContains(page, "ยาวอย่างน้อย ๘ ตัวอักษร")
        response = self.client.post(
            reverse("password_change"),
            {"old_password": "password", "new_password1": "ทุ่งนาเขียว-77", "new_password2": "ทุ่งนาเขียว-77"},
        )
        self.assertRedirects(response, reverse("password_change_done"))

    def test_a_user_without_a_name_is_greeted_politely(self):
        self.bob.email = "bob@alpha.go.th"
        self.bob.save()
        self.request_reset("bob@alpha.go.th")
        self.assertIn("เรียน ผู้ใช้ระบบ", mail.outbox[0].body)
        self.assertIn("ชื่อผู้ใช้ของคุณคือ bob", mail.outbox[0].body)


@override_settings(
    SITE_URL="https://ita.example.go.th",
    PASSWORD_RESET_LIMIT_PER_ADDRESS=3,
    PASSWORD_RESET_LIMIT_PER_CLIENT=5,
    PASSWORD_RESET_WINDOW=3600,
)
class PasswordResetLimitTests(BaseTestCase):
    """B5: twenty requests for one address send at most the limit's mails, and the page never tells."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user, address in ((cls.alice, "alice@alpha.go.th"), (cls.bob, "bob@alpha.go.th")):
            user.email = address
            user.save()

    def request_reset(self, email, client_address="192.0.2.10"):
        return self.client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=client_address)

    def test_twenty_requests_for_one_address_send_three_mails_and_answer_alike(self):
        for n in range(20):
            response = self.request_reset("Alice@alpha.go.th", client_address=f"192.0.2.{n + 1}")
            self.assertRedirects(response, reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 3)

    def test_one_client_is_limited_across_addresses(self):
        for n in range(7):
            self.request_reset("alice@alpha.go.th" if n % 2 else "bob@alpha.go.th")
        self.assertEqual(len(mail.outbox), 5)
        self.assertRedirects(self.request_reset("root@example.org"), reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 5)
        self.request_reset("root@example.org", client_address="192.0.2.99")
        self.assertEqual(len(mail.outbox), 6)

    def test_an_unknown_address_counts_too_and_gets_the_same_page(self):
        for _ in range(4):
            self.assertRedirects(self.request_reset("nobody@example.org"), reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 0)
        self.request_reset("alice@alpha.go.th")
        self.assertEqual(len(mail.outbox), 1)

    def test_the_window_ends(self):
        from django.core.cache import cache

        for _ in range(4):
            self.request_reset("alice@alpha.go.th")
        self.assertEqual(len(mail.outbox), 3)
        cache.clear()  # what the window's expiry does
        self.request_reset("alice@alpha.go.th")
        self.assertEqual(len(mail.outbox), 4)

    def test_counts_are_plain_integers_for_the_json_cache(self):
        from django.core.cache import cache

        from ita.accounts.resets import count_key

        self.request_reset("alice@alpha.go.th")
        self.assertEqual(cache.get(count_key("address", "alice@alpha.go.th")), 1)
