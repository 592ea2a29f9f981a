"""Binding approval on the pages: locked submitted plans, return reasons, confirmation pages, stale approvals."""

from django.test import Client

from measures.models import Measure, MeasurePlan
from tests.measures.views import PlanWebTestCase

S = MeasurePlan.Status


class ApprovalPageTestCase(PlanWebTestCase):
    def status(self, plan) -> str:
        return MeasurePlan.objects.get(pk=plan.pk).status

    def post(self, user, plan, action, data=None):
        self.client.force_login(user)
        return self.client.post(self.url("transition", plan.pk, action), data or {})


class SubmittedPageTests(ApprovalPageTestCase):
    def test_staff_see_no_edit_controls_and_edits_are_refused_with_a_message(self):
        plan = self.make_plan(status=S.SUBMITTED)
        measure = plan.measures.get()
        self.client.force_login(self.alice)
        page = self.client.get(self.url("detail", plan.pk))
        self.assertContains(page, "แก้ไขไม่ได้จนกว่าผู้บริหารจะอนุมัติหรือส่งกลับไปแก้ไข")
        self.assertNotContains(page, self.url("measure_add", plan.pk))
        self.assertNotContains(page, self.url("details", plan.pk))
        response = self.client.post(
            self.url("measure_edit", plan.pk, measure.pk), {"title": "แก้", "period_kind": "whole_year"}
        )
        self.assertRedirects(response, self.url("detail", plan.pk), fetch_redirect_response=False)
        messages = [str(m) for m in self.client.get(self.url("detail", plan.pk)).context["messages"]]
        self.assertEqual(messages, ["มาตรการฉบับนี้เสนอผู้บริหารแล้ว จึงแก้ไขไม่ได้จนกว่าผู้บริหารจะส่งกลับไปแก้ไข"])
        self.assertEqual(Measure.objects.get(pk=measure.pk).title, measure.title)

    def test_an_empty_plan_is_not_submitted_and_the_page_says_why(self):
        plan = self.make_plan()
        response = self.post(self.alice, plan, "submit")
        self.assertRedirects(response, self.url("detail", plan.pk), fetch_redirect_response=False)
        page = self.client.get(self.url("detail", plan.pk))
        self.assertContains(page, "ยังไม่มีมาตรการ/แนวทางแม้แต่รายการเดียว")
        self.assertEqual(self.status(plan), S.DRAFT)


class ReturnPageTests(ApprovalPageTestCase):
    def test_a_return_without_a_reason_is_refused_in_thai(self):
        plan = self.make_plan(status=S.SUBMITTED)
        for data in ({}, {"reason": "   "}):
            with self.subTest(data=data):
                response = self.post(self.bob, plan, "return", data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "โปรดระบุเหตุผลที่ส่งกลับไปแก้ไข", status_code=400)
                self.assertEqual(self.status(plan), S.SUBMITTED)

    def test_a_too_long_reason_is_refused_and_kept_in_the_box(self):
        plan = self.make_plan(status=S.SUBMITTED)
        response = self.post(self.bob, plan, "return", {"reason": "ก" * 2001})
        self.assertContains(response, "ไม่เกิน ๒,๐๐๐ ตัวอักษร", status_code=400)
        self.assertEqual(self.status(plan), S.SUBMITTED)

    def test_the_reason_shows_on_the_plan_and_every_cycle_stays_in_the_timeline(self):
        plan = self.make_plan(status=S.SUBMITTED)
        self.post(self.bob, plan, "return", {"reason": "ขอให้ระบุผู้รับผิดชอบ <b>ให้ชัด</b>"})
        self.assertEqual(self.status(plan), S.DRAFT)
        self.client.force_login(self.alice)
        page = self.client.get(self.url("detail", plan.pk))
        self.assertContains(page, "ผู้บริหารส่งกลับไปแก้ไข")
        self.assertContains(page, "ขอให้ระบุผู้รับผิดชอบ &lt;b&gt;ให้ชัด&lt;/b&gt;")
        self.post(self.alice, plan, "submit")
        self.post(self.bob, plan, "return", {"reason": "รอบที่สอง"})
        self.post(self.alice, plan, "submit")
        page = self.client.get(self.url("detail", plan.pk))
        steps = [(str(step["label"]), step["reason"]) for step in page.context["timeline"]]
        self.assertEqual(
            steps,
            [
                ("สร้างร่าง", ""),
                ("เสนอผู้บริหาร", ""),
                ("ส่งกลับไปแก้ไข", "ขอให้ระบุผู้รับผิดชอบ <b>ให้ชัด</b>"),
                ("เสนอผู้บริหาร", ""),
                ("ส่งกลับไปแก้ไข", "รอบที่สอง"),
                ("เสนอผู้บริหาร", ""),
            ],
        )
        self.assertContains(page, "เหตุผล: รอบที่สอง")
        # Submitted again: the plan no longer shows the last return as something to fix.
        self.assertNotContains(page, "ผู้บริหารส่งกลับไปแก้ไข")


