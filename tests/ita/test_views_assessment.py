from decimal import Decimal

from django.test import Client
from django.urls import reverse

from ita.models import Assessment, Score
from tests.base import BaseTestCase

NONG_LAENG_2564 = ["88.95", "78.28", "84.01", "81.40", "78.82", "84.95", "86.63", "83.53", "69.07", "93.75"]


class AssessmentViewTestCase(BaseTestCase):
    def url(self, assessment=None) -> str:
        return reverse("ita:assessment_detail", args=[(assessment or self.alpha_2564).pk])

    def post(self, assessment=None, version=None, **values):
        assessment = assessment or self.alpha_2564
        if version is None:
            version = Assessment.objects.get(pk=assessment.pk).version
        return self.client.post(self.url(assessment), {"version": version, **values})

    def stored(self, kind="indicator", code="1", assessment=None):
        return Score.objects.filter(assessment=assessment or self.alpha_2564, kind=kind, code=code).first()


class AccessTests(AssessmentViewTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(self.url())
        self.assertRedirects(response, f"{reverse('login')}?next={self.url()}", fetch_redirect_response=False)
        response = self.post(indicator_1="80")
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(self.stored())

    def test_staff_of_another_organisation_gets_404(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url(self.beta_2564)).status_code, 404)
        self.assertEqual(self.post(self.beta_2564, indicator_1="80").status_code, 404)
        self.assertIsNone(self.stored(assessment=self.beta_2564))
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url(self.alpha_2564)).status_code, 404)
        self.assertEqual(self.post(self.alpha_2564, indicator_1="80").status_code, 404)
        self.assertIsNone(self.stored())

    def test_unknown_id_is_404_like_a_foreign_one(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("ita:assessment_detail", args=[999_999])).status_code, 404)

    def test_executive_reads_but_cannot_save(self):
        Score.objects.create(assessment=self.alpha_2564, kind="indicator", code="1", value=Decimal("80"))
        self.client.force_login(self.bob)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "ดูคะแนนได้อย่างเดียว")
        self.assertNotContains(response, "บันทึกคะแนน</button>")
        self.assertContains(response, 'value="๘๐.๐๐"')
        self.assertIn("disabled", str(response.context["form"]["indicator_1"]))
        response = self.post(indicator_1="90")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.stored().value, Decimal("80"))
        self.assertEqual(self.post(self.beta_2564, indicator_1="90").status_code, 404)

    def test_superuser_may_edit_any_organisation(self):
        self.client.force_login(self.root)
        response = self.post(self.beta_2564, indicator_1="77")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.stored(assessment=self.beta_2564).value, Decimal("77"))

    def test_only_get_and_post(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.put(self.url()).status_code, 405)

    def test_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post(self.url(), {"version": 1, "indicator_1": "80"})
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(self.stored())


class PageTests(AssessmentViewTestCase):
    def test_form_is_grouped_by_tool_indicator_and_item(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "IIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน")
        self.assertContains(response, "EIT ส่วนที่ ๑")
        self.assertContains(response, "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต")
        self.assertContains(response, '<span class="item-code">O27</span>', html=True)
        self.assertContains(response, 'inputmode="decimal"', count=5 + 10 + 30 + 15 + 43 + 1)
        self.assertContains(response, '<input type="hidden" name="version" value="1"', html=False)
        self.assertContains(response, "<svg")
        self.assertContains(response, "คะแนนรายข้อ (กรอกแล้ว ๐ จาก ๖ ข้อ)")
        self.assertContains(response, "คะแนนรายข้อ (กรอกแล้ว ๐ จาก ๑๐ ข้อ)")  # O34–O43
        self.assertContains(response, '<option value="B">B</option>', html=True)
        for label in ("เทศบาลตำบลอัลฟา", "๒๕๖๔", "ITA 2564"):
            self.assertContains(response, label)


