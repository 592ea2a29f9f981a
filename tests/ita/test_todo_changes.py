"""The auditor's home: what changed in each assigned organisation since they marked the changes seen."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ita import audit
from ita.models import Assessment, AuditEvent, AuditorAssignment, Membership
from ita.todo.changes import changes_for
from measures.models import MeasurePlan
from tests.base import BaseTestCase
from tests.factory import make_organization, make_user

UTC = datetime.UTC
ASSIGNED = datetime.datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2024, 1, day, hour, 0, tzinfo=UTC)


class ChangesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.audrey = make_user("audrey", role=Membership.Role.AUDITOR)
        cls.assignment = AuditorAssignment.objects.create(user=cls.audrey, organization=cls.alpha)
        AuditorAssignment.objects.filter(pk=cls.assignment.pk).update(assigned_at=ASSIGNED)
        cls.plan = MeasurePlan.objects.create(organization=cls.alpha, fiscal_year=2565, based_on=cls.alpha_2564)

    def event(self, obj, action: str, when: datetime.datetime, user=None) -> AuditEvent:
        return audit.record(action=action, obj=obj, summary="ทดสอบ", user=user or self.alice, at=when)

    def home(self):
        self.client.force_login(self.audrey)
        return self.client.get(reverse("ita:home"))

    def seen(self, until: str):
        self.client.force_login(self.audrey)
        return self.client.post(reverse("todo:changes_seen"), {"until": until})

    def mark(self):
        return AuditorAssignment.objects.get(pk=self.assignment.pk).changes_seen_at


class ChangesListTests(ChangesTestCase):
    def test_changes_after_the_assignment_are_counted_per_subject_and_action(self):
        self.event(self.alpha_2564, "update", ASSIGNED - datetime.timedelta(hours=1))  # before: not new
        self.event(self.alpha_2564, "update", at(2))
        self.event(self.alpha_2564, "update", at(3))
        self.event(self.alpha_2564, "import", at(4))
        self.event(self.plan, "submit", at(5))
        self.event(self.beta_2564, "update", at(5), user=self.charlie)  # not assigned
        page = self.home()
        self.assertContains(page, '<h2 id="changes-heading">การเปลี่ยนแปลงตั้งแต่ที่คุณรับทราบครั้งก่อน</h2>', html=True)
        plan_url = reverse("measures:detail", args=[self.plan.pk])
        assessment_url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        self.assertContains(page, f'<a href="{plan_url}">มาตรการปี ๒๕๖๕ ฉบับที่ ๑</a>', html=True)
        self.assertContains(page, "เสนอผู้บริหาร ๑ ครั้ง")
        self.assertContains(page, f'<a href="{assessment_url}">ผลการประเมินปี ๒๕๖๔</a>', html=True)
        self.assertContains(page, "แก้ไข ๒ ครั้ง, นำเข้า ๑ ครั้ง")
        self.assertContains(page, "๔ รายการ ตั้งแต่ ๑ มกราคม ๒๕๖๗")
        self.assertNotContains(page, "เบตา")
        # The newest subject first.
        content = page.content.decode()
        content = content[content.index('id="changes-heading"') :]
        self.assertLess(content.index(plan_url + '"'), content.index(assessment_url + '"'))

    def test_the_links_open_for_the_auditor_drafts_included(self):
        self.event(self.plan, "create", at(2))
        self.event(self.alpha_2564, "update", at(2))
        self.event(self.alpha, "update", at(2))
        [changes] = changes_for(self.audrey, [AuditorAssignment.objects.get(pk=self.assignment.pk)]).values()
        self.assertEqual(len(changes.subjects), 3)
        self.client.force_login(self.audrey)
        for subject in changes.subjects:
            with self.subTest(url=subject.url):
                self.assertEqual(self.client.get(subject.url).status_code, 200)

    def test_a_deleted_subject_is_named_by_its_kind_without_a_link(self):
        plan = MeasurePlan.objects.create(organization=self.alpha, fiscal_year=2566, based_on=self.alpha_2564)
        self.event(plan, "create", at(2))
        MeasurePlan.objects.filter(pk=plan.pk).delete()
        [changes] = changes_for(self.audrey, [self.assignment]).values()
        [subject] = changes.subjects
        self.assertEqual((subject.title, subject.url), ("มาตรการ (ลบแล้ว)", ""))

    def test_nothing_new_says_so_and_offers_no_button(self):
        page = self.home()
        self.assertContains(page, "ไม่มีการเปลี่ยนแปลงใหม่ในหน่วยงานที่คุณได้รับมอบหมาย")
        self.assertNotContains(page, reverse("todo:changes_seen"))

    def test_a_new_assignment_starts_from_its_own_moment(self):
        gamma = make_organization(name="เทศบาลตำบลแกมมา")
        gamma_assessment = Assessment.objects.create(organization=gamma, framework=self.framework, fiscal_year=2564)
        self.event(gamma_assessment, "update", at(2))
        later = AuditorAssignment.objects.create(user=self.audrey, organization=gamma)
        AuditorAssignment.objects.filter(pk=later.pk).update(assigned_at=at(3))
        self.event(gamma_assessment, "import", at(4))
        changes = changes_for(self.audrey, AuditorAssignment.objects.filter(user=self.audrey))
        self.assertEqual(changes[gamma.pk].count, 1)
        self.assertEqual(changes[gamma.pk].subjects[0].actions, ("นำเข้า ๑ ครั้ง",))

    def test_other_users_see_no_list_of_changes(self):
        self.event(self.alpha_2564, "update", at(2))
        for user in (self.alice, self.bob, self.root):
            self.client.force_login(user)
            self.assertNotContains(self.client.get(reverse("ita:home")), "changes-heading")


class SeenMarkTests(ChangesTestCase):
    def test_viewing_the_home_moves_nothing(self):
        self.event(self.alpha_2564, "update", at(2))
        self.home()
        self.home()
        self.assertIsNone(self.mark())
        self.assertContains(self.home(), "แก้ไข ๑ ครั้ง")

    def test_the_button_marks_what_was_shown_and_later_changes_stay_new(self):
        self.event(self.alpha_2564, "update", at(2))
        page = self.home()
        until = page.context["seen_form"]["until"].value()
        self.assertContains(page, f'value="{until}"')
        # A change recorded after the page was drawn, before the button was pressed.
        self.event(self.plan, "submit", timezone.now() + datetime.timedelta(seconds=1))
        response = self.seen(until)
        self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)
        self.assertEqual(self.mark(), datetime.datetime.fromisoformat(until))
        page = self.home()
        self.assertContains(page, "รับทราบการเปลี่ยนแปลงแล้ว")
        self.assertNotContains(page, "แก้ไข ๑ ครั้ง")
        self.assertContains(page, "เสนอผู้บริหาร ๑ ครั้ง")

    def test_the_mark_is_recorded_in_the_history_and_is_not_itself_a_change(self):
        self.event(self.alpha_2564, "update", at(2))
        self.seen(timezone.now().isoformat())
        event = AuditEvent.objects.get(action="seen")
        self.assertEqual((event.user, event.organization_id), (self.audrey, self.alpha.pk))
        self.assertEqual(event.object_type, "ita.auditorassignment")
        self.assertIn("changes_seen_at", event.changes)
        self.assertContains(self.home(), "ไม่มีการเปลี่ยนแปลงใหม่")

    def test_the_mark_never_goes_past_now_nor_back(self):
        self.seen((timezone.now() + datetime.timedelta(days=365)).isoformat())
        self.assertLessEqual(self.mark(), timezone.now())
        moved = self.mark()
        self.seen(at(5).isoformat())
        self.assertEqual(self.mark(), moved)

    def test_a_bad_moment_changes_nothing_and_says_so(self):
        for value in ("", "เมื่อวาน", "2024-13-45T99:00", "9" * 500):
            with self.subTest(value=value):
                response = self.seen(value)
                self.assertRedirects(response, reverse("ita:home"), fetch_redirect_response=False)
                self.assertIsNone(self.mark())
        self.assertContains(self.home(), "ไม่ได้บันทึก")

    def test_only_auditors_mark_and_only_their_own_assignments(self):
        other = make_user("otto", role=Membership.Role.AUDITOR)
        otto_assignment = AuditorAssignment.objects.create(user=other, organization=self.alpha)
        for user in (self.alice, self.bob, self.root):
            self.client.force_login(user)
            response = self.client.post(reverse("todo:changes_seen"), {"until": timezone.now().isoformat()})
            self.assertEqual(response.status_code, 403)
        self.seen(timezone.now().isoformat())
        self.assertIsNotNone(self.mark())
        self.assertIsNone(AuditorAssignment.objects.get(pk=otto_assignment.pk).changes_seen_at)
        self.assertEqual(self.client.get(reverse("todo:changes_seen")).status_code, 405)


class QueryCountTests(ChangesTestCase):
    def queries(self) -> int:
        self.client.force_login(self.audrey)
        with CaptureQueriesContext(connection) as captured:
            self.client.get(reverse("ita:home"))
        return len(captured.captured_queries)

    def test_one_and_ten_organisations_with_changes_cost_the_same(self):
        self.event(self.alpha_2564, "update", at(2))
        self.event(self.plan, "submit", at(2))
        self.event(self.alpha, "update", at(2))
        one = self.queries()
        for n in range(9):
            organization = make_organization()
            assessment = Assessment.objects.create(
                organization=organization, framework=self.framework, fiscal_year=2564
            )
            plan = MeasurePlan.objects.create(organization=organization, fiscal_year=2565, based_on=assessment)
            AuditorAssignment.objects.create(user=self.audrey, organization=organization)
            for day in range(2, 5):
                self.event(assessment, "update", timezone.now() + datetime.timedelta(seconds=n + day))
                self.event(plan, "approve", timezone.now() + datetime.timedelta(seconds=n + day))
                self.event(organization, "update", timezone.now() + datetime.timedelta(seconds=n + day))
        self.assertEqual(self.queries(), one)
