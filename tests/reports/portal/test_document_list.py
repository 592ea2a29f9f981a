"""/public/: published documents only, filters, Thai name search, constant queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ita.models import Organization
from measures.models import MeasurePlan
from tests.base import BaseTestCase
from tests.factory import make_framework, make_organization
from tests.reports.portal import make_plan, make_result

URL = reverse("portal:documents")


class DocumentListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.f2566 = make_framework(2566)
        cls.nonglaeng = make_organization(code="5380501", name="เทศบาลตำบลหนองเล็ง", province="บึงกาฬ")
        cls.lohjud = make_organization(
            code="6960401", name="องค์การบริหารส่วนตำบลโละจูด", province="นราธิวาส", org_type=Organization.Type.SAO
        )
        cls.nonglaeng_2566 = make_result(cls.nonglaeng, cls.f2566, overall="91.47", level="ผ่าน")
        cls.lohjud_2566 = make_result(cls.lohjud, cls.f2566, overall="99.50", level="ผ่านดีเยี่ยม")
        cls.nonglaeng_plan = make_plan(cls.nonglaeng_2566)
        cls.lohjud_plan = make_plan(cls.lohjud_2566)
        # Alpha's plan exists in every state but published: none of it may show.
        for status in (MeasurePlan.Status.DRAFT, MeasurePlan.Status.SUBMITTED, MeasurePlan.Status.APPROVED):
            make_plan(cls.alpha_2564, status=status, fiscal_year={"draft": 2565, "submitted": 2566}.get(status, 2567))

    def names(self, response) -> list[str]:
        return [row["organization"].name for row in response.context["rows"]]

    def test_anonymous_sees_published_documents(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(sorted(self.names(response)), ["องค์การบริหารส่วนตำบลโละจูด", "เทศบาลตำบลหนองเล็ง"])
        self.assertContains(response, reverse("portal:organization", args=["5380501"]))

    def test_drafts_submitted_and_approved_plans_are_not_listed(self):
        response = self.client.get(URL)
        self.assertNotContains(response, "เทศบาลตำบลอัลฟา")
        response = self.client.get(URL, {"q": "อัลฟา"})
        self.assertEqual(self.names(response), [])

    def test_filters(self):
        cases = [
            ({"province": "นราธิวาส"}, ["องค์การบริหารส่วนตำบลโละจูด"]),
            ({"org_type": "subdistrict_municipality"}, ["เทศบาลตำบลหนองเล็ง"]),
            ({"level": "ผ่านดีเยี่ยม"}, ["องค์การบริหารส่วนตำบลโละจูด"]),
            ({"level": "ผ่าน"}, ["เทศบาลตำบลหนองเล็ง"]),
            ({"year": "2567"}, ["องค์การบริหารส่วนตำบลโละจูด", "เทศบาลตำบลหนองเล็ง"]),
            ({"year": "๒๕๖๗", "province": "บึงกาฬ"}, ["เทศบาลตำบลหนองเล็ง"]),  # Thai digits
            ({"year": "2024"}, ["องค์การบริหารส่วนตำบลโละจูด", "เทศบาลตำบลหนองเล็ง"]),  # ค.ศ. 2024 = 2567
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                self.assertEqual(sorted(self.names(self.client.get(URL, params))), sorted(expected))
        # A year with no published document is not a choice: the filter is ignored, not an error.
        self.assertEqual(len(self.names(self.client.get(URL, {"year": "2566"}))), 2)

    def test_an_invalid_filter_is_ignored_and_the_others_still_apply(self):
        response = self.client.get(URL, {"province": "นราธิวาส", "level": "<script>", "org_type": "nope"})
        self.assertEqual(self.names(response), ["องค์การบริหารส่วนตำบลโละจูด"])
        self.assertNotContains(response, "<script>")

    def test_search_by_thai_name(self):
        for typed in ("หนองเล็ง", "หนอง เล็ง", "ทต.หนองเล็ง", "เทศบาลตำบลหนองเล้ง", "หนองเลง"):
            with self.subTest(typed=typed):
                response = self.client.get(URL, {"q": typed})
                self.assertEqual([m.name for m in response.context["matches"]], ["เทศบาลตำบลหนองเล็ง"])
                self.assertEqual(self.names(response), ["เทศบาลตำบลหนองเล็ง"])
        response = self.client.get(URL, {"q": "อบต.โลหะจูด"})
        self.assertEqual(self.names(response), ["องค์การบริหารส่วนตำบลโละจูด"])

    def test_search_and_filters_combine(self):
        response = self.client.get(URL, {"q": "หนองเล็ง", "province": "นราธิวาส"})
        self.assertEqual(self.names(response), [])
        self.assertContains(response, "ไม่พบเอกสารที่ตรงกับเงื่อนไข")

    def test_search_looks_within_the_province_and_type_chosen(self):
        make_organization(name="เทศบาลตำบลหนองเล็งใต้", province="นราธิวาส")
        response = self.client.get(URL, {"q": "หนองเล็ง", "province": "นราธิวาส"})
        self.assertEqual([m.name for m in response.context["matches"]], ["เทศบาลตำบลหนองเล็งใต้"])
        response = self.client.get(URL, {"q": "หนองเล็ง", "org_type": "sao"})
        self.assertEqual(response.context["matches"], [])

    def test_search_lists_organisations_without_documents_too(self):
        response = self.client.get(URL, {"q": "เบตา"})
        self.assertEqual([m.name for m in response.context["matches"]], ["องค์การบริหารส่วนตำบลเบตา"])
        self.assertEqual(self.names(response), [])

    def test_latest_published_version_only(self):
        make_plan(self.nonglaeng_2566, version=2)
        make_plan(self.nonglaeng_2566, version=3, status=MeasurePlan.Status.DRAFT)  # a correction in progress
        response = self.client.get(URL, {"q": "หนองเล็ง"})
        self.assertEqual([row["version"] for row in response.context["rows"]], ["๒"])

    def test_user_text_is_escaped(self):
        make_organization(code="X1", name="<b>เทศบาลตำบลแฮก</b>")
        Organization.objects.filter(code="5380501").update(district="<img src=x onerror=alert(1)>")
        response = self.client.get(URL, {"q": "แฮก"})
        self.assertContains(response, "&lt;b&gt;เทศบาลตำบลแฮก&lt;/b&gt;")
        response = self.client.get(URL)
        self.assertNotContains(response, "<img src=x")

    def test_read_only(self):
        self.assertEqual(self.client.post(URL).status_code, 405)

    def test_pagination_keeps_the_filters(self):
        for n in range(51):
            organization = make_organization(name=f"เทศบาลตำบลพาเจริญ{n}", province="ยโสธร")
            make_plan(make_result(organization, self.f2566, overall="88.00", level="ผ่าน"))
        response = self.client.get(URL, {"province": "ยโสธร"})
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertContains(response, "?province=%E0%B8%A2%E0%B9%82%E0%B8%AA%E0%B8%98%E0%B8%A3&amp;page=2")
        response = self.client.get(URL, {"province": "ยโสธร", "page": "2"})
        self.assertEqual(len(response.context["rows"]), 1)

    def test_query_count_does_not_grow_with_organisations(self):
        def count_queries(params) -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(URL, params).status_code, 200)
            return len(captured)

        small = [count_queries({}), count_queries({"q": "หนองเล็ง", "year": "2567", "level": "ผ่าน"})]
        for n in range(30):
            organization = make_organization(name=f"องค์การบริหารส่วนตำบลหนองเล็ง{n}", org_type=Organization.Type.SAO)
            make_plan(make_result(organization, self.f2566, overall="80.00", level="ต้องปรับปรุง"))
        with self.assertNumQueries(small[0]):
            self.client.get(URL)
        with self.assertNumQueries(small[1]):
            self.client.get(URL, {"q": "หนองเล็ง", "year": "2567", "level": "ผ่าน"})
        self.assertLessEqual(max(small), 7)
