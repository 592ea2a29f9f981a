"""/plans/<id>/: who sees what, header details with the lost-update check, analysis texts, query counts."""

import datetime
from decimal import Decimal

from django.test import Client

from ita.models import AuditEvent, Score
from measures.models import Finding, MeasurePlan, Progress
from tests.measures.views import PlanWebTestCase


class AccessTests(PlanWebTestCase):
    def test_each_role_of_the_cast(self):
        plan = self.make_plan()
        url = self.url("detail", plan.pk)
        expected = {self.alice: 200, self.bob: 200, self.root: 200, self.charlie: 404, self.dora: 404}
        for user, status in expected.items():
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, status, user.username)

    def test_auditor_sees_a_published_plan_read_only(self):
        plan = self.make_plan(status=MeasurePlan.Status.PUBLISHED)
        self.client.force_login(self.dora)
        response = self.client.get(self.url("detail", plan.pk))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["can_edit"] or response.context["can_progress"])
        self.assertNotContains(response, f'action="/plans/{plan.pk}/details/"')

    def test_unknown_plan_is_404_like_a_foreign_one(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url("detail", 999999)).status_code, 404)

    def test_staff_gets_edit_controls_executive_does_not(self):
        plan = self.make_plan(suggest=True)
        self.client.force_login(self.alice)
        response = self.client.get(self.url("detail", plan.pk))
        self.assertContains(response, self.url("details", plan.pk))
        self.assertContains(response, self.url("measure_add", plan.pk))
        self.assertContains(response, "เสนอผู้บริหารพิจารณา")
        self.client.force_login(self.bob)
        response = self.client.get(self.url("detail", plan.pk))
        self.assertNotContains(response, self.url("details", plan.pk))
        self.assertNotContains(response, self.url("measure_add", plan.pk))
        self.assertNotContains(response, "อนุมัติมาตรการ</button>")  # not submitted yet

    def test_page_shows_analysis_and_measures(self):
        plan = self.make_plan(suggest=True)
        self.client.force_login(self.alice)
        response = self.client.get(self.url("detail", plan.pk))
        ranking = [row["finding"].indicator for row in response.context["ranking"]]
        self.assertEqual(ranking, [9, 3, 10, 6, 1, 5, 8, 7, 2, 4])
        self.assertEqual([f.indicator for f in response.context["weaknesses"]], [7, 2, 4])
        groups = response.context["item_groups"]
        self.assertEqual([[f.item_code for f in findings] for _title, findings in groups], [["i7"], ["o5"]])
        self.assertContains(response, "ม.ค. – มี.ค. ๖๕")  # the library measure's period
        self.assertContains(response, "ตัวชี้วัดที่ ๔")

    def test_user_text_is_escaped(self):
        plan = self.make_plan()
        finding = plan.findings.get(key="summary")
        finding.edit("<script>alert(1)</script>", by=self.alice)
        self.client.force_login(self.bob)
        response = self.client.get(self.url("detail", plan.pk))
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_constant_queries_whatever_the_number_of_measures(self):
        plan = self.make_plan()
        self.add_measures(plan, 1)
        self.client.force_login(self.alice)
        self.client.get(self.url("detail", plan.pk))
        with self.assertNumQueries(8) as one:  # the timeline reads the plan's audit events
            self.client.get(self.url("detail", plan.pk))
        self.add_measures(plan, 40)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get(self.url("detail", plan.pk))
        self.assertEqual(len(response.context["measures"]), 41)

    def test_constant_queries_on_a_published_plan_with_progress(self):
        plan = self.make_plan()
        first = self.add_measures(plan, 1)[0]
        for step in (plan.submit, plan.approve, plan.publish):
            step(by=self.alice if step == plan.submit else self.bob)
        Progress.objects.create(measure=first, date=datetime.date(2022, 1, 5), percent=50)
        self.client.force_login(self.alice)
        self.client.get(self.url("detail", plan.pk))
        with self.assertNumQueries(11) as one:  # the timeline reads the plan's audit events
            self.client.get(self.url("detail", plan.pk))
        MeasurePlan.objects.filter(pk=plan.pk).update(status=MeasurePlan.Status.DRAFT)
        for measure in self.add_measures(plan, 30):
            Progress.objects.create(measure=measure, date=datetime.date(2022, 1, 5), percent=20)
        MeasurePlan.objects.filter(pk=plan.pk).update(status=MeasurePlan.Status.PUBLISHED)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get(self.url("detail", plan.pk))
        self.assertEqual(response.context["followup"]["summary"].percent, Decimal("20.97"))  # (50 + 30 × 20) ÷ 31

    def test_a_plan_in_force_offers_its_follow_up_reports_and_a_draft_does_not(self):
        plan = self.make_plan()
        self.add_measures(plan, 1)
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(self.url("detail", plan.pk)), "kind=followup")
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        page = self.client.get(self.url("detail", plan.pk))
        for months, label in ((6, "รายงานผลรอบ ๖ เดือน (PDF)"), (12, "รายงานผลรอบ ๑๒ เดือน (PDF)")):
            url = f"/documents/plans/{plan.pk}/pdf/?kind=followup&amp;round={months}"
            self.assertContains(page, f'href="{url}">{label}</a>', html=False)
            status = self.client.get(url.replace("&amp;", "&"))
            self.assertEqual(status.status_code, 200)
            self.assertContains(status, "รายงานผลการดำเนินงาน")


