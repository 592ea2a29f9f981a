"""Pasted text from the ITAS page or an old document: understood, previewed, then written to the own assessment."""

from decimal import Decimal

from django.urls import reverse

from ita.importers import jobs as import_jobs
from ita.models import Assessment, ImportJob, Score
from tests.base import BaseTestCase
from tests.factory import make_organization, make_user
from tests.ita.importers.helpers import FlowMixin

Status = ImportJob.Status

RANKING = "\n".join(
    [
        "อันดับ\tตัวชี้วัด\tคะแนน",
        "๑\tการป้องกันการทุจริต\t๙๓.๗๕",
        "๒\tการปฏิบัติหน้าที่\t๘๘.๙๕",
        "๓\tประสิทธิภาพการสื่อสาร\t๘๖.๖๓",
        "คะแนนภาพรวมหน่วยงาน : ๘๒.๗๖ คะแนน",
        "ระดับผลการประเมิน : B",
        "ข้อ i๑ ๙๘.๓๓",
    ]
)


class PasteFlowTests(FlowMixin, BaseTestCase):
    def test_staff_paste_is_previewed_then_written_to_their_own_assessment(self):
        self.client.force_login(self.alice)
        response = self.paste(RANKING, organization=self.beta.pk)
        job = self.latest_job()
        self.assertRedirects(response, reverse("importers:detail", args=[job.pk]))
        self.assertEqual(
            (job.kind, job.status, job.organization, job.fiscal_year), ("paste", Status.PREVIEW, self.alpha, 2564)
        )
        understood = {(u["label"], u["value"]) for u in job.preview["understood"]}
        self.assertIn(("ตัวชี้วัดที่ ๑๐", "93.75"), understood)
        self.assertIn(("ข้อ i1", "98.33"), understood)
        self.assertIn(("ระดับ", "B"), understood)
        self.assertEqual([u["line"] for u in job.preview["unrecognised"]], [1])  # the table's header line
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "สิ่งที่ระบบอ่านได้จากข้อความที่วาง")
        self.assertContains(page, "๙๓.๗๕")
        self.assertEqual(Score.objects.count(), 0)
        self.confirm(job)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.DONE)
        self.alpha_2564.refresh_from_db()
        self.assertEqual(self.alpha_2564.score_values()[("indicator", "10")], Decimal("93.75"))
        self.assertEqual((self.alpha_2564.official_overall, self.alpha_2564.official_level), (Decimal("82.76"), "B"))
        self.assertFalse(Score.objects.filter(assessment=self.beta_2564).exists())

    def test_paste_for_a_year_without_an_assessment_creates_it(self):
        alone = make_organization(code="SOLO")
        self.client.force_login(make_user(organization=alone))
        self.paste("ข้อ i๑ ๙๘.๓๓")
        job = self.latest_job()
        self.assertEqual(job.preview["assessments_to_create"], 1)
        self.confirm(job)
        self.assertEqual(Assessment.objects.get(organization=alone).score_values(), {("item", "i1"): Decimal("98.33")})

    def test_errors_name_the_pasted_line(self):
        self.client.force_login(self.alice)
        self.paste("ข้อ i๑ ๙๘.๓๓\nข้อ i๙๙ ๗๐.๐๐")
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual(len(job.errors), 1)
        self.assertEqual((job.errors[0]["row"], job.errors[0]["column"]), (2, 0))
        self.assertTrue(job.errors[0]["message"].startswith("บรรทัดที่ ๒: "), job.errors[0]["message"])
        self.assertIn("i99", job.errors[0]["message"])

    def test_text_with_no_score_is_invalid(self):
        self.client.force_login(self.alice)
        self.paste("สวัสดีครับ\nไม่มีตัวเลขเลย")
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual(job.errors[0]["message"], import_jobs.NOTHING_PASTED)

    def test_year_without_a_framework_is_a_form_error(self):
        self.client.force_login(self.alice)
        response = self.paste(RANKING, year="2550")
        self.assertContains(response, "ยังไม่มีกรอบการประเมินของปีงบประมาณ ๒๕๕๐", status_code=400)
        self.assertFalse(ImportJob.objects.exists())

    def test_year_in_any_digit_form(self):
        self.client.force_login(self.alice)
        self.paste("ข้อ i๑ ๙๘.๓๓", year="ปีงบประมาณ พ.ศ. 2564")
        self.assertEqual(self.latest_job().fiscal_year, 2564)

    def test_administrator_chooses_the_organisation(self):
        self.client.force_login(self.root)
        response = self.paste("ข้อ i๑ ๙๘.๓๓")
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["paste_form"].has_error("organization"))
        self.assertFalse(ImportJob.objects.exists())
        response = self.paste("ข้อ i๑ ๙๘.๓๓", organization="NOPE")
        self.assertContains(response, "ไม่พบหน่วยงานรหัส NOPE", status_code=400)
        self.paste("ข้อ i๑ ๙๘.๓๓", organization=" BETA ")
        job = self.latest_job()
        self.assertEqual((job.organization, job.status), (self.beta, Status.PREVIEW))
