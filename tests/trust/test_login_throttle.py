"""A4: login throttling (django-axes) per (username, client address), never per address alone; lockouts in the admin."""

import datetime

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from ita.accounts.throttle import client_address
from tests.base import BaseTestCase

OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.7"
LOCKED_TEXT = "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป"
WRONG_TEXT = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


# A fast hasher: these tests log in dozens of times, and the production hasher is slow on purpose.
@override_settings(
    AXES_FAILURE_LIMIT=5,
    AXES_COOLOFF_TIME=datetime.timedelta(minutes=15),
    LOGIN_THROTTLE_LOCKOUT=900,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class LoginThrottleTests(BaseTestCase):
    def login(self, username="alice", password="password", address=OFFICE, **headers):  # noqa: S107
        return self.client.post(
            reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
        )

    def fail(self, times, username="alice", address=OFFICE):
        for _ in range(times):
            response = self.login(username, "wrong-password", address)
        return response

    def test_a_wrong_password_says_so_in_thai(self):
        response = self.login(password="nope")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, WRONG_TEXT)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_four_failures_still_allow_the_right_password(self):
        self.fail(4)
        response = self.login()
        self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.pk))

    def test_fifth_failure_locks_the_pair_even_against_the_right_password(self):
        response = self.fail(5)
        self.assertContains(response, LOCKED_TEXT, status_code=429)
        self.assertContains(response, "๑๕ นาที", status_code=429)
        response = self.login()
        self.assertContains(response, LOCKED_TEXT, status_code=429)
        # The login page comes back with the username kept, so the user sees which account waits.
        self.assertContains(response, 'value="alice"', status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_colleague_at_the_same_office_address_is_not_blocked(self):
        self.fail(5, username="alice")
        response = self.login(username="bob")
        self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.bob.pk))

    def test_the_same_username_from_another_address_is_not_blocked(self):
        self.fail(5, address=OFFICE)
        response = self.login(address=ELSEWHERE)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.pk))
        self.assertEqual(response.status_code, 302)

    def test_success_resets_the_count(self):
        self.fail(4)
        self.login()
        self.client.logout()
        response = self.fail(4)
        self.assertNotContains(response, LOCKED_TEXT)
        self.assertEqual(response.status_code, 200)
        self.login()
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.pk))

    def test_username_case_does_not_buy_more_guesses(self):
        for name in ("alice", "Alice", "ALICE", "aLiCe", "alicE"):
            response = self.login(name, "wrong-password")
        self.assertContains(response, LOCKED_TEXT, status_code=429)
        self.assertContains(self.login(), LOCKED_TEXT, status_code=429)

    def test_unknown_usernames_are_throttled_the_same_way(self):
        response = self.fail(5, username="nobody")
        self.assertContains(response, LOCKED_TEXT, status_code=429)

    def test_the_lock_ends_after_the_lockout(self):
        self.fail(5)
        self.assertContains(self.login(), LOCKED_TEXT, status_code=429)
        # Age the recorded failures as time would, without sleeping in a test.
        AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
        self.login()
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.pk))

    def test_the_admin_login_obeys_the_same_lock(self):
        self.fail(5, username="root")
        response = self.client.post(
            reverse("admin:login"), {"username": "root", "password": "password"}, REMOTE_ADDR=OFFICE
        )
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_failures_without_a_trusted_proxy_count_against_the_real_address(self):
        # A client inventing X-Forwarded-For headers must not get a fresh address per guess.
        for n in range(5):
            self.login("alice", "wrong-password", OFFICE, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        self.assertContains(self.login(address=OFFICE), LOCKED_TEXT, status_code=429)

    def test_the_admin_lists_the_lock_in_thai_and_lifts_it(self):
        self.fail(5)
        root = User.objects.create_superuser("overseer", "overseer@example.org", "password")
        admin = self.client_class()
        admin.force_login(root)
        page = admin.get(reverse("admin:ita_loginlockout_changelist"), {"locked": "yes"})
        self.assertContains(page, "การเข้าสู่ระบบไม่สำเร็จและการล็อกบัญชี")
        self.assertContains(page, "alice")
        self.assertContains(page, OFFICE)
        self.assertContains(page, "ล็อกอยู่ถึง")
        attempt = AccessAttempt.objects.get(username="alice")
        lifted = admin.post(
            reverse("admin:ita_loginlockout_changelist"),
            {"action": "lift", "_selected_action": [attempt.pk]},
            follow=True,
        )
        self.assertContains(lifted, "ปลดล็อกแล้ว ๑ รายการ")
        response = self.login()
        self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)

    def test_a_colleague_is_not_listed_as_locked(self):
        self.fail(2, username="bob")
        root = User.objects.create_superuser("overseer", "overseer@example.org", "password")
        admin = self.client_class()
        admin.force_login(root)
        page = admin.get(reverse("admin:ita_loginlockout_changelist"), {"locked": "yes"})
        self.assertNotContains(page, "bob")
        page = admin.get(reverse("admin:ita_loginlockout_changelist"), {"locked": "no"})
        self.assertContains(page, "bob")
        self.assertContains(page, "ไม่ได้ล็อก")


class ClientAddressTests(SimpleTestCase):
    def request(self, remote="192.0.2.1", forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    def test_without_trusted_proxies_remote_addr_is_used(self):
        self.assertEqual(client_address(self.request(forwarded="203.0.113.5")), "192.0.2.1")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_one_trusted_proxy_means_the_last_hop(self):
        # The proxy appended what it saw; the first entry was written by the client and is ignored.
        request = self.request(remote="10.0.0.2", forwarded="6.6.6.6, 203.0.113.5")
        self.assertEqual(client_address(request), "203.0.113.5")

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_two_trusted_proxies_skip_the_inner_one(self):
        request = self.request(remote="10.0.0.2", forwarded="6.6.6.6, 203.0.113.5, 10.0.0.9")
        self.assertEqual(client_address(request), "203.0.113.5")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_garbage_or_missing_header_falls_back_to_remote_addr(self):
        self.assertEqual(client_address(self.request(forwarded="not-an-ip")), "192.0.2.1")
        self.assertEqual(client_address(self.request()), "192.0.2.1")

    def test_ipv6_is_normalised(self):
        self.assertEqual(client_address(self.request(remote="2001:DB8:0:0::1")), "2001:db8::1")

    def test_missing_remote_addr_is_no_address(self):
        # Stored as NULL in axes' IP column ("unknown" made PostgreSQL refuse the query on every login).
        self.assertIsNone(client_address(self.request(remote="")))
