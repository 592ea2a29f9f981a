"""Binding approval in the model: a submitted plan is locked, a return needs a reason, approval names its version."""

from ita.models import AuditEvent
from measures.models import Measure, MeasurePlan, PlanFrozen, PlanStateError, StaleEdit
from measures.plans import save_measure
from tests.measures.views import PlanWebTestCase

S = MeasurePlan.Status


class SubmittedPlanIsLockedTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.measure = self.add_measures(self.plan, 1)[0]
        self.plan.submit(by=self.alice)

    def test_staff_cannot_change_a_submitted_plan(self):
        self.assertFalse(self.plan.editable_by(self.alice))
        self.assertFalse(self.plan.editable_by(self.root))
        self.measure.title = "แก้ระหว่างรออนุมัติ"
        with self.assertRaisesMessage(PlanFrozen, "เสนอผู้บริหารแล้ว"):
            save_measure(measure=self.measure, by=self.alice)
        with self.assertRaises(PlanFrozen):
            self.plan.update_details(by=self.alice, lock_version=self.plan.lock_version, meeting_body="สภา")
        with self.assertRaises(PlanFrozen):
            Measure.objects.create(plan=self.plan, title="เพิ่มระหว่างรออนุมัติ")
        self.assertEqual(Measure.objects.get(pk=self.measure.pk).title, "มาตรการทดสอบที่ 1")

    def test_a_return_unlocks_it_again(self):
        self.plan.return_to_draft(by=self.bob, reason="ขอให้เพิ่มขั้นตอน")
        self.assertTrue(self.plan.editable_by(self.alice))
        self.measure.title = "แก้ตามที่ผู้บริหารขอ"
        save_measure(measure=self.measure, by=self.alice)
        self.assertEqual(Measure.objects.get(pk=self.measure.pk).title, "แก้ตามที่ผู้บริหารขอ")


class ReturnReasonTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan(status=S.SUBMITTED)

    def test_a_reason_is_required(self):
        for reason in ("", "   \n "):
            with self.subTest(reason=reason), self.assertRaisesMessage(PlanStateError, "โปรดระบุเหตุผล"):
                self.plan.return_to_draft(by=self.bob, reason=reason)
        self.assertEqual(MeasurePlan.objects.get(pk=self.plan.pk).status, S.SUBMITTED)

    def test_a_reason_longer_than_the_limit_is_refused(self):
        with self.assertRaisesMessage(PlanStateError, "ไม่เกิน ๒,๐๐๐"):
            self.plan.return_to_draft(by=self.bob, reason="ก" * 2001)
        self.assertEqual(MeasurePlan.objects.get(pk=self.plan.pk).status, S.SUBMITTED)

    def test_the_reason_is_stored_with_who_and_when_and_in_the_history(self):
        self.plan.return_to_draft(by=self.bob, reason="  ระยะเวลาไม่ครบ  ")
        self.plan.refresh_from_db()
        self.assertEqual(
            (self.plan.status, self.plan.return_reason, self.plan.returned_by), (S.DRAFT, "ระยะเวลาไม่ครบ", self.bob)
        )
        self.assertIsNotNone(self.plan.returned_at)
        event = self.plan_events("return")[0]
        self.assertEqual(event.changes["return_reason"]["new"], "ระยะเวลาไม่ครบ")

    def test_the_same_reason_twice_is_recorded_twice(self):
        for _round in range(2):
            self.plan.return_to_draft(by=self.bob, reason="เหตุผลเดิม")
            self.plan.submit(by=self.alice)
        reasons = [e.changes["return_reason"]["new"] for e in self.plan_events("return")]
        self.assertEqual(reasons, ["เหตุผลเดิม", "เหตุผลเดิม"])

    def plan_events(self, action):
        return list(
            AuditEvent.objects.filter(
                object_type="measures.measureplan", object_id=self.plan.pk, action=action
            ).order_by("at", "pk")
        )


class EmptyPlanTests(PlanWebTestCase):
    def test_a_plan_without_measures_cannot_be_submitted(self):
        plan = self.make_plan()
        with self.assertRaisesMessage(PlanStateError, "ยังไม่มีมาตรการ"):
            plan.submit(by=self.alice)
        self.assertEqual(MeasurePlan.objects.get(pk=plan.pk).status, S.DRAFT)
        self.add_measures(plan, 1)
        plan.submit(by=self.alice)
        self.assertEqual(plan.status, S.SUBMITTED)

    def test_an_empty_submitted_plan_from_before_cannot_be_approved(self):
        plan = self.make_plan()
        MeasurePlan.objects.filter(pk=plan.pk).update(status=S.SUBMITTED)
        plan.refresh_from_db()
        with self.assertRaisesMessage(PlanStateError, "อนุมัติมาตรการฉบับนี้ไม่ได้ เพราะยังไม่มีมาตรการ"):
            plan.approve(by=self.bob)


class ApprovalVersionTests(PlanWebTestCase):
    def test_approving_a_version_other_than_the_stored_one_is_refused(self):
        plan = self.make_plan(status=S.SUBMITTED)
        seen = plan.lock_version
        # Between the executive's page load and the click: returned, edited and submitted again.
        plan.return_to_draft(by=self.bob, reason="แก้ชื่อมาตรการ")
        Measure.objects.filter(plan=plan).update(title="ข้อความที่ผู้บริหารยังไม่เห็น")
        plan.submit(by=self.alice)
        stale = MeasurePlan.objects.get(pk=plan.pk)
        with self.assertRaisesMessage(StaleEdit, "เปลี่ยนไปหลังจากที่คุณเปิดดู"):
            stale.approve(by=self.bob, lock_version=seen)
        self.assertEqual(MeasurePlan.objects.get(pk=plan.pk).status, S.SUBMITTED)
        stale.approve(by=self.bob, lock_version=stale.lock_version)
        self.assertEqual(MeasurePlan.objects.get(pk=plan.pk).status, S.APPROVED)

    def test_publishing_a_stale_version_is_refused(self):
        plan = self.make_plan(status=S.APPROVED)
        with self.assertRaises(StaleEdit):
            plan.publish(by=self.bob, lock_version=plan.lock_version - 1)
        self.assertEqual(MeasurePlan.objects.get(pk=plan.pk).status, S.APPROVED)
        plan.publish(by=self.bob, lock_version=plan.lock_version)
        self.assertEqual(MeasurePlan.objects.get(pk=plan.pk).status, S.PUBLISHED)
