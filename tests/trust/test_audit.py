"""A6: every write path records who, when, from where and old → new; history tabs are scoped and paged."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.test import SimpleTestCase
from django.urls import reverse

from ita import audit
from ita.models import Assessment, AuditEvent, Score, Source
from ita.thai import NO_VALUE
from measures.models import Measure, MeasurePlan, Progress
from measures.plans import delete_measure, move_measure, save_measure
from measures.progress import add_progress
from reports.models import PublishedVersion
from reports.publishing import publish_plan
from tests.factory import make_framework
from tests.measures.views import PlanWebTestCase
from tests.measures.views.test_measures import measure_data


class RecorderUnitTests(SimpleTestCase):
    def test_values_keep_their_exact_form(self):
        self.assertEqual(audit.json_value(Decimal("85.50")), "85.50")
        self.assertEqual(audit.json_value(datetime.date(2024, 10, 1)), "2024-10-01")
        self.assertEqual(audit.json_value([Decimal("1.0"), None]), ["1.0", None])
        self.assertEqual(audit.json_value({"a": Decimal("2")}), {"a": "2"})

    def test_diff_keeps_only_what_changed(self):
        changes = audit.diff({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None}, labels={"b": "ข้อความ"})
        self.assertEqual(changes, {"b": {"label": "ข้อความ", "old": "x", "new": "y"}})

    def test_score_changes_name_the_score_in_thai(self):
        changes = audit.score_changes(
            {("item", "o27"): Decimal("80.00")},
            {("item", "o27"): Decimal("90.00"), ("indicator", "7"): Decimal("70.00"), ("tool", "IIT"): None},
        )
        self.assertEqual(changes["item:o27"], {"label": "ข้อ O27", "old": "80.00", "new": "90.00"})
        self.assertEqual(changes["indicator:7"]["label"], "ตัวชี้วัดที่ ๗")
        self.assertNotIn("tool:IIT", changes)  # nothing stored, nothing asked: no change


class AuditTestCase(PlanWebTestCase):
    def events(self, **filters) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(**filters).order_by("pk"))

    def last(self, **filters) -> AuditEvent:
        return AuditEvent.objects.filter(**filters).latest("pk")


class AssessmentWritePathTests(AuditTestCase):
    def test_a_score_form_save_records_every_value_old_to_new(self):
        Score.objects.filter(assessment=self.alpha_2564, kind="indicator", code="1").update(value=Decimal("90"))
        self.client.force_login(self.alice)
        version = Assessment.objects.get(pk=self.alpha_2564.pk).version
        url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        response = self.client.post(url, {"version": version, "indicator_1": "๘๘.๙๕", "official_overall": "91"})
        self.assertEqual(response.status_code, 302)
        event = self.last(object_type="ita.assessment")
        self.assertEqual((event.user, event.source, event.action), (self.alice, Source.FORM, "update"))
        self.assertEqual((event.subject_type, event.subject_id), ("assessment", self.alpha_2564.pk))
        self.assertEqual(event.organization_id, self.alpha.pk)
        self.assertEqual(event.changes["indicator:1"]["old"], "90.00")
        self.assertEqual(event.changes["indicator:1"]["new"], "88.95")
        self.assertEqual(event.changes["official_overall"], {"label": "คะแนนรวม (ทางการ)", "old": None, "new": "91.00"})
        # Values the form left blank were deleted: they are in the history as old → nothing.
        self.assertEqual(event.changes["indicator:2"]["new"], None)

    def test_an_unchanged_save_records_nothing(self):
        url = reverse("ita:assessment_detail", args=[self.beta_2564.pk])
        stored = {f"indicator_{n}": "90" for n in range(1, 11)}
        self.client.force_login(self.charlie)
        for _ in range(2):  # the first save grades (overall and level change); the second changes nothing
            version = Assessment.objects.get(pk=self.beta_2564.pk).version
            before = AuditEvent.objects.count()
            self.client.post(url, {"version": version, **stored})
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_adding_a_year_is_recorded(self):
        make_framework(2563)
        self.client.force_login(self.alice)
        self.client.post(reverse("ita:assessment_add"), {"fiscal_year": "2563"})
        created = Assessment.objects.get(organization=self.alpha, fiscal_year=2563)
        event = self.last(object_type="ita.assessment", action="create")
        self.assertEqual((event.object_id, event.user, event.source), (created.pk, self.alice, Source.FORM))


class PlanWritePathTests(AuditTestCase):
    def test_details_and_every_transition_name_who_and_old_new(self):
        plan = self.make_plan()
        plan.update_details(by=self.alice, lock_version=plan.lock_version, approver_name="นายก")
        event = self.last(action="update", object_type="measures.measureplan")
        self.assertEqual(event.changes["approver_name"], {"label": "ชื่อผู้อนุมัติ", "old": "", "new": "นายก"})
        Measure.objects.create(plan=plan, title="มาตรการที่ต้องมีก่อนเสนอ")
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        plan.publish(by=self.bob)
        steps = self.events(subject_type="plan", subject_id=plan.pk, action__in=["submit", "approve", "publish"])
        self.assertEqual(
            [(e.action, e.user) for e in steps], [("submit", self.alice), ("approve", self.bob), ("publish", self.bob)]
        )
        self.assertEqual(steps[-1].changes["status"]["old"], "approved")
        self.assertEqual(steps[-1].changes["status"]["new"], "published")

    def test_creating_a_plan_and_a_new_version(self):
        plan = self.make_plan(status=MeasurePlan.Status.APPROVED)
        self.assertTrue(AuditEvent.objects.filter(subject_type="plan", subject_id=plan.pk, action="create").exists())
        newer = plan.new_version(by=self.alice)
        self.assertTrue(AuditEvent.objects.filter(subject_id=plan.pk, action="new_version", user=self.alice).exists())
        self.assertTrue(AuditEvent.objects.filter(subject_id=newer.pk, action="create").exists())

    def test_measures_create_edit_reorder_delete(self):
        plan = self.make_plan()
        first = save_measure(measure=Measure(plan=plan, title="ข้อหนึ่ง"), by=self.alice)
        second = save_measure(measure=Measure(plan=plan, title="ข้อสอง"), by=self.alice)
        self.assertEqual(self.last(object_id=first.pk, action="create").changes["title"]["new"], "ข้อหนึ่ง")
        second.title = "ข้อสอง (แก้ไข)"
        save_measure(measure=second, by=self.alice, fingerprint=Measure.objects.get(pk=second.pk).fingerprint())
        edit = self.last(object_id=second.pk, action="update")
        self.assertEqual((edit.changes["title"]["old"], edit.changes["title"]["new"]), ("ข้อสอง", "ข้อสอง (แก้ไข)"))
        move_measure(measure=second, by=self.alice, step=-1)
        moved = self.last(action="reorder")
        self.assertEqual((moved.changes["order"]["old"], moved.changes["order"]["new"]), (2, 1))
        first_pk = first.pk
        delete_measure(measure=first, by=self.alice)
        deleted = self.last(action="delete", object_type="measures.measure")
        self.assertEqual((deleted.object_id, deleted.changes["title"]["old"]), (first_pk, "ข้อหนึ่ง"))
        self.assertTrue(all(e.subject_id == plan.pk for e in self.events(object_type="measures.measure")))

    def test_a_measure_edited_on_the_page_is_recorded_with_the_user(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        self.client.post(reverse("measures:measure_add", args=[plan.pk]), measure_data())
        event = self.last(object_type="measures.measure")
        self.assertEqual((event.user, event.source, event.action), (self.alice, Source.FORM, "create"))
        self.assertEqual(event.changes["item_codes"]["new"], ["i7", "o5"])

    def test_progress_entries(self):
        plan = self.make_plan()
        measure = Measure.objects.create(plan=plan, title="มาตรการติดตามผล")
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        measure.plan = plan
        entry = add_progress(measure=measure, by=self.alice, date=datetime.date(2022, 1, 10), percent=40)
        event = self.last(object_type="measures.progress")
        self.assertEqual((event.object_id, event.subject_id, event.user), (entry.pk, plan.pk, self.alice))
        self.assertEqual(event.changes["percent"]["new"], 40)

    def test_a_finding_edit_keeps_the_old_text(self):
        plan = self.make_plan()
        finding = plan.findings.first()
        old = finding.text
        finding.edit("ข้อความใหม่", by=self.alice)
        event = self.last(object_type="measures.finding")
        self.assertEqual((event.changes["text"]["old"], event.changes["text"]["new"]), (old, "ข้อความใหม่"))


class AdminWritePathTests(AuditTestCase):
    def test_an_admin_edit_records_old_and_new(self):
        self.client.force_login(self.root)
        url = reverse("admin:ita_organization_change", args=[self.alpha.pk])
        data = {"code": "ALPHA", "name": "เทศบาลตำบลอัลฟาใหม่", "org_type": self.alpha.org_type, "province": "บึงกาฬ"}
        data |= {"district": self.alpha.district, "phone": "", "website": ""}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        event = self.last(object_type="ita.organization")
        self.assertEqual((event.source, event.user, event.action), (Source.ADMIN, self.root, "update"))
        self.assertEqual(
            event.changes, {"name": {"label": "ชื่อหน่วยงาน", "old": "เทศบาลตำบลอัลฟา", "new": "เทศบาลตำบลอัลฟาใหม่"}}
        )

    def test_the_admin_history_list_names_actions_and_objects_in_thai(self):
        plan = self.make_plan(status=MeasurePlan.Status.SUBMITTED)
        self.client.force_login(self.root)
        url = reverse("admin:ita_auditevent_changelist")
        response = self.client.get(url)
        shown = response.context["cl"].model_admin
        rows = {(shown.action_shown(e), shown.object_shown(e)) for e in self.events(subject_id=plan.pk)}
        self.assertIn(("เสนอผู้บริหาร", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"), rows)
        self.assertContains(response, '<td class="field-action_shown">เสนอผู้บริหาร</td>')
        self.assertNotContains(response, '<td class="field-action_shown">submit</td>')
        self.assertNotContains(response, '<td class="field-object_shown">measures.measureplan</td>')
        filtered = self.client.get(url, {"action": "submit", "object_type": "measures.measureplan"})
        self.assertEqual([e.action for e in filtered.context["cl"].result_list], ["submit"])
        self.assertEqual(audit.action_label("no_such_action"), "no_such_action")
        self.assertEqual(audit.object_type_label("gone.model"), "gone.model")

    def test_an_admin_delete_is_recorded(self):
        self.client.force_login(self.root)
        plan = self.make_plan()
        measure = Measure.objects.create(plan=plan, title="ลบในหน้าผู้ดูแล")
        url = reverse("admin:measures_progress_changelist")
        self.assertEqual(self.client.get(url).status_code, 200)
        entry = Progress.objects.create(measure=measure, date=datetime.date(2022, 1, 1), percent=10)
        self.client.post(reverse("admin:measures_progress_delete", args=[entry.pk]), {"post": "yes"})
        event = self.last(object_type="measures.progress")
        self.assertEqual(
            (event.action, event.source, event.object_id, event.subject_id), ("delete", Source.ADMIN, entry.pk, plan.pk)
        )

    def test_passwords_never_enter_the_history(self):
        self.client.force_login(self.root)
        url = reverse("admin:auth_user_password_change", args=[self.alice.pk])
        self.client.post(url, {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"})
        self.assertFalse(AuditEvent.objects.filter(changes__has_key="password").exists())


class HistoryPageTests(AuditTestCase):
    def history(self, name: str, pk: int, **params):
        return self.client.get(reverse(name, args=[pk]), {"tab": "history", **params})

    def test_assessment_history_in_thai_newest_first(self):
        for n in range(3):
            audit.record(action="update", obj=self.alpha_2564, user=self.alice, summary=f"ครั้งที่ {n}")
        self.client.force_login(self.bob)
        response = self.history("ita:assessment_detail", self.alpha_2564.pk)
        self.assertContains(response, "ประวัติการเปลี่ยนแปลง")
        summaries = [row["summary"] for row in response.context["history_rows"]]
        self.assertEqual(summaries, ["ครั้งที่ 2", "ครั้งที่ 1", "ครั้งที่ 0"])
        self.assertContains(response, "alice")

    def test_history_is_scoped_like_its_subject(self):
        plan = self.make_plan()
        self.client.force_login(self.charlie)
        self.assertEqual(self.history("ita:assessment_detail", self.alpha_2564.pk).status_code, 404)
        self.assertEqual(self.history("measures:detail", plan.pk).status_code, 404)
        self.client.force_login(self.dora)  # an auditor assigned to nobody: a draft is not hers to see
        self.assertEqual(self.history("measures:detail", plan.pk).status_code, 404)
        self.client.force_login(self.bob)
        self.assertEqual(self.history("measures:detail", plan.pk).status_code, 200)

    def test_plan_history_shows_transitions_and_measures(self):
        plan = self.make_plan(status=MeasurePlan.Status.SUBMITTED)
        self.client.force_login(self.bob)
        response = self.history("measures:detail", plan.pk)
        self.assertContains(response, "เปลี่ยนสถานะมาตรการจากร่างเป็นเสนอผู้บริหารแล้ว")
        self.assertContains(response, "สร้างร่างมาตรการ")

    def test_plan_history_shows_choice_values_by_their_thai_labels(self):
        plan = self.make_plan()
        save_measure(measure=Measure(plan=plan, title="มาตรการตลอดปี"), by=self.alice)
        plan.submit(by=self.alice)
        self.client.force_login(self.bob)
        response = self.history("measures:detail", plan.pk)
        values = [(c["label"], c["old"], c["new"]) for row in response.context["history_rows"] for c in row["changes"]]
        self.assertIn(("สถานะ", "ร่าง", "เสนอผู้บริหารแล้ว"), values)
        self.assertIn(("ระยะเวลา", NO_VALUE, "ตลอดปีงบประมาณ"), values)
        shown_values = {value for _, old, new in values for value in (old, new)}
        self.assertFalse(shown_values & {"draft", "submitted", "whole_year", "months", "indicator"}, shown_values)
        self.assertNotContains(response, "<td>submitted</td>")

    def test_an_unknown_choice_or_object_type_is_shown_as_stored(self):
        plan = self.make_plan()
        event = audit.record(
            action="update",
            obj=plan,
            user=self.alice,
            summary="ค่าที่ไม่รู้จัก",
            changes={"status": {"label": "สถานะ", "old": "archived", "new": "draft"}},
        )
        AuditEvent.objects.filter(pk=event.pk).update(object_type="gone.model")
        self.client.force_login(self.bob)
        rows = self.history("measures:detail", plan.pk).context["history_rows"]
        self.assertEqual(rows[0]["changes"], [{"label": "สถานะ", "old": "archived", "new": "draft"}])

    def test_a_web_address_keeps_its_digits_while_other_values_take_thai_digits(self):
        from ita.history import shown

        self.assertEqual(shown("https://nonglaeng.go.th/ita/2568/o1.pdf"), "https://nonglaeng.go.th/ita/2568/o1.pdf")
        self.assertEqual(shown(["http://a.go.th/1", "ข้อ 1"]), "http://a.go.th/1, ข้อ ๑")
        self.assertEqual(shown("2568"), "๒๕๖๘")

    def test_history_pages_cost_the_same_queries_however_long(self):
        self.client.force_login(self.alice)
        audit.record(action="update", obj=self.alpha_2564, user=self.alice, summary="หนึ่ง")
        self.history("ita:assessment_detail", self.alpha_2564.pk)  # warm the session and the user
        with self.assertNumQueries(6) as few:
            self.history("ita:assessment_detail", self.alpha_2564.pk)
        audit.record_many(
            [audit.build(action="update", obj=self.alpha_2564, user=self.bob, summary=str(n)) for n in range(60)]
        )
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.history("ita:assessment_detail", self.alpha_2564.pk, page=2)
        self.assertEqual(len(response.context["history_rows"]), 25)

    def test_an_anonymous_recorder_call_names_no_one(self):
        event = audit.record(
            action="update", obj=self.alpha_2564, user=AnonymousUser(), source=Source.SYSTEM, summary="x"
        )
        self.assertEqual((event.user, event.user_name), (None, ""))


class PublishingWritePathTests(AuditTestCase):
    def test_publishing_records_the_data_hash_then_the_pdf_hash(self):
        plan = self.make_plan(status=MeasurePlan.Status.APPROVED)
        with mock.patch("reports.rendering.render_pdf", return_value=b"%PDF-1.7 walk"):
            with self.captureOnCommitCallbacks(execute=True):
                version = publish_plan(plan=plan, by=self.bob)
        version = PublishedVersion.objects.get(pk=version.pk)
        published, frozen = AuditEvent.objects.filter(object_type="reports.publishedversion").order_by("pk")
        self.assertEqual((published.user, published.subject_id), (self.bob, plan.pk))
        self.assertEqual(published.changes["data_sha256"]["new"], version.data_sha256)
        self.assertEqual((frozen.source, frozen.changes["sha256"]["new"]), (Source.SYSTEM, version.sha256))
        self.assertEqual(version.sha256, hashlib.sha256(b"%PDF-1.7 walk").hexdigest())
        self.assertTrue(AuditEvent.objects.filter(subject_id=plan.pk, action="publish", user=self.bob).exists())
