"""Creating a plan, its transitions and permissions, frozen plans, versions, regeneration and follow-up."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from ita.models import Assessment, Membership
from measures.models import (
    Finding,
    Measure,
    MeasurePlan,
    PlanError,
    PlanFrozen,
    PlanPermissionDenied,
    PlanStateError,
    Progress,
    StaleEdit,
)
from measures.plans import create_plan, regenerate_findings, suggest_measures
from tests.factory import make_user

from . import SeedTestCase

D = Decimal


class PlanTestCase(SeedTestCase):
    def setUp(self):
        self.plan = create_plan(organization=self.maesai, fiscal_year=2567, by=self.alice)

    def _approved(self) -> MeasurePlan:
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        return self.plan


class CreatePlanTests(PlanTestCase):
    def test_draft_from_the_previous_year_with_findings(self):
        plan = self.plan
        self.assertEqual(plan.status, MeasurePlan.Status.DRAFT)
        self.assertEqual(plan.based_on, Assessment.objects.get(organization=self.maesai, fiscal_year=2566))
        self.assertEqual((plan.version, plan.threshold, plan.created_by), (1, D("85.00"), self.alice))
        kinds = list(plan.findings.values_list("key", "kind"))
        self.assertEqual(kinds[0], ("summary", "summary"))
        weaknesses = [key for key, kind in kinds if kind == Finding.Kind.WEAKNESS]
        self.assertEqual(weaknesses, ["indicator:7", "indicator:2", "indicator:4", "indicator:8"])

    def test_suggested_measures_answer_the_weaknesses(self):
        measures = [(m.library.key, m.answers, m.order) for m in self.plan.measures.select_related("library")]
        self.assertEqual(
            measures,
            [
                ("asset-manual", ["i20", "i23", "4"], 0),
                ("e-service", ["e13", "8"], 1),  # 2568 e9 ↔ 2567 e13 ↔ 2566 e13 through the crosswalk
                ("budget-briefing", ["i7", "2"], 2),
            ],
        )
        self.assertEqual(self.plan.measures.get(library__key="asset-manual").period_display(), "ม.ค. – มี.ค. ๖๗")
        self.assertEqual(suggest_measures(plan=self.plan), [])  # all already added

    def test_no_previous_assessment_is_a_thai_error(self):
        with self.assertRaisesMessage(PlanError, "ยังไม่มีผลการประเมินปีงบประมาณ ๒๕๖๙ ของเทศบาลตำบลหนองเล็ง"):
            create_plan(organization=self.orgs["nonglaeng"], fiscal_year=2570)

    def test_a_second_plan_for_the_same_year_is_refused(self):
        with self.assertRaisesMessage(PlanError, "มีมาตรการปีงบประมาณ ๒๕๖๗ อยู่แล้ว"):
            create_plan(organization=self.maesai, fiscal_year=2567)


class TransitionTests(PlanTestCase):
    def test_staff_submits_executive_approves_then_publishes(self):
        self.plan.submit(by=self.alice)
        self.assertEqual((self.plan.status, self.plan.submitted_by), ("submitted", self.alice))
        self.plan.approve(by=self.bob)
        self.assertEqual((self.plan.status, self.plan.approved_by), ("approved", self.bob))
        self.plan.publish(by=self.bob)
        self.assertEqual((self.plan.status, self.plan.published_by), ("published", self.bob))
        self.assertIsNotNone(self.plan.submitted_at and self.plan.approved_at and self.plan.published_at)
        self.assertTrue(self.plan.is_frozen)

    def test_only_staff_of_the_organisation_submit(self):
        for user in (self.charlie, self.bob, self.dave):
            with self.subTest(user=user.username), self.assertRaises(PlanPermissionDenied):
                self.plan.submit(by=user)
        self.assertEqual(MeasurePlan.objects.get(pk=self.plan.pk).status, "draft")

    def test_nobody_but_an_executive_of_the_organisation_approves(self):
        self.plan.submit(by=self.alice)
        root = User.objects.create_superuser("root", "root@example.org", "password")
        for user in (self.alice, self.charlie, self.dave, root):
            with self.subTest(user=user.username), self.assertRaises(PlanPermissionDenied):
                self.plan.approve(by=user)
        self.assertEqual(MeasurePlan.objects.get(pk=self.plan.pk).status, "submitted")

    def test_transitions_out_of_order_are_refused(self):
        with self.assertRaisesMessage(PlanStateError, "อยู่ในสถานะ ร่าง"):
            self.plan.approve(by=self.bob)
        self.plan.submit(by=self.alice)
        with self.assertRaises(PlanStateError):
            self.plan.publish(by=self.bob)
        with self.assertRaises(PlanStateError):
            self.plan.submit(by=self.alice)

    def test_staff_cannot_publish(self):
        self._approved()
        with self.assertRaises(PlanPermissionDenied):
            self.plan.publish(by=self.alice)

    def test_executive_can_send_a_submitted_plan_back(self):
        self.plan.submit(by=self.alice)
        self.plan.return_to_draft(by=self.bob, reason="ขอให้ระบุผู้รับผิดชอบ")
        self.assertEqual((self.plan.status, self.plan.return_reason), ("draft", "ขอให้ระบุผู้รับผิดชอบ"))


class FrozenTests(PlanTestCase):
    def test_approved_and_published_plans_refuse_edits(self):
        self._approved()
        for status in ("approved", "published"):
            if status == "published":
                self.plan.publish(by=self.bob)
            with self.subTest(status=status):
                self.plan.meeting_body = "สภา"
                with self.assertRaises(PlanFrozen):
                    self.plan.save()
                measure = self.plan.measures.first()
                measure.title = "แก้"
                with self.assertRaises(PlanFrozen):
                    measure.save()
                with self.assertRaises(PlanFrozen):
                    Measure.objects.create(plan=self.plan, title="ใหม่")
                with self.assertRaises(PlanFrozen):
                    self.plan.findings.first().save()
                with self.assertRaises(PlanFrozen):
                    regenerate_findings(plan=self.plan)
                self.assertFalse(self.plan.editable_by(self.alice))
                with self.assertRaises(PlanPermissionDenied):
                    self.plan.findings.first().edit("ข้อความ", by=self.alice)

    def test_follow_up_is_recorded_on_a_published_plan(self):
        self._approved()
        self.plan.publish(by=self.bob)
        measure = self.plan.measures.first()
        Progress.objects.create(measure=measure, date=datetime.date(2024, 3, 31), status="done", percent=100)
        self.assertEqual(measure.progress.get().get_status_display(), "ดำเนินการแล้ว")

    def test_new_version_keeps_the_old_one(self):
        self._approved()
        measure = self.plan.measures.first()
        Progress.objects.create(measure=measure, date=datetime.date(2024, 1, 15), percent=40, note="เริ่มแล้ว")
        with self.assertRaises(PlanPermissionDenied):
            self.plan.new_version(by=self.charlie)
        new = self.plan.new_version(by=self.alice)
        self.assertEqual((new.version, new.status, new.supersedes), (2, "draft", self.plan))
        self.assertEqual(MeasurePlan.objects.get(pk=self.plan.pk).status, "approved")
        self.assertEqual(new.measures.count(), self.plan.measures.count())
        self.assertEqual(new.findings.count(), self.plan.findings.count())
        self.assertEqual(new.measures.first().progress.get().note, "เริ่มแล้ว")
        self.assertEqual(self.plan.measures.first().progress.count(), 1)
        with self.assertRaises(PlanStateError):
            self.plan.new_version(by=self.alice)
        self.assertEqual(list(MeasurePlan.objects.latest_versions()), [new])

    def test_a_draft_has_no_new_version(self):
        with self.assertRaises(PlanStateError):
            self.plan.new_version(by=self.alice)


class LostUpdateTests(PlanTestCase):
    def test_second_save_from_a_stale_copy_is_refused(self):
        first, second = MeasurePlan.objects.get(pk=self.plan.pk), MeasurePlan.objects.get(pk=self.plan.pk)
        first.meeting_body = "คณะผู้บริหาร"
        first.save()
        second.meeting_body = "สภาเทศบาล"
        with self.assertRaises(StaleEdit):
            second.save()
        self.assertEqual(MeasurePlan.objects.get(pk=self.plan.pk).meeting_body, "คณะผู้บริหาร")

    def test_update_details_checks_the_version_read(self):
        version = self.plan.lock_version
        self.plan.update_details(by=self.alice, lock_version=version, office="สำนักปลัด", office_phone="053-000000")
        self.assertEqual(self.plan.office, "สำนักปลัด")
        with self.assertRaises(StaleEdit):
            self.plan.update_details(by=self.alice, lock_version=version, office="กองคลัง")
        with self.assertRaises(PlanPermissionDenied):
            self.plan.update_details(by=self.bob, lock_version=self.plan.lock_version, office="กองคลัง")


class RegenerateTests(SeedTestCase):
    def setUp(self):
        self.org = self.orgs["khuansaothong"]
        self.staff = make_user("kst", organization=self.org, role=Membership.Role.STAFF)
        self.plan = create_plan(organization=self.org, fiscal_year=2569, by=self.staff, suggest=False)
        self.assessment = self.plan.based_on

    def _set(self, **scores):
        self.assessment.set_scores({("item", k): D(v) for k, v in scores.items()}, user=None, source="command")

    def _finding(self, key):
        return self.plan.findings.get(key=key)

    def test_items_become_findings_in_order(self):
        keys = list(self.plan.findings.filter(kind="item").values_list("key", flat=True))
        self.assertEqual(keys, ["item:o27", "item:e9", "item:e8", "item:e1", "item:e2", "item:e7"])

    def test_regenerate_keeps_edited_texts_and_reports_changes(self):
        self._finding("item:e9").edit("ข้อความของเจ้าหน้าที่", by=self.staff)
        self._set(e9="70", e1="90", e3="80")
        changes = {(c.key, c.change, c.edited) for c in regenerate_findings(plan=self.plan)}
        self.assertEqual(
            changes, {("item:e9", "changed", True), ("item:e1", "removed", False), ("item:e3", "added", False)}
        )
        e9 = self._finding("item:e9")
        self.assertEqual((e9.text, e9.edited, e9.score), ("ข้อความของเจ้าหน้าที่", True, D("70.00")))
        self.assertFalse(self.plan.findings.filter(key="item:e1").exists())
        self.assertEqual(regenerate_findings(plan=self.plan), [])  # nothing changed since

    def test_an_edited_finding_the_scores_no_longer_produce_is_kept_but_not_current(self):
        self._finding("item:e2").edit("แก้แล้ว", by=self.staff)
        self._set(e2="95")
        changes = [(c.key, c.change, c.edited) for c in regenerate_findings(plan=self.plan)]
        self.assertEqual(changes, [("item:e2", "removed", True)])
        self.assertFalse(self._finding("item:e2").current)

    def test_discard_edits_restores_generated_texts(self):
        self._finding("item:e9").edit("ข้อความของเจ้าหน้าที่", by=self.staff)
        self._finding("item:e2").edit("แก้แล้ว", by=self.staff)
        self._set(e2="95")
        regenerate_findings(plan=self.plan, discard_edits=True)
        e9 = self._finding("item:e9")
        self.assertEqual((e9.text, e9.edited), (e9.generated_text, False))
        self.assertTrue(e9.text.startswith("ข้อ E9 ประเด็น"))
        self.assertFalse(self.plan.findings.filter(key="item:e2").exists())

    def test_a_weakness_turning_into_a_strength_keeps_its_edited_text(self):
        self.plan.update_details(by=self.staff, lock_version=self.plan.lock_version, threshold=D("95"))
        regenerate_findings(plan=self.plan)
        finding = self._finding("indicator:7")
        self.assertEqual(finding.kind, "weakness")
        finding.edit("จุดอ่อนที่เขียนเอง", by=self.staff)
        self.plan.update_details(by=self.staff, lock_version=self.plan.lock_version, threshold=D("85"))
        changes = [(c.key, c.change, c.edited) for c in regenerate_findings(plan=self.plan)]
        self.assertIn(("indicator:7", "changed", True), changes)
        finding.refresh_from_db()
        self.assertEqual((finding.kind, finding.text), ("strength", "จุดอ่อนที่เขียนเอง"))


class ProgressAndAccessTests(PlanTestCase):
    def test_percent_is_limited_to_0_100_by_the_database(self):
        measure = self.plan.measures.first()
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Progress.objects.create(measure=measure, date=datetime.date(2024, 1, 1), percent=101)
        Progress.objects.create(measure=measure, date=datetime.date(2024, 1, 1), percent=100)

    def test_a_month_range_needs_both_months_in_the_database(self):
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Measure.objects.create(plan=self.plan, title="x", period_kind="months", start_month=1)
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Measure.objects.create(plan=self.plan, title="x", period_kind="months", start_month=13, end_month=13)

    def test_for_user(self):
        auditor = make_user("audit", role=Membership.Role.AUDITOR)
        self.assertEqual(list(MeasurePlan.objects.for_user(self.alice)), [self.plan])
        self.assertEqual(list(MeasurePlan.objects.for_user(self.bob)), [self.plan])
        self.assertEqual(list(MeasurePlan.objects.for_user(self.charlie)), [])
        self.assertEqual(list(MeasurePlan.objects.for_user(auditor)), [])
        self._approved()
        self.plan.publish(by=self.bob)
        self.assertEqual(list(MeasurePlan.objects.for_user(auditor)), [self.plan])
