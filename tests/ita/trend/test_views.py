"""The year-over-year page /organizations/<code>/trend/: access, content, escaping and a constant query count."""

from decimal import Decimal

from django.urls import reverse

from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework, make_user
from tests.measures.followup.helpers import link, set_scores


class TrendViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework_2565 = make_framework(2565)
        link(cls.framework, "i20", cls.framework_2565, "i10")
        set_scores(cls.alpha_2564, indicators={n: "80.00" for n in range(1, 11)}, items={"i20": "70.00"})
        cls.alpha_2565 = make_assessment(cls.alpha, cls.framework_2565)
        set_scores(cls.alpha_2565, indicators={n: "90.00" for n in range(1, 11)}, items={"i10": "95.00"})
        cls.url = reverse("trend:organization", args=["ALPHA"])

    def test_staff_and_executive_of_the_organisation_see_it(self):
        for user in (self.alice, self.bob):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<title id="trend-chart-title">')
        self.assertContains(response, "๙๐.๐๐")
        self.assertContains(response, "+๑๐.๐๐")
        self.assertContains(response, "ปี ๒๕๖๔: I20")  # the renumbered item keeps its old code visible
        self.assertContains(response, reverse("ita:assessment_detail", args=[self.alpha_2564.pk]))
        self.assertContains(response, "css/trend.css")

    def test_other_organisations_get_404_whether_or_not_the_code_exists(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(reverse("trend:organization", args=["NO-SUCH"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("trend:organization", args=["BETA"])).status_code, 200)

    def test_user_without_organisation_gets_404(self):
        self.client.force_login(make_user("nobody"))
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_administrator_sees_any_organisation(self):
        self.client.force_login(self.root)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertEqual(self.client.get(reverse("trend:organization", args=["NO-SUCH"])).status_code, 404)

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_read_only(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_names_are_escaped(self):
        self.alpha.name = "<script>alert(1)</script>"
        self.alpha.save()
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_single_year_has_no_line_but_a_message(self):
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("trend:organization", args=["BETA"]))
        self.assertContains(response, "มีผลการประเมินเพียงปีเดียว")

    def test_constant_queries_whatever_the_number_of_years(self):
        self.client.force_login(self.alice)
        with self.assertNumQueries(11) as first:
            self.client.get(self.url)
        for year in (2566, 2567, 2568):
            following = make_assessment(self.alpha, make_framework(year))
            set_scores(following, indicators={n: Decimal("91.5") for n in range(1, 11)}, items={"i1": "90"})
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(self.url)
        self.assertContains(response, "๒๕๖๘")