class DetailsTests(PlanWebTestCase):
    def details(self, plan, **overrides):
        data = {
            "lock_version": plan.lock_version,
            "meeting_date": "๑๕/๑๐/๒๕๖๔",
            "meeting_body": "คณะทำงาน ITA",
            "office": "สำนักปลัด",
            "office_phone": "๐ ๗๔๕๙ ๑๒๓๔",
            "approver_name": "นายสมชาย ใจดี",
            "approver_position": "นายกเทศมนตรี",
            "threshold": "๘๕",
            "grouping": "indicator",
        }
        return {**data, **overrides}

    def test_staff_saves_details_typed_in_thai_digits(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        response = self.client.post(self.url("details", plan.pk), self.details(plan))
        self.assertRedirects(response, self.url("detail", plan.pk))
        plan.refresh_from_db()
        self.assertEqual(str(plan.meeting_date), "2021-10-15")
        self.assertEqual((plan.approver_name, plan.office_phone), ("นายสมชาย ใจดี", "๐ ๗๔๕๙ ๑๒๓๔"))

    def test_meeting_place_is_saved_audited_and_kept_by_a_new_version(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        response = self.client.post(self.url("details", plan.pk), self.details(plan, meeting_place="ห้องประชุมสภา"))
        self.assertRedirects(response, self.url("detail", plan.pk))
        plan.refresh_from_db()
        self.assertEqual(plan.meeting_place, "ห้องประชุมสภา")
        event = AuditEvent.objects.for_subject(plan).filter(action="update").latest("at")
        self.assertEqual(event.changes["meeting_place"], {"label": "สถานที่ประชุม", "old": "", "new": "ห้องประชุมสภา"})
        self.add_measures(plan, 1)
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        self.assertEqual(plan.new_version(by=self.alice).meeting_place, "ห้องประชุมสภา")

    def test_a_new_threshold_regenerates_and_names_the_changes(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        response = self.client.post(self.url("details", plan.pk), self.details(plan, threshold="97"), follow=True)
        self.assertContains(response, "เกณฑ์เปลี่ยน")
        self.assertContains(response, "ตัวชี้วัดที่ ๑ (เปลี่ยน)")
        self.assertEqual(plan.findings.get(key="indicator:1").kind, Finding.Kind.WEAKNESS)

    def test_a_stale_edit_is_refused_with_the_current_values(self):
        plan = self.make_plan()
        loaded = plan.lock_version
        plan.update_details(by=self.alice, lock_version=loaded, approver_name="ผู้อื่นบันทึกก่อน")
        self.client.force_login(self.alice)
        response = self.client.post(self.url("details", plan.pk), self.details(plan, lock_version=loaded))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "มีผู้อื่นบันทึกมาตรการฉบับนี้ก่อนหน้าคุณ", status_code=409)
        self.assertContains(response, 'value="ผู้อื่นบันทึกก่อน"', status_code=409)
        plan.refresh_from_db()
        self.assertEqual(plan.approver_name, "ผู้อื่นบันทึกก่อน")

    def test_invalid_input_is_shown_in_thai(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url("details", plan.pk), self.details(plan, threshold="105", meeting_date="31/2/2564")
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ไม่ใช่วันที่ที่มีอยู่จริง", status_code=400)

    def test_executive_and_other_organisations_cannot_edit(self):
        plan = self.make_plan()
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.url("details", plan.pk), self.details(plan)).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(self.url("details", plan.pk), self.details(plan)).status_code, 404)
        plan.refresh_from_db()
        self.assertEqual(plan.approver_name, "")


class FindingTests(PlanWebTestCase):
    def test_staff_edits_a_generated_text(self):
        plan = self.make_plan()
        finding = plan.findings.get(key="indicator:4")
        self.client.force_login(self.alice)
        response = self.client.post(self.url("finding_edit", plan.pk, finding.pk), {"text": "ข้อความของเราเอง"})
        self.assertRedirects(response, f"{self.url('detail', plan.pk)}#finding-{finding.pk}")
        finding.refresh_from_db()
        self.assertEqual((finding.text, finding.edited), ("ข้อความของเราเอง", True))

    def test_a_finding_of_another_plan_is_404(self):
        plan, other = self.make_plan(), self.make_plan(self.beta)
        finding = other.findings.first()
        self.client.force_login(self.alice)
        response = self.client.post(self.url("finding_edit", plan.pk, finding.pk), {"text": "x"})
        self.assertEqual(response.status_code, 404)

    def test_empty_text_is_refused(self):
        plan = self.make_plan()
        finding = plan.findings.get(key="summary")
        self.client.force_login(self.alice)
        self.client.post(self.url("finding_edit", plan.pk, finding.pk), {"text": "  "})
        finding.refresh_from_db()
        self.assertFalse(finding.edited)


class RegenerateTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.plan.findings.get(key="indicator:4").edit("ข้อความที่เจ้าหน้าที่เขียนเอง", by=self.alice)
        # New scores: indicator 4 and 1 move, so their generated texts change.
        self.alpha_2564.set_scores(
            {(Score.Kind.INDICATOR, "4"): Decimal("75"), (Score.Kind.INDICATOR, "1"): Decimal("91")},
            user=None,
            source="form",
        )
        self.client.force_login(self.alice)

    def test_keep_edits_is_the_default_and_lists_what_changed(self):
        response = self.client.post(self.url("regenerate", self.plan.pk), {}, follow=True)
        self.assertContains(response, "ตัวชี้วัดที่ ๔ (เปลี่ยน คงข้อความที่แก้ไขไว้)")
        self.assertContains(response, "ตัวชี้วัดที่ ๑ (เปลี่ยน)")
        kept = self.plan.findings.get(key="indicator:4")
        self.assertEqual((kept.text, kept.edited), ("ข้อความที่เจ้าหน้าที่เขียนเอง", True))
        self.assertIn("๗๕.๐๐", kept.generated_text)
        self.assertContains(response, "ดูข้อความที่ระบบสร้างจากคะแนนล่าสุด")

    def test_discard_edits(self):
        self.client.post(self.url("regenerate", self.plan.pk), {"mode": "discard"})
        finding = self.plan.findings.get(key="indicator:4")
        self.assertFalse(finding.edited)
        self.assertEqual(finding.text, finding.generated_text)

    def test_executive_cannot_regenerate(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.url("regenerate", self.plan.pk)).status_code, 403)


