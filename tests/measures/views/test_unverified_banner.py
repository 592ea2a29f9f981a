"""Every page of a plan warns when the framework of its results year (or of the follow-up year) is unverified."""

from ita.models import Framework
from measures.models import Measure
from tests.factory import make_assessment, make_framework
from tests.measures.views import PlanWebTestCase, set_scores

BANNER = "ยังไม่ได้ตรวจสอบกับเอกสารทางการของสำนักงาน ป.ป.ช."


class PlanPagesBannerTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()  # 2565, from the 2564 results
        self.measure = self.add_measures(self.plan, 1)[0]

    def pages(self) -> dict[str, str]:
        pk = self.plan.pk
        return {
            "plan": self.url("detail", pk),
            "history": self.url("detail", pk) + "?tab=history",
            "add measure": self.url("measure_add", pk),
            "edit measure": self.url("measure_edit", pk, self.measure.pk),
            "progress": self.url("progress", pk, self.measure.pk),
            "library": self.url("library", pk),
        }

    def set_verified(self, verified: bool) -> None:
        Framework.objects.filter(pk=self.framework.pk).update(verified=verified)

    def test_an_unverified_results_year_is_named_on_every_page_of_the_plan(self):
        self.set_verified(False)
        self.client.force_login(self.alice)
        for name, url in self.pages().items():
            with self.subTest(name):
                response = self.client.get(url)
                self.assertContains(response, f"กรอบการประเมินปี พ.ศ. ๒๕๖๔ {BANNER}", count=1)
                self.assertNotContains(response, "admin/ita/framework")

    def test_a_verified_framework_shows_no_banner(self):
        self.set_verified(True)
        self.client.force_login(self.alice)
        for name, url in self.pages().items():
            with self.subTest(name):
                self.assertNotContains(self.client.get(url), BANNER)

    def test_an_administrator_gets_the_link_to_verify_it(self):
        self.set_verified(False)
        self.client.force_login(self.root)
        response = self.client.get(self.url("detail", self.plan.pk))
        self.assertContains(response, f'href="/admin/ita/framework/{self.framework.pk}/change/"')


class FollowUpBannerTests(PlanWebTestCase):
    def test_the_follow_up_names_an_unverified_year_of_the_next_results(self):
        Framework.objects.filter(pk=self.framework.pk).update(verified=True)
        plan = self.make_plan()
        Measure.objects.create(plan=plan, title="คู่มือการใช้ทรัพย์สิน", indicators=[4], item_codes=[])
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        later = make_framework(2565)
        set_scores(make_assessment(self.alpha, later), {4: "97.92"})
        self.client.force_login(self.bob)
        page = self.client.get(self.url("detail", plan.pk))
        self.assertContains(page, f"กรอบการประเมินปี พ.ศ. ๒๕๖๕ {BANNER}", count=1)
        self.assertNotContains(page, "กรอบการประเมินปี พ.ศ. ๒๕๖๔")
        Framework.objects.filter(pk=later.pk).update(verified=True)
        self.assertNotContains(self.client.get(self.url("detail", plan.pk)), BANNER)
