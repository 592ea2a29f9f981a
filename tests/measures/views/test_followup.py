"""Follow-up on approved/published plans: progress entries, overall progress, overdue, score movements."""

import datetime

from measures.models import Measure, MeasurePlan, PeriodKind, Progress
from tests.factory import make_assessment, make_framework
from tests.measures.views import PlanWebTestCase, set_scores

S = MeasurePlan.Status


class ProgressEntryTests(PlanWebTestCase):
    def setUp(self):
        plan = self.make_plan()
        self.measure = Measure.objects.create(
            plan=plan,
            title="ประกาศนโยบายไม่รับของขวัญ",
            period_kind=PeriodKind.MONTHS,
            start_month=10,
            end_month=12,
            indicators=[4],
            item_codes=["i7"],
        )
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        plan.publish(by=self.bob)
        self.plan = plan
        self.client.force_login(self.alice)

    def post(self, **overrides):
        data = {
            "date": "๑๕/๑๒/๒๕๖๔",
            "status": "in_progress",
            "percent": "๔๐",
            "note": "ประกาศแล้ว",
            "evidence_url": "https://example.go.th/no-gift",
        }
        return self.client.post(self.url("progress", self.plan.pk, self.measure.pk), {**data, **overrides})

    def test_staff_records_an_entry_typed_in_thai(self):
        response = self.post()
        self.assertRedirects(response, self.url("progress", self.plan.pk, self.measure.pk))
        entry = Progress.objects.get()
        self.assertEqual(
            (entry.date, entry.percent, entry.status, entry.created_by),
            (datetime.date(2021, 12, 15), 40, "in_progress", self.alice),
        )
        page = self.client.get(self.url("progress", self.plan.pk, self.measure.pk))
        self.assertContains(page, "๑๕ ธันวาคม ๒๕๖๔")
        self.assertContains(page, 'href="https://example.go.th/no-gift" rel="noopener noreferrer nofollow"')

    def test_done_with_a_blank_percent_means_all_of_it(self):
        self.post(status="done", percent="")
        self.assertEqual(Progress.objects.get().percent, 100)

    def test_only_web_links_as_evidence(self):
        for link in ("javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x"):
            with self.subTest(link):
                response = self.post(evidence_url=link)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Progress.objects.exists())

    def test_bad_values_in_thai(self):
        self.assertContains(self.post(percent="๑๒๐"), "เกิน", status_code=400)
        self.assertContains(self.post(percent="4.5"), "จำนวนเต็ม", status_code=400)
        self.assertContains(self.post(date="เมื่อวาน"), "ไม่ใช่วันที่", status_code=400)

    def test_who_may_record(self):
        self.client.force_login(self.bob)
        page = self.client.get(self.url("progress", self.plan.pk, self.measure.pk))
        self.assertEqual(page.status_code, 200)
        self.assertIsNone(page.context["form"])
        self.assertEqual(self.post().status_code, 403)
        self.client.force_login(self.dora)
        self.assertEqual(self.client.get(self.url("progress", self.plan.pk, self.measure.pk)).status_code, 200)
        self.assertEqual(self.post().status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.post().status_code, 404)
        self.client.force_login(self.root)
        self.assertEqual(self.post().status_code, 302)
        self.assertEqual(Progress.objects.get().created_by, self.root)

    def test_not_on_a_draft_nor_on_a_superseded_version(self):
        new = self.plan.new_version(by=self.alice)
        response = self.post()
        self.assertContains(self.client.get(response["Location"]), "ให้บันทึกความก้าวหน้าในฉบับล่าสุด")
        draft_measure = new.measures.get()
        response = self.client.post(
            self.url("progress", new.pk, draft_measure.pk), {"date": "1/1/2565", "status": "done", "percent": "100"}
        )
        self.assertContains(self.client.get(response["Location"]), "ได้รับอนุมัติแล้วเท่านั้น")
        self.assertFalse(Progress.objects.exists())

    def test_plan_page_shows_overall_progress_and_overdue(self):
        self.post(percent="40")
        page = self.client.get(self.url("detail", self.plan.pk))
        self.assertContains(page, "ความก้าวหน้าโดยรวม ร้อยละ ๔๐.๐๐")
        # The measure ended in December 2564 (fiscal 2565) and is not done: overdue today.
        self.assertEqual([row.measure for row in page.context["followup"]["summary"].overdue], [self.measure])
        self.assertContains(page, "เลยกำหนด")
        self.assertContains(page, "จะแสดงเมื่อมีผลการประเมินปีงบประมาณ ๒๕๖๕")


class MovementTests(PlanWebTestCase):
    def test_targeted_scores_before_and_after(self):
        plan = self.make_plan()
        Measure.objects.create(plan=plan, title="คู่มือการใช้ทรัพย์สิน", indicators=[4], item_codes=[])
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        framework = make_framework(2565)
        set_scores(make_assessment(self.alpha, framework), {4: "97.92", 1: "90"})
        self.client.force_login(self.bob)
        page = self.client.get(self.url("detail", plan.pk))
        self.assertContains(page, "๗๐.๒๕")
        self.assertContains(page, "๙๗.๙๒")
        self.assertContains(page, "+๒๗.๖๗")

    def test_constant_queries_with_next_year_results(self):
        plan = self.make_plan()
        self.add_measures(plan, 1)
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        set_scores(make_assessment(self.alpha, make_framework(2565)), {4: "97.92"})
        self.client.force_login(self.alice)
        self.client.get(self.url("detail", plan.pk))
        with self.assertNumQueries(21) as one:  # the timeline reads the plan's audit events
            self.client.get(self.url("detail", plan.pk))
        MeasurePlan.objects.filter(pk=plan.pk).update(status=S.DRAFT)
        self.add_measures(plan, 25)
        MeasurePlan.objects.filter(pk=plan.pk).update(status=S.APPROVED)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get(self.url("detail", plan.pk))
        self.assertEqual(len(response.context["followup"]["moved"]), 26)
