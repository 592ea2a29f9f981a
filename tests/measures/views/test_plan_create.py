"""POST /plans/create/: staff start the year's plan from the previous year's assessment."""

from measures.models import MeasurePlan
from tests.factory import make_assessment
from tests.measures.views import PlanWebTestCase


class CreatePlanTests(PlanWebTestCase):
    def post(self, **data):
        return self.client.post(self.url("create"), data)

    def test_staff_creates_a_draft_in_any_digits(self):
        self.client.force_login(self.alice)
        response = self.post(fiscal_year="๒๕๖๕")
        plan = MeasurePlan.objects.get(organization=self.alpha)
        self.assertRedirects(response, self.url("detail", plan.pk))
        self.assertEqual((plan.fiscal_year, plan.based_on, plan.created_by), (2565, self.alpha_2564, self.alice))
        self.assertEqual(plan.status, MeasurePlan.Status.DRAFT)
        # The weak indicator 4 pulled the asset-manual measure from the library.
        self.assertEqual([m.library for m in plan.measures.all()], [self.assets])

    def test_an_org_in_the_post_body_is_ignored(self):
        self.client.force_login(self.alice)
        self.post(fiscal_year="2565", organization=self.beta.pk, org=self.beta.pk)
        self.assertTrue(MeasurePlan.objects.filter(organization=self.alpha).exists())
        self.assertFalse(MeasurePlan.objects.filter(organization=self.beta).exists())

    def test_no_previous_assessment_explains_and_links_to_enter_scores(self):
        self.client.force_login(self.alice)
        response = self.post(fiscal_year="2570")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ยังไม่มีผลการประเมินปีงบประมาณ ๒๕๖๙", status_code=400)
        self.assertContains(response, "ไปเพิ่มปีงบประมาณและกรอกคะแนน", status_code=400)
        self.assertFalse(MeasurePlan.objects.exists())

    def test_a_previous_assessment_without_scores_links_to_it(self):
        empty = make_assessment(self.alpha, fiscal_year=2565)
        self.client.force_login(self.alice)
        response = self.post(fiscal_year="2566")
        self.assertContains(response, "ยังไม่มีคะแนน", status_code=400)
        self.assertContains(response, f'href="/assessments/{empty.pk}/"', status_code=400)

    def test_a_second_plan_for_the_year_is_refused(self):
        self.make_plan()
        self.client.force_login(self.alice)
        response = self.post(fiscal_year="2565")
        self.assertContains(response, "มีมาตรการปีงบประมาณ ๒๕๖๕ อยู่แล้ว", status_code=400)
        self.assertEqual(MeasurePlan.objects.count(), 1)

    def test_bad_year_text_is_a_thai_error(self):
        self.client.force_login(self.alice)
        self.assertContains(self.post(fiscal_year="ปีหน้า"), "ไม่ใช่ปีงบประมาณ", status_code=400)

    def test_only_staff_may_create(self):
        for user in (self.bob, self.root, self.dora):
            self.client.force_login(user)
            self.assertEqual(self.post(fiscal_year="2565").status_code, 403)
        self.assertFalse(MeasurePlan.objects.exists())

    def test_get_is_not_allowed(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url("create")).status_code, 405)
