"""The administrators' page that assigns auditors to organisations by searching names (ita.accounts.auditors)."""

from urllib.parse import urlencode

from django.urls import reverse

from ita.models import AuditEvent, AuditorAssignment, Membership
from tests.base import BaseTestCase
from tests.factory import make_organization, make_user

PAGE = reverse("auditor_assignments")
ADD = reverse("auditor_assignment_add")


class AuditorAssignmentPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.audrey = make_user("audrey", role=Membership.Role.AUDITOR, first_name="ออเดรย์", last_name="ตรวจดี")
        cls.otto = make_user("otto", role=Membership.Role.AUDITOR)
        cls.gamma = make_organization(code="GAMMA", name="เทศบาลเมืองแกมมา", province="ชลบุรี")

    def setUp(self):
        self.client.force_login(self.root)

    def test_only_administrators_open_the_page(self):
        for user in (self.alice, self.bob, self.audrey):
            self.client.force_login(user)
            self.assertEqual(self.client.get(PAGE).status_code, 403)
            response = self.client.post(ADD, {"user": self.audrey.pk, "organization": self.alpha.pk})
            self.assertEqual(response.status_code, 403)
        self.assertFalse(AuditorAssignment.objects.exists())

    def test_search_narrows_the_choices_by_organisation_name_or_code(self):
        response = self.client.get(PAGE, {"q": "แกมมา"})
        organizations = list(response.context["form"].fields["organization"].queryset)
        self.assertEqual(organizations, [self.gamma])
        # No auditor's name matches: every auditor stays on offer.
        self.assertEqual(set(response.context["form"].fields["user"].queryset), {self.audrey, self.otto})
        by_code = self.client.get(PAGE, {"q": "beta"})
        self.assertEqual(list(by_code.context["form"].fields["organization"].queryset), [self.beta])

    def test_search_finds_auditors_by_their_names_and_never_offers_other_roles(self):
        response = self.client.get(PAGE, {"q": "ตรวจดี"})
        self.assertEqual(list(response.context["form"].fields["user"].queryset), [self.audrey])
        everyone = self.client.get(PAGE)
        self.assertNotIn(self.alice, everyone.context["form"].fields["user"].queryset)
        self.assertContains(everyone, "ออเดรย์ ตรวจดี (audrey)")

    def test_adding_an_assignment_is_audited_and_shown(self):
        response = self.client.post(ADD, {"user": self.audrey.pk, "organization": self.gamma.pk, "q": "แกมมา"})
        self.assertRedirects(response, f"{PAGE}?{urlencode({'q': 'แกมมา'})}")
        assignment = AuditorAssignment.objects.get()
        self.assertEqual((assignment.user, assignment.organization), (self.audrey, self.gamma))
        event = AuditEvent.objects.get(object_type="ita.auditorassignment", action="create")
        self.assertEqual((event.user, event.organization_id), (self.root, self.gamma.pk))
        self.assertIn("audrey", event.summary)
        page = self.client.get(PAGE)
        self.assertContains(page, "เทศบาลเมืองแกมมา")
        self.assertContains(page, reverse("auditor_assignment_remove", args=[assignment.pk]))

    def test_the_assigned_auditor_then_reads_the_organisation(self):
        self.client.post(ADD, {"user": self.audrey.pk, "organization": self.gamma.pk})
        self.client.force_login(self.audrey)
        home = self.client.get(reverse("ita:home"))
        self.assertContains(home, reverse("emblems:organization", args=["GAMMA"]))
        self.assertEqual(self.client.get(reverse("emblems:organization", args=["GAMMA"])).status_code, 200)

    def test_adding_twice_keeps_one_assignment_and_one_event(self):
        for _ in range(2):
            self.client.post(ADD, {"user": self.audrey.pk, "organization": self.gamma.pk})
        self.assertEqual(AuditorAssignment.objects.count(), 1)
        self.assertEqual(AuditEvent.objects.filter(object_type="ita.auditorassignment").count(), 1)

    def test_a_user_who_is_not_an_auditor_or_a_bad_id_is_refused_in_thai(self):
        response = self.client.post(ADD, {"user": self.alice.pk, "organization": self.gamma.pk})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ไม่พบผู้ตรวจสอบที่เลือก", status_code=400)
        for data in ({"user": "x", "organization": "๑"}, {"user": "", "organization": ""}, {}):
            self.assertEqual(self.client.post(ADD, data).status_code, 400)
        self.assertFalse(AuditorAssignment.objects.exists())

    def test_removing_is_audited(self):
        assignment = AuditorAssignment.objects.create(user=self.otto, organization=self.beta)
        response = self.client.post(reverse("auditor_assignment_remove", args=[assignment.pk]))
        self.assertRedirects(response, PAGE)
        self.assertFalse(AuditorAssignment.objects.exists())
        event = AuditEvent.objects.get(object_type="ita.auditorassignment", action="delete")
        self.assertEqual((event.object_id, event.organization_id, event.user), (assignment.pk, self.beta.pk, self.root))
        self.assertEqual(self.client.post(reverse("auditor_assignment_remove", args=[assignment.pk])).status_code, 404)

    def test_long_or_hostile_search_text_is_bounded_and_escaped(self):
        response = self.client.get(PAGE, {"q": "<script>" + "ก" * 500})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>ก")
        self.assertEqual(len(response.context["query"]), 100)

    def test_the_administrators_home_links_to_the_page(self):
        self.assertContains(self.client.get(reverse("ita:home")), PAGE)