class ConfirmationTests(ApprovalPageTestCase):
    def test_approve_goes_through_a_confirmation_page_that_works_without_javascript(self):
        plan = self.make_plan(status=S.SUBMITTED)
        self.client.force_login(self.bob)
        page = self.client.get(self.url("detail", plan.pk))
        confirm_url = self.url("confirm", plan.pk, "approve")
        self.assertContains(page, f'href="{confirm_url}"')
        self.assertNotContains(page, f'action="{self.url("transition", plan.pk, "approve")}"')
        confirm = self.client.get(confirm_url)
        self.assertContains(confirm, "ยืนยันการอนุมัติมาตรการ")
        self.assertContains(confirm, "มาตรการทดสอบที่ 1")
        self.assertContains(confirm, f'action="{self.url("transition", plan.pk, "approve")}"')
        self.assertContains(confirm, "csrfmiddlewaretoken")
        self.assertContains(confirm, f'name="lock_version" value="{plan.lock_version}"')
        self.assertEqual(self.status(plan), S.SUBMITTED)  # a GET never writes
        response = self.client.post(
            self.url("transition", plan.pk, "approve"),
            {"lock_version": confirm.context["form"].initial["lock_version"]},
        )
        self.assertRedirects(response, self.url("detail", plan.pk))
        self.assertEqual(self.status(plan), S.APPROVED)

    def test_the_confirmation_needs_the_csrf_token(self):
        plan = self.make_plan(status=S.SUBMITTED)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.bob)
        response = client.post(self.url("transition", plan.pk, "approve"), {"lock_version": plan.lock_version})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.status(plan), S.SUBMITTED)

    def test_a_post_without_the_version_goes_back_to_the_confirmation(self):
        plan = self.make_plan(status=S.APPROVED)
        for data in ({}, {"lock_version": "abc"}, {"lock_version": "-1"}, {"lock_version": "9" * 30}):
            with self.subTest(data=data):
                response = self.post(self.bob, plan, "publish", data)
                self.assertRedirects(response, self.url("confirm", plan.pk, "publish"))
        self.assertEqual(self.status(plan), S.APPROVED)

    def test_publish_confirmation_then_publish(self):
        plan = self.make_plan(status=S.APPROVED)
        self.client.force_login(self.bob)
        confirm = self.client.get(self.url("confirm", plan.pk, "publish"))
        self.assertContains(confirm, "ยืนยันการเผยแพร่มาตรการ")
        self.post(self.bob, plan, "publish", {"lock_version": plan.lock_version})
        self.assertEqual(self.status(plan), S.PUBLISHED)

    def test_the_confirmation_of_a_plan_in_another_state_is_a_message(self):
        plan = self.make_plan()
        self.client.force_login(self.bob)
        response = self.client.get(self.url("confirm", plan.pk, "approve"))
        self.assertRedirects(response, self.url("detail", plan.pk))
        self.assertEqual(self.client.get(self.url("confirm", plan.pk, "submit")).status_code, 404)

    def test_who_may_open_the_confirmation(self):
        plan = self.make_plan(status=S.SUBMITTED)
        for user, expected in ((self.alice, 403), (self.root, 403), (self.charlie, 404), (self.dora, 404)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url("confirm", plan.pk, "approve")).status_code, expected)


class StaleApprovalTests(ApprovalPageTestCase):
    def test_an_approval_of_a_version_changed_since_is_refused_and_shows_the_current_content(self):
        plan = self.make_plan(status=S.SUBMITTED)
        self.client.force_login(self.bob)
        seen = self.client.get(self.url("confirm", plan.pk, "approve")).context["form"].initial["lock_version"]
        # Meanwhile: returned, changed by staff and submitted again.
        MeasurePlan.objects.get(pk=plan.pk).return_to_draft(by=self.bob, reason="แก้ชื่อมาตรการ")
        Measure.objects.filter(plan=plan).update(title="ชื่อมาตรการฉบับล่าสุด")
        MeasurePlan.objects.get(pk=plan.pk).submit(by=self.alice)
        response = self.post(self.bob, plan, "approve", {"lock_version": seen})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "มาตรการฉบับนี้เปลี่ยนไปหลังจากที่คุณเปิดดู", status_code=409)
        self.assertContains(response, "ชื่อมาตรการฉบับล่าสุด", status_code=409)
        self.assertEqual(self.status(plan), S.SUBMITTED)


class AdminLockTests(ApprovalPageTestCase):
    def test_the_admin_shows_a_submitted_plan_read_only(self):
        plan = self.make_plan(status=S.SUBMITTED)
        self.client.force_login(self.root)
        url = f"/admin/measures/measureplan/{plan.pk}/change/"
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"meeting_body": "แก้ระหว่างรออนุมัติ"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(MeasurePlan.objects.get(pk=plan.pk).meeting_body, "")
