"""/plans/: the organisation's plans, every plan for administrators, published ones for auditors; creating a plan."""

from ita.models import Assessment, Organization
from measures.models import MeasurePlan
from tests.factory import make_assessment, make_organization
from tests.measures.views import PlanWebTestCase, set_scores


class OrganizationListTests(PlanWebTestCase):
    def test_login_required(self):
        response = self.client.get(self.url("list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_staff_sees_own_plans_with_counts_and_the_create_form(self):
        plan = self.make_plan()
        self.add_measures(plan, 3)
        self.make_plan(self.beta)
        self.client.force_login(self.alice)
        response = self.client.get(self.url("list"))
        self.assertContains(response, "มาตรการปี ๒๕๖๕")
        self.assertContains(response, self.url("detail", plan.pk))
        self.assertEqual([row["plan"] for row in response.context["rows"]], [plan])
        self.assertEqual(response.context["rows"][0]["measures"], "๓")
        self.assertContains(response, "สร้างร่างมาตรการ")
        self.assertContains(response, 'value="๒๕๖๕"')  # the year after the latest assessment

    def test_executive_sees_plans_without_the_create_form(self):
        self.make_plan()
        self.client.force_login(self.bob)
        response = self.client.get(self.url("list"))
        self.assertEqual(len(response.context["rows"]), 1)
        self.assertNotContains(response, "สร้างร่างมาตรการ")

    def test_other_organisation_sees_none_of_alphas(self):
        self.make_plan()
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url("list")).context["rows"], [])

    def test_constant_queries_for_one_or_many_plans_and_measures(self):
        self.client.force_login(self.alice)
        plan = self.make_plan()
        self.add_measures(plan, 1)
        self.client.get(self.url("list"))  # warm caches (content types, sessions)
        with self.assertNumQueries(6) as one:
            self.client.get(self.url("list"))
        for year in (2566, 2567, 2568):
            assessment = make_assessment(self.alpha, fiscal_year=year - 1)
            set_scores(assessment, {n: "90" for n in range(1, 11)})
            self.add_measures(self.make_plan_for_year(year), 20)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get(self.url("list"))
        self.assertEqual(len(response.context["rows"]), 4)

    def make_plan_for_year(self, year: int) -> MeasurePlan:
        from measures.plans import create_plan

        return create_plan(organization=self.alpha, fiscal_year=year, by=self.alice, suggest=False)


class WideListTests(PlanWebTestCase):
    def test_admin_sees_every_organisation_and_filters(self):
        alpha_plan, beta_plan = self.make_plan(), self.make_plan(self.beta)
        self.client.force_login(self.root)
        response = self.client.get(self.url("list"))
        self.assertEqual({row["plan"] for row in response.context["rows"]}, {alpha_plan, beta_plan})
        response = self.client.get(self.url("list"), {"province": "นราธิวาส"})
        self.assertEqual([row["plan"] for row in response.context["rows"]], [beta_plan])
        response = self.client.get(self.url("list"), {"status": "published"})
        self.assertEqual(response.context["rows"], [])
        response = self.client.get(self.url("list"), {"year": "2565"})
        self.assertEqual(len(response.context["rows"]), 2)

    def test_auditor_sees_only_published_plans(self):
        self.make_plan(self.beta)
        published = self.make_plan(status=MeasurePlan.Status.PUBLISHED)
        self.client.force_login(self.dora)
        response = self.client.get(self.url("list"))
        self.assertEqual([row["plan"] for row in response.context["rows"]], [published])

    def test_admin_list_constant_queries_and_pagination(self):
        self.client.force_login(self.root)
        self.make_plan()
        self.client.get(self.url("list"))
        with self.assertNumQueries(7) as one:
            self.client.get(self.url("list"))
        framework = self.alpha_2564.framework
        for i in range(60):
            org = make_organization(province="ยะลา" if i % 2 else "ตรัง")
            assessment = Assessment.objects.create(organization=org, framework=framework, fiscal_year=2564)
            set_scores(assessment, {1: "90"})
            self.make_plan_for(org)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get(self.url("list"))
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertEqual(response.context["total"], "๖๑")
        second = self.client.get(self.url("list"), {"page": 2})
        self.assertEqual(len(second.context["rows"]), 11)

    def make_plan_for(self, organization: Organization) -> MeasurePlan:
        return MeasurePlan.objects.create(
            organization=organization, fiscal_year=2565, based_on=organization.assessments.get()
        )