class CsrfTests(PlanWebTestCase):
    def test_state_changes_need_the_csrf_token(self):
        plan = self.make_plan()
        self.add_measures(plan, 1)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        self.assertEqual(client.post(self.url("transition", plan.pk, "submit")).status_code, 403)
        self.assertEqual(client.post(self.url("create"), {"fiscal_year": "2566"}).status_code, 403)
        plan.refresh_from_db()
        self.assertEqual(plan.status, MeasurePlan.Status.DRAFT)
        # With the token from the page, the same POST goes through.
        page = client.get(self.url("detail", plan.pk))
        token = page.context["csrf_token"]
        response = client.post(self.url("transition", plan.pk, "submit"), {"csrfmiddlewaretoken": str(token)})
        self.assertEqual(response.status_code, 302)
        plan.refresh_from_db()
        self.assertEqual(plan.status, MeasurePlan.Status.SUBMITTED)

    def test_every_form_on_the_page_carries_a_token(self):
        plan = self.make_plan(suggest=True)
        self.client.force_login(self.alice)
        html = self.client.get(self.url("detail", plan.pk)).content.decode()
        post_forms = html.count('method="post"')
        self.assertGreater(post_forms, 5)
        self.assertEqual(html.count("csrfmiddlewaretoken"), post_forms)  # the logout form included
