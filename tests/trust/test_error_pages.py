"""Error pages as production shows them (DEBUG off): Thai, in the site's layout, saying what to do next.

400, 403 and 404 come from real requests; 500 from a view added here that fails on purpose. A refused
form (CSRF failure) shows back what the user typed, escaped and read-only, never a password or token.
"""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.test import Client, override_settings
from django.urls import include, path, reverse

from tests.base import BaseTestCase


def fail_loudly(request):
    raise RuntimeError("a bug that reached the user")


def refuse_request(request):
    raise SuspiciousOperation("a request the site cannot act on")


urlpatterns = [
    path("test-errors/500/", fail_loudly),
    path("test-errors/400/", refuse_request),
    path("", include(settings.ROOT_URLCONF)),
]

LAYOUT = 'class="site-header"'
LOGOUT = "ออกจากระบบ"


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
class ErrorPageTests(BaseTestCase):
    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def assertThaiErrorPage(self, response, status: int, heading: str):
        self.assertEqual(response.status_code, status)
        page = response.content.decode()
        self.assertIn('<html lang="th">', page)
        self.assertIn(LAYOUT, page)
        self.assertIn(heading, page)
        self.assertIn("ทำอะไรต่อได้", page)  # every page says what to do next
        self.assertNotIn("Not Found", page)
        self.assertNotIn("Forbidden", page)
        self.assertNotIn("Server Error", page)
        self.assertNotIn("Bad Request", page)
        return page

    def test_404_for_a_missing_page(self):
        page = self.assertThaiErrorPage(self.client.get("/no-such-page/"), 404, "ไม่พบหน้าที่ต้องการ")
        self.assertIn(reverse("login"), page)

    def test_404_for_another_organisations_assessment_keeps_the_signed_in_menu(self):
        self.client.force_login(self.charlie)
        url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        page = self.assertThaiErrorPage(self.client.get(url), 404, "ไม่พบหน้าที่ต้องการ")
        self.assertIn(LOGOUT, page)
        self.assertIn(reverse("ita:home"), page)

    def test_403_for_an_executive_saving_scores(self):
        self.client.force_login(self.bob)
        url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        page = self.assertThaiErrorPage(self.client.post(url, {"version": "1"}), 403, "ไม่มีสิทธิ์")
        self.assertIn("ผู้ดูแลระบบของหน่วยงาน", page)
        self.assertIn(LOGOUT, page)

    def test_400_for_a_request_the_site_refuses(self):
        self.assertThaiErrorPage(self.client.get("/test-errors/400/"), 400, "ระบบอ่านคำขอนี้ไม่ได้")

    def test_400_for_an_unknown_host_needs_no_request(self):
        response = Client(raise_request_exception=False, HTTP_HOST="attacker.example").get("/")
        self.assertThaiErrorPage(response, 400, "ระบบอ่านคำขอนี้ไม่ได้")

    def test_500_page_is_thai_and_needs_no_request_context(self):
        self.client.force_login(self.alice)
        page = self.assertThaiErrorPage(self.client.get("/test-errors/500/"), 500, "ระบบขัดข้อง")
        self.assertNotIn("RuntimeError", page)
        self.assertNotIn("a bug that reached the user", page)
        self.assertIn('href="/"', page)


@override_settings(DEBUG=False)
class CsrfFailurePageTests(BaseTestCase):
    def setUp(self):
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    def test_a_refused_form_offers_back_the_text_but_never_the_password_or_token(self):
        response = self.client.post(
            reverse("login"),
            {
                "username": "alice",
                "password": "correct-horse-secret",
                "csrfmiddlewaretoken": "forged-token-value",
                "note": "<script>alert(1)</script> ข้อความยาวที่พิมพ์ไว้",
            },
        )
        self.assertEqual(response.status_code, 403)
        page = response.content.decode()
        self.assertIn("ส่งแบบฟอร์มไม่สำเร็จ", page)
        self.assertIn("ทำอะไรต่อได้", page)
        self.assertIn(LAYOUT, page)
        self.assertNotIn("CSRF verification failed", page)
        self.assertInHTML('<textarea id="recovered-1" readonly rows="2">alice</textarea>', page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; ข้อความยาวที่พิมพ์ไว้", page)
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertNotIn("correct-horse-secret", page)
        self.assertNotIn("forged-token-value", page)

    def test_a_signed_in_user_keeps_a_long_finding_text(self):
        self.client.force_login(self.alice)
        text = "ผลการวิเคราะห์ " * 100
        url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        response = self.client.post(
            url, {"official_overall": "๘๘.๕๐", "finding": text}, HTTP_REFERER=f"http://testserver{url}"
        )
        self.assertEqual(response.status_code, 403)
        page = response.content.decode()
        self.assertIn("๘๘.๕๐", page)
        self.assertIn(text.strip(), page)
        self.assertIn(f'href="http://testserver{url}"', page)  # back to the form's own page
        self.assertIn(LOGOUT, page)

    def test_a_foreign_referer_is_not_linked(self):
        response = self.client.post(reverse("login"), {"username": "x"}, HTTP_REFERER="https://evil.example/phish")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("evil.example", response.content.decode())

    def test_missing_cookie_is_explained(self):
        response = self.client.post(reverse("login"), {"username": "x"})
        self.assertIn("คุกกี้", response.content.decode())

    def test_an_empty_form_offers_nothing_to_copy(self):
        response = self.client.post(reverse("login"), {"username": "  "})
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("<textarea", response.content.decode())