class SaveTests(AssessmentViewTestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def test_thai_full_width_and_arabic_digits_are_stored_as_decimals(self):
        response = self.post(indicator_1="๘๘.๙๕", indicator_2="７８．２８", indicator_3="84.01", item_i7="๑๐๐")
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        self.assertEqual(self.stored(code="1").value, Decimal("88.95"))
        self.assertEqual(self.stored(code="2").value, Decimal("78.28"))
        self.assertEqual(self.stored(code="3").value, Decimal("84.01"))
        self.assertEqual(self.stored("item", "i7").value, Decimal("100"))
        row = self.stored(code="1")
        self.assertEqual((row.source, row.entered_by), ("form", self.alice))
        assessment = Assessment.objects.get(pk=self.alpha_2564.pk)
        self.assertEqual((assessment.version, assessment.updated_by), (2, self.alice))
        page = self.client.get(self.url())
        self.assertContains(page, "บันทึกคะแนนแล้ว")
        self.assertContains(page, 'value="๘๘.๙๕"')

    def test_out_of_range_is_refused_next_to_the_field_and_nothing_is_saved(self):
        response = self.post(indicator_1="๑๐๕", indicator_2="80")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "ค่า &#x27;๑๐๕&#x27; เกิน ๑๐๐")
        self.assertContains(response, 'id="id_indicator_1-error"')
        self.assertContains(response, 'aria-describedby="id_indicator_1-error"')
        self.assertContains(response, 'href="#id_indicator_1"')  # the error summary links to the field
        self.assertFalse(self.alpha_2564.scores.exists())
        self.assertEqual(Assessment.objects.get(pk=self.alpha_2564.pk).version, 1)

    def test_the_error_summary_opens_the_page_and_links_every_error_to_its_field(self):
        response = self.post(indicator_1="๑๐๕", indicator_3="85,5", item_i7="abc", official_overall="x")
        page = response.content.decode()
        start = page.index('<div class="error-summary"')
        summary = page[start : page.index("</div>", start)]
        # Above everything else on the page, so it is seen without scrolling, and focused on load.
        self.assertLess(start, page.index('id="results-heading"'))
        self.assertIn('role="alert"', summary)
        self.assertIn('tabindex="-1"', summary)
        self.assertIn("autofocus", summary)
        self.assertContains(response, "js/error_summary.js")
        for field in ("indicator_1", "indicator_3", "item_i7", "official_overall"):
            self.assertIn(f'href="#id_{field}"', summary)
            self.assertContains(response, f'id="id_{field}"')
        self.assertEqual(summary.count("<li>"), 4)
        # Listed in the order the fields appear on the page (official results come last there).
        fields = ["indicator_1", "indicator_3", "item_i7", "official_overall"]
        listed = sorted(fields, key=lambda name: summary.index(f'href="#id_{name}"'))
        on_page = sorted(fields, key=lambda name: page.index(f'id="id_{name}"'))
        self.assertEqual(listed, on_page)
        self.assertEqual(listed[-1], "official_overall")
        self.assertContains(response, "<title>มีข้อผิดพลาด:")

    def test_a_valid_page_has_no_error_summary_or_its_script(self):
        response = self.client.get(self.url())
        self.assertNotContains(response, "error-summary")
        self.assertNotContains(response, "error_summary.js")

    def test_decimal_comma_is_refused(self):
        response = self.post(indicator_1="85,5")
        self.assertContains(response, "ใช้จุดเป็นทศนิยม")
        self.assertFalse(self.alpha_2564.scores.exists())

    def test_item_errors_open_their_details(self):
        response = self.post(item_i7="abc")
        self.assertContains(response, '<details class="items" open>')
        self.assertFalse(self.alpha_2564.scores.exists())

    def test_clearing_a_value_deletes_its_row(self):
        Score.objects.create(assessment=self.alpha_2564, kind="indicator", code="1", value=Decimal("80"))
        Score.objects.create(assessment=self.alpha_2564, kind="tool", code="EIT1", value=Decimal("90"))
        self.post(indicator_1="", tool_EIT1="90")
        self.assertIsNone(self.stored(code="1"))
        self.assertEqual(self.stored("tool", "EIT1").value, Decimal("90"))

    def test_unchanged_values_keep_their_provenance(self):
        Score.objects.create(
            assessment=self.alpha_2564, kind="indicator", code="1", value=Decimal("80"), source="import"
        )
        self.post(indicator_1="๘๐.๐๐", indicator_2="70")
        self.assertEqual(self.stored(code="1").source, "import")
        self.assertEqual(self.stored(code="2").source, "form")

    def test_official_results_are_stored(self):
        self.post(official_overall="๘๒.๗๖", official_level="B")
        assessment = Assessment.objects.get(pk=self.alpha_2564.pk)
        self.assertEqual((assessment.official_overall, assessment.official_level), (Decimal("82.76"), "B"))
        response = self.post(official_level="ผ่านดีเยี่ยม")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Assessment.objects.get(pk=self.alpha_2564.pk).official_level, "B")

    def test_ten_indicators_give_the_overall_level_and_chart(self):
        values = {f"indicator_{n}": v for n, v in enumerate(NONG_LAENG_2564, start=1)}
        response = self.post(official_overall="82.76", official_level="B", **values)
        self.assertRedirects(response, self.url())
        assessment = Assessment.objects.get(pk=self.alpha_2564.pk)
        self.assertEqual((assessment.overall, assessment.level), (Decimal("82.76"), "B"))
        page = self.client.get(self.url())
        self.assertContains(page, '<span class="figure-value">๘๒.๗๖</span>', html=True)
        self.assertContains(page, '<span class="level">B</span>', html=True)
        self.assertNotContains(page, "ผลคำนวณไม่ตรงกับผลทางการ")
        self.assertContains(page, 'class="indicator-chart"')
        self.assertContains(page, "๖๙.๐๗</text>")
        self.assertContains(page, "เกณฑ์ ๘๕")

    def test_disagreement_with_the_official_result_is_highlighted(self):
        values = {f"indicator_{n}": v for n, v in enumerate(NONG_LAENG_2564, start=1)}
        self.post(official_overall="85.00", official_level="A", **values)
        page = self.client.get(self.url())
        self.assertContains(page, "ผลคำนวณไม่ตรงกับผลทางการ")
        self.assertContains(page, "figure-warning")

    def test_stale_version_is_refused_and_current_values_are_shown(self):
        self.post(indicator_1="80")  # someone else saved first: version 1 → 2
        response = self.post(version=1, indicator_1="90", indicator_2="70")
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "ไม่ได้บันทึก", status_code=409)
        self.assertContains(response, 'value="๘๐.๐๐"', status_code=409)
        self.assertContains(response, '<input type="hidden" name="version" value="2"', status_code=409)
        self.assertEqual(self.stored(code="1").value, Decimal("80"))
        self.assertIsNone(self.stored(code="2"))
        self.assertEqual(Assessment.objects.get(pk=self.alpha_2564.pk).version, 2)

    def test_missing_version_is_an_error_not_a_save(self):
        response = self.client.post(self.url(), {"indicator_1": "80"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "โปรดโหลดหน้านี้ใหม่")
        self.assertIsNone(self.stored())


class RollupAndQueryTests(AssessmentViewTestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def test_indicator_rolled_up_from_items_is_marked_in_the_chart(self):
        self.post(**{f"item_i{k}": "50" for k in range(1, 7)})
        page = self.client.get(self.url())
        self.assertContains(page, "ค่าที่มีเครื่องหมาย * คำนวณจากคะแนนรายข้อ")
        self.assertContains(page, "๕๐.๐๐*</text>")
        self.assertContains(page, 'fill-opacity="0.55"')

    def test_page_costs_the_same_whatever_the_number_of_scores(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.post(indicator_1="80", item_i1="80", tool_OIT="80")
        with CaptureQueriesContext(connection) as captured:
            self.client.get(self.url())
        baseline = len(captured)  # read now: the next request resets the connection's query log
        items = {f"item_i{k}": "70" for k in range(1, 31)} | {f"item_o{k}": "100" for k in range(1, 44)}
        self.post(**items, **{f"indicator_{n}": "75" for n in range(1, 11)})
        with self.assertNumQueries(baseline):
            self.client.get(self.url())
