"""/public/organizations/<code>/: public results over the years and every published version."""

import datetime

from django.urls import reverse
from django.utils import timezone

from ita.models import Assessment
from measures.models import MeasurePlan
from reports.models import PublishedVersion, RenderStatus
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework
from tests.reports.portal import make_plan, make_result

INDICATORS_2566 = {
    1: "95.01",
    2: "84.45",
    3: "88.62",
    4: "83.07",
    5: "86.04",
    6: "85.07",
    7: "84.54",
    8: "82.73",
    9: "100",
    10: "100",
}


def url(code: str) -> str:
    return reverse("portal:organization", args=[code])


class OrganizationPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.f2565 = make_framework(2565)
        cls.f2566 = make_framework(2566)
        cls.f2567 = make_framework(2567)
        cls.r2565 = make_result(cls.alpha, cls.f2565, overall="82.76", level="B")
        cls.r2566 = make_result(cls.alpha, cls.f2566, overall="91.47", level="ผ่าน", indicators=INDICATORS_2566)
        # Typed by staff, not announced, not used by a published plan: private.
        cls.r2567 = make_assessment(cls.alpha, cls.f2567, overall="50.00", level="ต้องปรับปรุงโดยด่วน")
        when = timezone.now() - datetime.timedelta(days=30)
        cls.v1 = make_plan(cls.r2566, published_at=when)
        cls.v2 = make_plan(cls.r2566, version=2)
        cls.draft = make_plan(cls.r2566, fiscal_year=2568, status=MeasurePlan.Status.DRAFT)
        cls.copy = PublishedVersion.objects.create(
            plan=cls.v2,
            context={},
            data_sha256="d" * 64,
            published_at=cls.v2.published_at,
            sha256="a" * 64,
            status=RenderStatus.DONE,
        )

    def test_results_over_the_years(self):
        response = self.client.get(url("ALPHA"))
        self.assertEqual(response.status_code, 200)
        rows = response.context["results"]
        self.assertEqual(
            [(r["year"], r["overall"], r["level"]) for r in rows], [("๒๕๖๖", "๙๑.๔๗", "ผ่าน"), ("๒๕๖๕", "๘๒.๗๖", "B")]
        )
        # IIT = mean(1..5) = 87.438 → ๘๗.๔๔, shown as derived because no IIT score is stored.
        self.assertEqual(rows[0]["tools"][0], {"value": "๘๗.๔๔", "derived": True})
        indicators = response.context["indicator_rows"]
        self.assertEqual(response.context["indicator_years"], ["๒๕๖๕", "๒๕๖๖"])
        self.assertEqual(indicators[3]["values"], ["–", "๘๓.๐๗"])
        self.assertEqual(indicators[3]["name"], "การใช้ทรัพย์สินของราชการ")
        self.assertContains(response, "<svg", count=2)  # the year chart and the indicator chart

    def test_results_that_are_not_public_stay_hidden(self):
        response = self.client.get(url("ALPHA"))
        self.assertNotIn("๒๕๖๗", [r["year"] for r in response.context["results"]])
        self.assertNotContains(response, "ต้องปรับปรุงโดยด่วน")

    def test_a_result_behind_a_published_plan_is_public_even_without_an_official_value(self):
        own = make_assessment(self.beta, self.f2566, overall="88.88", level="ผ่าน")
        make_plan(own)
        rows = self.client.get(url("BETA")).context["results"]
        self.assertEqual([(r["overall"], r["official"]) for r in rows], [("๘๘.๘๘", False)])

    def test_every_published_version_newest_first_with_hashes(self):
        response = self.client.get(url("ALPHA"))
        documents = response.context["documents"]
        self.assertEqual([(d["year"], d["version"]) for d in documents], [("๒๕๖๗", "๒"), ("๒๕๖๗", "๑")])
        self.assertEqual(documents[0]["copy"]["sha256"], "a" * 64)
        self.assertIsNone(documents[1]["copy"])
        self.assertContains(response, "a" * 64)
        self.assertContains(response, "d" * 64)
        self.assertContains(response, reverse("reports:published_pdf", args=[self.copy.pk]))
        self.assertContains(response, reverse("reports:published_version", args=[self.copy.pk]))

    def test_a_copy_still_rendering_has_no_pdf_link_yet(self):
        PublishedVersion.objects.filter(pk=self.copy.pk).update(status=RenderStatus.PENDING, sha256="")
        response = self.client.get(url("ALPHA"))
        self.assertNotContains(response, reverse("reports:published_pdf", args=[self.copy.pk]))
        self.assertContains(response, reverse("reports:published_version", args=[self.copy.pk]))
        self.assertContains(response, "กำลังจัดทำ PDF")

    def test_drafts_are_not_listed(self):
        documents = self.client.get(url("ALPHA")).context["documents"]
        self.assertNotIn("๒๕๖๘", [d["year"] for d in documents])

    def test_unknown_organisation_is_404(self):
        self.assertEqual(self.client.get(url("NOPE")).status_code, 404)

    def test_an_organisation_with_nothing_public(self):
        response = self.client.get(url("BETA"))
        self.assertContains(response, "ยังไม่มีผลการประเมินที่เผยแพร่ของหน่วยงานนี้")
        self.assertContains(response, "หน่วยงานนี้ยังไม่ได้เผยแพร่มาตรการผ่านระบบ")

    def test_query_count_does_not_grow_with_years_or_versions(self):
        with self.assertNumQueries(5):
            self.client.get(url("ALPHA"))
        make_result(self.alpha, make_framework(2563), overall="70.00", level="C", indicators=INDICATORS_2566)
        Assessment.objects.filter(pk=self.alpha_2564.pk).update(official_overall=80, official_level="B")
        make_plan(self.r2565, fiscal_year=2566)
        with self.assertNumQueries(5):
            response = self.client.get(url("ALPHA"))
        self.assertEqual(len(response.context["results"]), 4)
