"""A4: login throttling per (username, client address), never per address alone."""

from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from ita.accounts.throttle import client_address
from tests.base import BaseTestCase

OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.7"
LOCKED_TEXT = "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป"
WRONG_TEXT = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


# A fast hasher: these tests log in dozens of times, and the production hasher is slow on purpose.
@override_settings(
    LOGIN_THROTTLE_LIMIT=5,
    LOGIN_THROTTLE_WINDOW=900,
    LOGIN_THROTTLE_LOCKOUT=900,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class LoginThrottleTests(BaseTestCase):
    def setUp(self):
        cache.clear()

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
        self.assertContains(response, LOCKED_TEXT)
        self.assertContains(response, "๑๕ นาที")
        response = self.login()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, LOCKED_TEXT)
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
        self.login()
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.pk))

    def test_username_case_does_not_buy_more_guesses(self):
        for name in ("alice", "Alice", "ALICE", "aLiCe", "alicE"):
            response = self.login(name, "wrong-password")
        self.assertContains(response, LOCKED_TEXT)
        self.assertContains(self.login(), LOCKED_TEXT)

    def test_unknown_usernames_are_throttled_the_same_way(self):
        response = self.fail(5, username="nobody")
        self.assertContains(response, LOCKED_TEXT)

    def test_the_lock_ends_after_the_lockout(self):
        with override_settings(LOGIN_THROTTLE_LOCKOUT=1):
            self.fail(5)
        self.assertContains(self.login(), LOCKED_TEXT)
        # Expire the cache entries as time would, without sleeping in a test.
        cache.clear()
        self.login()
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.pk))

    def test_the_admin_login_obeys_the_same_lock(self):
        self.fail(5, username="root")
        response = self.client.post(
            reverse("admin:login"), {"username": "root", "password": "password"}, REMOTE_ADDR=OFFICE
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_failures_without_a_trusted_proxy_count_against_the_real_address(self):
        # A client inventing X-Forwarded-For headers must not get a fresh address per guess.
        for n in range(5):
            self.login("alice", "wrong-password", OFFICE, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        self.assertContains(self.login(address=OFFICE), LOCKED_TEXT)


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

    def test_missing_remote_addr_is_one_shared_unknown_bucket(self):
        self.assertEqual(client_address(self.request(remote="")), "unknown")
