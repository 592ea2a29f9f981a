"""/public/national/<year>/: level distribution, indicator means lowest first, provinces (aggregated in SQL)."""

from decimal import Decimal

from django.core.cache import cache
from django.urls import reverse

from ita.storage.cache import JSONSerializer
from reports.portal.results import NationalSummary, national_summary
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework, make_organization
from tests.reports.portal import make_result

D = Decimal


class NationalPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.f2566 = make_framework(2566)
        x1 = make_organization(province="เชียงราย")
        x2 = make_organization(province="เชียงราย")
        y1 = make_organization(province="พัทลุง")
        y2 = make_organization(province="พัทลุง")
        make_result(x1, cls.f2566, overall="96.00", level="ผ่านดีเยี่ยม", indicators={1: "90", 2: "70"})
        make_result(x2, cls.f2566, overall="90.00", level="ผ่าน", indicators={1: "80", 2: "60"})
        make_result(y1, cls.f2566, overall="80.00", level="ต้องปรับปรุง", indicators={1: "100"})
        make_result(y2, cls.f2566, overall="88.00", level="ผ่าน")
        # Not announced and not behind a published plan: left out of every figure.
        make_assessment(make_organization(province="เชียงราย"), cls.f2566, overall="10.00", level="ต้องปรับปรุงโดยด่วน")

    def test_level_distribution(self):
        summary = national_summary(2566)
        self.assertEqual(summary.total, 4)
        self.assertEqual(summary.mean, D("88.50"))
        self.assertEqual(
            [(level.label, level.count, level.percent) for level in summary.levels],
            [("ผ่านดีเยี่ยม", 1, 25), ("ผ่านดี", 0, 0), ("ผ่าน", 2, 50), ("ต้องปรับปรุง", 1, 25), ("ต้องปรับปรุงโดยด่วน", 0, 0)],
        )

    def test_indicator_means_lowest_first(self):
        indicators = national_summary(2566).indicators
        self.assertEqual([(i.number, i.mean, i.count) for i in indicators], [(2, 65, 2), (1, 90, 3)])
        self.assertEqual(indicators[0].name, "การใช้งบประมาณ")

    def test_provinces(self):
        provinces = national_summary(2566).provinces
        self.assertEqual(
            [(p.province, p.total, p.mean, p.levels) for p in provinces],
            [("เชียงราย", 2, D("93"), (1, 0, 1, 0, 0)), ("พัทลุง", 2, D("84"), (0, 0, 1, 1, 0))],
        )

    def test_an_official_level_outside_the_scheme_is_counted_last(self):
        make_result(make_organization(province="พัทลุง"), self.f2566, overall="85.00", level="ผ่านดีมาก")
        levels = national_summary(2566).levels
        self.assertEqual((levels[-1].label, levels[-1].count), ("ผ่านดีมาก", 1))

    def test_page(self):
        response = self.client.get(reverse("portal:national", args=[2566]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "๘๘.๕๐")  # the national mean
        self.assertEqual(response.context["levels"][2]["percent"], "๕๐.๐๐")
        self.assertEqual([i["number"] for i in response.context["lowest"]], ["๒", "๑"])
        self.assertContains(response, reverse("portal:dataset", args=[2566, "results", "csv"]))

    def test_latest_year_redirects(self):
        make_result(self.alpha, make_framework(2567), overall="90", level="ผ่าน")
        response = self.client.get(reverse("portal:national_latest"))
        self.assertRedirects(response, reverse("portal:national", args=[2567]))

    def test_a_year_without_public_results_is_404(self):
        self.assertEqual(self.client.get(reverse("portal:national", args=[2564])).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:national", args=[2599])).status_code, 404)

    def setUp(self):
        cache.clear()

    def test_query_count_does_not_grow_with_organisations(self):
        url = reverse("portal:national", args=[2566])
        with self.assertNumQueries(6):
            self.client.get(url)
        cache.clear()
        for n in range(40):
            province = ("ยะลา", "สตูล", "ตราด")[n % 3]
            make_result(
                make_organization(province=province), self.f2566, overall="86", level="ผ่าน", indicators={3: "77"}
            )
        with self.assertNumQueries(6):
            response = self.client.get(url)
        self.assertEqual(len(response.context["provinces"]), 5)

    def test_the_summary_is_cached_for_a_few_minutes(self):
        url = reverse("portal:national", args=[2566])
        self.client.get(url)
        make_result(make_organization(province="ตราด"), self.f2566, overall="86", level="ผ่าน")
        with self.assertNumQueries(2):  # the year list and the level colours only
            response = self.client.get(url)
        self.assertEqual(response.context["total"], "๔")
        cache.clear()
        self.assertEqual(self.client.get(url).context["total"], "๕")

    def test_the_summary_survives_the_json_cache(self):
        summary = national_summary(2566)
        stored = JSONSerializer().dumps(summary.as_json())
        self.assertEqual(NationalSummary.from_json(JSONSerializer().loads(stored)), summary)
