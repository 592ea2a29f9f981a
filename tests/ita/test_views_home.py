from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ita.models import Assessment, AuditorAssignment, Membership
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework, make_organization, make_user


class HomeAccessTests(BaseTestCase):
    def test_login_required(self):
        response = self.client.get(reverse("ita:home"))
        self.assertRedirects(response, f"{reverse('login')}?next=/", fetch_redirect_response=False)

    def test_staff_sees_own_organisation_years_only(self):
        make_assessment(self.beta, self.framework, fiscal_year=2563)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, "เทศบาลตำบลอัลฟา")
        self.assertContains(response, "๒๕๖๔")
        self.assertContains(response, reverse("ita:assessment_detail", args=[self.alpha_2564.pk]))
        self.assertNotContains(response, reverse("ita:assessment_detail", args=[self.beta_2564.pk]))
        self.assertNotContains(response, "๒๕๖๓")
        self.assertNotContains(response, "เบตา")

    def test_computed_and_official_results_are_listed(self):
        Assessment.objects.filter(pk=self.alpha_2564.pk).update(
            overall="90.5", level="ผ่านดี", provisional=True, official_overall="88.00", official_level="ผ่าน"
        )
        self.client.force_login(self.alice)
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, "๙๐.๕๐")
        self.assertContains(response, "เบื้องต้น")
        self.assertContains(response, "๘๘.๐๐")
        self.assertContains(response, "ไม่ตรงกับผลคำนวณ")

    def test_executive_sees_years_but_no_add_form(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, "๒๕๖๔")
        self.assertNotContains(response, reverse("ita:assessment_add"))

    def test_user_without_membership_gets_a_friendly_message(self):
        self.client.force_login(make_user("nobody"))
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, "ยังไม่ได้ผูกกับหน่วยงาน")

    def test_superuser_lists_organisations_with_latest_assessment(self):
        latest = make_assessment(self.alpha, make_framework(2565))
        self.client.force_login(self.root)
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, "เทศบาลตำบลอัลฟา")
        self.assertContains(response, "องค์การบริหารส่วนตำบลเบตา")
        self.assertContains(response, reverse("ita:assessment_detail", args=[latest.pk]))
        self.assertNotContains(response, reverse("ita:assessment_detail", args=[self.alpha_2564.pk]))
        self.assertContains(response, reverse("admin:index"))

    def test_superuser_filters_by_name_or_code(self):
        self.client.force_login(self.root)
        by_name = self.client.get(reverse("ita:home"), {"q": "เบตา"})
        self.assertContains(by_name, "องค์การบริหารส่วนตำบลเบตา")
        self.assertNotContains(by_name, "เทศบาลตำบลอัลฟา")
        by_code = self.client.get(reverse("ita:home"), {"q": "alpha"})
        self.assertContains(by_code, "เทศบาลตำบลอัลฟา")
        self.assertNotContains(by_code, "องค์การบริหารส่วนตำบลเบตา")

    def test_superuser_list_is_paginated(self):
        for _ in range(55):
            make_organization()
        self.client.force_login(self.root)
        first = self.client.get(reverse("ita:home"))
        self.assertEqual(len(first.context["rows"]), 50)
        second = self.client.get(reverse("ita:home"), {"page": 2})
        self.assertEqual(len(second.context["rows"]), 7)
        self.assertContains(second, "หน้า ๒ จาก ๒")


class AddYearTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework_2565 = make_framework(2565)

    def test_staff_adds_a_year_for_their_own_organisation_whatever_the_post_says(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("ita:assessment_add"),
            {"fiscal_year": "2565", "organization": self.beta.pk, "organization_id": self.beta.pk},
        )
        created = Assessment.objects.get(organization=self.alpha, fiscal_year=2565)
        self.assertRedirects(
            response, reverse("ita:assessment_detail", args=[created.pk]), fetch_redirect_response=False
        )
        self.assertEqual(created.framework, self.framework_2565)
        self.assertEqual(created.updated_by, self.alice)
        self.assertFalse(Assessment.objects.filter(organization=self.beta, fiscal_year=2565).exists())

    def test_form_offers_only_missing_framework_years(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, '<option value="2565">ปีงบประมาณ พ.ศ. ๒๕๖๕</option>', html=True)
        self.assertNotContains(response, '<option value="2564">')

    def test_existing_or_unknown_years_are_refused(self):
        self.client.force_login(self.alice)
        for year in ("2564", "2570", "abc"):
            response = self.client.post(reverse("ita:assessment_add"), {"fiscal_year": year})
            self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)
        self.assertEqual(Assessment.objects.filter(organization=self.alpha).count(), 1)

    def test_executive_and_superuser_without_organisation_cannot_add(self):
        for user in (self.bob, self.root):
            self.client.force_login(user)
            response = self.client.post(reverse("ita:assessment_add"), {"fiscal_year": "2565"})
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Assessment.objects.filter(fiscal_year=2565).exists())

    def test_get_is_not_allowed_and_anonymous_is_sent_to_login(self):
        response = self.client.post(reverse("ita:assessment_add"), {"fiscal_year": "2565"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("ita:assessment_add")).status_code, 405)

    def test_csrf_is_enforced(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post(reverse("ita:assessment_add"), {"fiscal_year": "2565"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Assessment.objects.filter(fiscal_year=2565).exists())


class HomeQueryCountTests(BaseTestCase):
    def _queries(self, user) -> int:
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse("ita:home"))
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def test_staff_home_costs_the_same_for_3_and_30_years(self):
        for year in range(2500, 2502):  # with alpha_2564: 3 assessments
            make_assessment(self.alpha, self.framework, fiscal_year=year)
        baseline = self._queries(self.alice)
        for year in range(2502, 2529):  # 30 assessments
            make_assessment(self.alpha, self.framework, fiscal_year=year)
        self.assertEqual(Assessment.objects.filter(organization=self.alpha).count(), 30)
        with self.assertNumQueries(baseline):
            response = self.client.get(reverse("ita:home"))
        self.assertEqual(len(response.context["rows"]), 30)

    def test_superuser_home_costs_the_same_for_3_and_30_organisations(self):
        make_assessment(make_organization(), self.framework)  # with Alpha and Beta: 3
        baseline = self._queries(self.root)
        for _ in range(27):
            org = make_organization()
            make_assessment(org, self.framework)
            make_assessment(org, self.framework, fiscal_year=2563)
        with self.assertNumQueries(baseline):
            response = self.client.get(reverse("ita:home"))
        self.assertEqual(len(response.context["rows"]), 30)
        self.assertTrue(all(row["year"] == "๒๕๖๔" for row in response.context["rows"]))


class RoleLabelTests(BaseTestCase):
    def test_role_is_shown(self):
        auditor = make_user("audrey", organization=self.alpha, role=Membership.Role.AUDITOR)
        self.client.force_login(auditor)
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, "ผู้ตรวจสอบ")
        self.assertNotContains(response, reverse("ita:assessment_add"))


class LoginLogoutTests(BaseTestCase):
    def test_login_page_is_thai_and_labels_every_input(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, '<html lang="th">')
        self.assertContains(response, '<label for="id_username">ชื่อผู้ใช้</label>', html=True)
        self.assertContains(response, '<label for="id_password">รหัสผ่าน</label>', html=True)
        self.assertContains(response, 'href="#main"')  # skip link

    def test_login_then_logout_by_post(self):
        response = self.client.post(reverse("login"), {"username": "alice", "password": "password"})
        self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)
        page = self.client.get(reverse("ita:home"))
        self.assertContains(page, f'<form method="post" action="{reverse("logout")}"')
        self.assertContains(page, "ออกจากระบบ")
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("ita:home")).status_code, 302)

    def test_wrong_password_shows_an_error(self):
        response = self.client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="error-summary"')


class AuditorHomeTests(BaseTestCase):
    def test_assigned_auditor_sees_their_organisations_as_links(self):
        auditor = make_user("audrey", role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=auditor, organization=self.alpha)
        self.client.force_login(auditor)
        response = self.client.get(reverse("ita:home"))
        self.assertNotContains(response, "ยังไม่ได้ผูกกับหน่วยงาน")
        self.assertContains(response, "หน่วยงานที่ได้รับมอบหมายให้ตรวจสอบ")
        self.assertContains(response, reverse("emblems:organization", args=[self.alpha.code]))
        self.assertContains(response, reverse("ita:assessment_detail", args=[self.alpha_2564.pk]))
        self.assertNotContains(response, "เบตา")
        self.assertNotContains(response, reverse("ita:assessment_detail", args=[self.beta_2564.pk]))

    def test_unassigned_auditor_is_told_to_ask_for_an_assignment(self):
        self.client.force_login(make_user("audrey", role=Membership.Role.AUDITOR))
        response = self.client.get(reverse("ita:home"))
        self.assertContains(response, "ยังไม่มีหน่วยงานที่มอบหมายให้คุณตรวจสอบ")
        self.assertNotContains(response, "อัลฟา")
