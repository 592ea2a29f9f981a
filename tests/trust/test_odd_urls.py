"""B3: odd paths and query values answer 400/404 before any query; organisation codes in URLs.

PostgreSQL refuses a NUL in a text value with an error: before the guard (ita.web.guards), a NUL
that reached a lookup was a 500 there, while SQLite quietly found nothing. These tests hold on both.
"""

from urllib.parse import quote

from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from ita.models import Organization
from ita.web.converters import OrganizationCodeConverter
from tests.base import BaseTestCase

REFUSED_HEADING = "ระบบอ่านคำขอนี้ไม่ได้"


def store_old_code(organization: Organization, code: str) -> None:
    """Give a row a code the rule forbids, as a database migrated with offenders may hold (ita 0011)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rolled back with the test's transaction, as the constraint's NOT VALID form would leave it.
            cursor.execute("ALTER TABLE ita_organization DROP CONSTRAINT organization_code_charset")
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        Organization.objects.filter(pk=organization.pk).update(code=code)
    finally:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    organization.refresh_from_db()


@override_settings(DEBUG=False)
class GuardTests(BaseTestCase):
    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def assertRefused(self, path: str, user=None):
        if user is not None:
            self.client.force_login(user)
        with self.assertNumQueries(0), self.assertLogs("django.security.UnsafeRequest", "ERROR"):
            response = self.client.get(path)
        self.assertEqual(response.status_code, 400, path)
        self.assertContains(response, REFUSED_HEADING, status_code=400)

    def test_a_nul_in_the_path_is_400_without_a_query(self):
        self.assertRefused("/public/organizations/%00/")
        self.assertRefused("/organizations/ALPHA%00/trend/", user=self.alice)

    def test_a_nul_in_a_query_value_or_key_is_400(self):
        self.assertRefused("/?q=%00")
        self.assertRefused("/?q=%00", user=self.root)  # the administrators' search
        self.assertRefused("/public/?q=%E0%B8%AD%00")
        self.assertRefused("/public/?%00=1")

    def test_other_control_characters_are_400(self):
        for character in ("%01", "%1B", "%7F", "%C2%85"):
            with self.subTest(character=character):
                self.assertRefused(f"/public/?q=a{character}")
                self.assertRefused(f"/public/organizations/A{character}/")

    def test_tabs_and_line_breaks_in_a_search_are_accepted(self):
        response = self.client.get("/public/?q=%09%E0%B8%AD%E0%B8%B1%E0%B8%A5%E0%B8%9F%E0%B8%B2%0D%0A")
        self.assertEqual(response.status_code, 200)

    @override_settings(QUERY_VALUE_MAX_LENGTH=50, REQUEST_PATH_MAX_LENGTH=60)
    def test_long_query_values_and_paths_are_400_at_the_set_limits(self):
        self.assertEqual(self.client.get("/public/?q=" + "ก" * 50).status_code, 200)
        self.assertRefused("/public/?q=" + "ก" * 51)
        self.assertRefused("/public/?page=1&q=" + "a" * 51)
        self.assertEqual(self.client.get("/public/organizations/" + "A" * 32 + "/").status_code, 404)
        self.assertRefused("/public/organizations/" + "A" * 40 + "/")

    def test_the_default_limits_leave_ordinary_requests_alone(self):
        self.client.force_login(self.root)
        self.assertEqual(self.client.get("/?q=" + "ก" * 100 + "&page=2").status_code, 200)


class OrganisationCodeUrlTests(BaseTestCase):
    def test_codes_outside_the_character_set_do_not_match_a_page(self):
        for segment in ("A%2FB", "A%20B", "%E0%B8%81", "~zz", "~0", "A" * 33):
            with self.subTest(segment=segment), self.assertNumQueries(0):
                self.assertEqual(self.client.get(f"/public/organizations/{segment}/").status_code, 404)

    def test_an_encoded_control_character_is_404_without_a_query(self):
        with self.assertNumQueries(0):
            self.assertEqual(self.client.get("/public/organizations/~00/").status_code, 404)
            self.assertEqual(self.client.get("/public/organizations/~c0/").status_code, 404)  # not UTF-8

    def test_a_plain_code_is_its_own_url(self):
        self.assertEqual(reverse("portal:organization", args=["ALPHA"]), "/public/organizations/ALPHA/")
        self.assertEqual(self.client.get("/public/organizations/ALPHA/").status_code, 200)

    def test_the_converter_round_trips_old_codes(self):
        converter = OrganizationCodeConverter()
        for code in ("A/B", "รหัส 1", "x.y", "ABC-1_2"):
            with self.subTest(code=code):
                self.assertEqual(converter.to_python(converter.to_url(code)), code)
        self.assertEqual(converter.to_url("A/B"), "~412f42")

    def test_an_old_code_with_a_slash_keeps_the_portal_and_its_own_pages_working(self):
        store_old_code(self.alpha, "A/B")
        found = self.client.get("/public/?q=" + quote("อัลฟา"))
        self.assertEqual(found.status_code, 200)
        self.assertContains(found, 'href="/public/organizations/~412f42/"')
        self.assertContains(self.client.get("/public/organizations/~412f42/"), "เทศบาลตำบลอัลฟา")
        self.client.force_login(self.alice)
        home = self.client.get(reverse("ita:home"))
        self.assertContains(home, 'href="/organizations/~412f42/trend/"')
        self.assertEqual(self.client.get("/organizations/~412f42/trend/").status_code, 200)
        self.assertEqual(self.client.get("/organizations/~412f42/").status_code, 200)
