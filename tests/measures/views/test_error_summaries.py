"""The forms of the plan pages that can fail on several fields open with an error summary linking to each field."""

from measures.models import Measure, OrgUnit
from tests.measures.views import PlanWebTestCase
from tests.measures.views.test_measures import measure_data


class MeasureFormSummaryTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.client.force_login(self.alice)

    def test_every_invalid_field_is_linked_in_page_order(self):
        data = measure_data(title="", responsible="กองที่ไม่มี", period_kind="", item_codes="i7 e99")
        response = self.client.post(self.url("measure_add", self.plan.pk), data)
        self.assertEqual(response.status_code, 400)
        # A group of radio buttons is reached through its first choice.
        ids = ["id_title", "id_responsible", "id_period_kind_0", "id_item_codes"]
        summary = self.assertErrorSummary(response, ids)
        self.assertIn("ไม่มีข้อ E99", summary)
        self.assertContains(response, "<title>มีข้อผิดพลาด:", status_code=400)
        self.assertFalse(Measure.objects.exists())

    def test_a_form_without_errors_has_no_summary(self):
        self.assertNoErrorSummary(self.client.get(self.url("measure_add", self.plan.pk)))
        measure = self.add_measures(self.plan, 1)[0]
        self.assertNoErrorSummary(self.client.get(self.url("measure_edit", self.plan.pk, measure.pk)))


class PlanDetailsSummaryTests(PlanWebTestCase):
    def test_invalid_details_are_linked(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        data = {
            "lock_version": plan.lock_version,
            "meeting_date": "๓๒/๑๓/๒๕๖๔",
            "threshold": "ร้อย",
            "grouping": "nonsense",
        }
        response = self.client.post(self.url("details", plan.pk), data)
        self.assertEqual(response.status_code, 400)
        self.assertErrorSummary(response, ["id_meeting_date", "id_threshold", "id_grouping_0"])
        self.assertContains(response, "<title>มีข้อผิดพลาด:", status_code=400)

    def test_the_plan_page_without_errors_has_no_summary(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        self.assertNoErrorSummary(self.client.get(self.url("detail", plan.pk)))


class UnitFormSummaryTests(PlanWebTestCase):
    def test_a_unit_that_exists_is_linked_to_the_name_field(self):
        self.client.force_login(self.alice)
        self.client.post(self.url("unit_add"), {"defaults": "1"})
        name = OrgUnit.objects.filter(organization=self.alpha).first().name
        response = self.client.post(self.url("unit_add"), {"name": name})
        self.assertEqual(response.status_code, 400)
        summary = self.assertErrorSummary(response, ["id_name"])
        self.assertIn("มีส่วนราชการชื่อนี้อยู่แล้ว", summary)
        self.assertNoErrorSummary(self.client.get(self.url("units")))
