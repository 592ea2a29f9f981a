"""Workflow buttons: each transition by POST, who may press it, frozen plans, new versions."""

from django.contrib.messages import get_messages

from measures.models import Measure, MeasurePlan
from tests.measures.views import PlanWebTestCase

S = MeasurePlan.Status


class TransitionTests(PlanWebTestCase):
    def post(self, user, plan, action):
        """Approve and publish carry the version on screen; a return carries its reason."""
        self.client.force_login(user)
        data = {"lock_version": MeasurePlan.objects.get(pk=plan.pk).lock_version, "reason": "ขอให้แก้ไขระยะเวลา"}
        return self.client.post(self.url("transition", plan.pk, action), data)

    def status(self, plan) -> str:
        return MeasurePlan.objects.get(pk=plan.pk).status

    def test_the_whole_path_records_who_and_when(self):
        plan = self.make_plan()
        self.add_measures(plan, 1)
        self.assertRedirects(self.post(self.alice, plan, "submit"), self.url("detail", plan.pk))
        self.assertEqual(self.status(plan), S.SUBMITTED)
        self.post(self.bob, plan, "approve")
        self.assertEqual(self.status(plan), S.APPROVED)
        self.post(self.bob, plan, "publish")
        plan.refresh_from_db()
        self.assertEqual(
            (plan.status, plan.submitted_by, plan.approved_by, plan.published_by),
            (S.PUBLISHED, self.alice, self.bob, self.bob),
        )
        response = self.client.get(self.url("detail", plan.pk))
        timeline = [step["label"] for step in response.context["timeline"]]
        self.assertEqual(timeline, ["สร้างร่าง", "เสนอผู้บริหาร", "อนุมัติ", "เผยแพร่"])
        self.assertContains(response, "โดย bob")

    def test_executive_returns_a_submitted_plan_to_draft(self):
        plan = self.make_plan(status=S.SUBMITTED)
        self.client.force_login(self.bob)
        page = self.client.get(self.url("detail", plan.pk))
        self.assertContains(page, "อนุมัติมาตรการ")
        self.assertContains(page, "ส่งกลับไปแก้ไข")
        self.post(self.bob, plan, "return")
        self.assertEqual(self.status(plan), S.DRAFT)

    def test_wrong_roles_get_403_and_nothing_moves(self):
        plan = self.make_plan()
        self.add_measures(plan, 1)
        self.assertEqual(self.post(self.bob, plan, "submit").status_code, 403)
        self.assertEqual(self.post(self.root, plan, "submit").status_code, 403)
        self.post(self.alice, plan, "submit")
        self.assertEqual(self.post(self.alice, plan, "approve").status_code, 403)
        self.assertEqual(self.post(self.root, plan, "approve").status_code, 403)
        self.assertEqual(self.status(plan), S.SUBMITTED)

    def test_other_organisation_and_auditor_get_404(self):
        plan = self.make_plan(status=S.SUBMITTED)
        self.assertEqual(self.post(self.charlie, plan, "approve").status_code, 404)
        self.assertEqual(self.post(self.dora, plan, "approve").status_code, 404)
        self.assertEqual(self.status(plan), S.SUBMITTED)

    def test_a_transition_from_the_wrong_status_is_a_message(self):
        plan = self.make_plan()
        response = self.post(self.bob, plan, "approve")
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(self.url("detail", plan.pk)), "จึงเปลี่ยนเป็น")
        self.assertEqual(self.status(plan), S.DRAFT)

    def test_unknown_action_is_404_and_get_is_405(self):
        plan = self.make_plan()
        self.assertEqual(self.post(self.alice, plan, "delete").status_code, 404)
        self.assertEqual(self.client.get(self.url("transition", plan.pk, "submit")).status_code, 405)

    def test_admin_publishes_an_approved_plan(self):
        plan = self.make_plan(status=S.APPROVED)
        self.post(self.root, plan, "publish")
        self.assertEqual(self.status(plan), S.PUBLISHED)


class FrozenTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan(status=S.APPROVED)
        self.client.force_login(self.alice)

    def assert_refused(self, response):
        self.assertRedirects(response, self.url("detail", self.plan.pk))
        page = self.client.get(self.url("detail", self.plan.pk))
        self.assertContains(page, "แก้ไขไม่ได้")

    def test_page_has_no_edit_controls(self):
        response = self.client.get(self.url("detail", self.plan.pk))
        self.assertFalse(response.context["can_edit"])
        self.assertNotContains(response, self.url("measure_add", self.plan.pk))
        self.assertNotContains(response, "แก้ไขข้อความ")
        self.assertContains(response, "สร้างฉบับแก้ไข")

    def test_every_edit_post_is_refused_with_a_message(self):
        finding = self.plan.findings.first()
        measures = self.plan.measures.count()
        posts = [
            (
                self.url("details", self.plan.pk),
                {"lock_version": self.plan.lock_version, "threshold": "90", "grouping": "theme"},
            ),
            (self.url("finding_edit", self.plan.pk, finding.pk), {"text": "แก้หลังอนุมัติ"}),
            (self.url("regenerate", self.plan.pk), {}),
            (self.url("measure_add", self.plan.pk), {"title": "ใหม่", "period_kind": "whole_year"}),
            (self.url("library_add", self.plan.pk, self.assets.pk), {}),
        ]
        for url, data in posts:
            with self.subTest(url=url):
                self.assert_refused(self.client.post(url, data))
        self.plan.refresh_from_db()
        self.assertEqual((self.plan.threshold, self.plan.grouping), (85, "indicator"))
        self.assertFalse(self.plan.findings.filter(edited=True).exists())
        self.assertEqual(self.plan.measures.count(), measures)

    def test_measure_posts_on_a_frozen_plan_are_refused(self):
        MeasurePlan.objects.filter(pk=self.plan.pk).update(status=S.DRAFT)
        measure = Measure.objects.create(plan=self.plan, title="เดิม")
        MeasurePlan.objects.filter(pk=self.plan.pk).update(status=S.PUBLISHED)
        for url, data in [
            (self.url("measure_edit", self.plan.pk, measure.pk), {"title": "แก้", "period_kind": "whole_year"}),
            (self.url("measure_move", self.plan.pk, measure.pk), {"direction": "down"}),
            (self.url("measure_delete", self.plan.pk, measure.pk), {}),
        ]:
            with self.subTest(url=url):
                self.assert_refused(self.client.post(url, data))
        measure.refresh_from_db()
        self.assertEqual(measure.title, "เดิม")

    def test_the_refusal_names_the_status_once(self):
        for status, label in [(S.APPROVED, "อนุมัติแล้ว"), (S.PUBLISHED, "เผยแพร่แล้ว")]:
            MeasurePlan.objects.filter(pk=self.plan.pk).update(status=status)
            with self.subTest(status=status):
                response = self.client.post(self.url("measure_add", self.plan.pk), {"title": "ใหม่"})
                texts = [str(message) for message in get_messages(response.wsgi_request)]
                self.assertEqual(texts[-1], f"มาตรการฉบับนี้อยู่ในสถานะ “{label}” จึงแก้ไขไม่ได้")
                self.assertFalse(any("แล้วแล้ว" in text for text in texts), texts)


class NewVersionTests(PlanWebTestCase):
    def test_staff_creates_a_new_version_linked_both_ways(self):
        old = self.make_plan(status=S.PUBLISHED)
        self.client.force_login(self.alice)
        response = self.client.post(self.url("new_version", old.pk))
        new = MeasurePlan.objects.get(supersedes=old)
        self.assertRedirects(response, self.url("detail", new.pk))
        self.assertEqual((new.version, new.status), (2, S.DRAFT))
        self.assertContains(self.client.get(self.url("detail", new.pk)), self.url("detail", old.pk))
        old_page = self.client.get(self.url("detail", old.pk))
        self.assertContains(old_page, "ฉบับนี้มีฉบับแก้ไขแล้ว")
        self.assertFalse(old_page.context["can_new_version"])
        self.assertEqual(MeasurePlan.objects.get(pk=old.pk).status, S.PUBLISHED)

    def test_only_one_new_version_and_not_from_a_draft(self):
        old = self.make_plan(status=S.APPROVED)
        self.client.force_login(self.alice)
        self.client.post(self.url("new_version", old.pk))
        response = self.client.post(self.url("new_version", old.pk), follow=True)
        self.assertContains(response, "มีฉบับแก้ไขอยู่แล้ว")
        draft = MeasurePlan.objects.get(supersedes=old)
        response = self.client.post(self.url("new_version", draft.pk), follow=True)
        self.assertContains(response, "แก้ไขฉบับร่างได้โดยตรง")
        self.assertEqual(MeasurePlan.objects.count(), 2)

    def test_executive_cannot_create_a_version(self):
        old = self.make_plan(status=S.APPROVED)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.url("new_version", old.pk)).status_code, 403)
