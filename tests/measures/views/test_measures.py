"""Measures on the plan page: add and edit the five columns, delete, reorder (the library: test_library.py)."""

from measures.models import Measure, OrgUnit
from tests.measures.views import PlanWebTestCase


def measure_data(**overrides) -> dict:
    data = {
        "title": "ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)",
        "steps": "จัดทำประกาศ\n\nเผยแพร่ประกาศบนเว็บไซต์\n",
        "responsible": "สำนักปลัด",
        "period_kind": "months",
        "start_month": "11",
        "end_month": "2",
        "monitoring": "รายงานผู้บริหารทุกไตรมาส",
        "indicators": ["4", "7"],
        "item_codes": "I7, ข้อ o5",
    }
    return {**data, **overrides}


class MeasureFormTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.client.force_login(self.alice)

    def test_add_a_measure_with_the_five_columns(self):
        self.add_measures(self.plan, 2)
        page = self.client.get(self.url("measure_add", self.plan.pk))
        self.assertContains(page, "กองคลัง")  # the organisation's default units
        response = self.client.post(self.url("measure_add", self.plan.pk), measure_data())
        measure = Measure.objects.get(plan=self.plan, title__startswith="ประกาศ")
        self.assertRedirects(response, f"{self.url('detail', self.plan.pk)}#measure-{measure.pk}")
        self.assertEqual(measure.steps, ["จัดทำประกาศ", "เผยแพร่ประกาศบนเว็บไซต์"])
        self.assertEqual((measure.start_month, measure.end_month, measure.order), (11, 2, 2))
        self.assertEqual((measure.indicators, measure.item_codes), ([4, 7], ["i7", "o5"]))
        self.assertEqual(measure.period_display(), "พ.ย. ๖๔ – ก.พ. ๖๕")
        page = self.client.get(self.url("detail", self.plan.pk))
        self.assertContains(page, "พ.ย. ๖๔ – ก.พ. ๖๕")

    def test_whole_year_drops_the_months(self):
        self.client.post(self.url("measure_add", self.plan.pk), measure_data(period_kind="whole_year"))
        measure = Measure.objects.get(plan=self.plan)
        self.assertEqual((measure.start_month, measure.end_month), (None, None))
        self.assertEqual(measure.period_display(), "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๕")

    def test_errors_in_thai(self):
        cases = {
            "start_month": (measure_data(start_month="3", end_month="11"), "อยู่หลังเดือนสิ้นสุด"),
            "missing month": (measure_data(end_month=""), "ต้องระบุทั้งเดือนเริ่มต้นและเดือนสิ้นสุด"),
            "unknown item": (measure_data(item_codes="i7 e99"), "ไม่มีข้อ E99"),
            "bad code": (measure_data(item_codes="x1"), "ไม่ใช่รหัสข้อคำถาม"),
            "unit": (measure_data(responsible="กองที่ไม่มี"), "เลือกตัวเลือกที่ถูกต้อง"),
        }
        for name, (data, message) in cases.items():
            with self.subTest(name):
                response = self.client.post(self.url("measure_add", self.plan.pk), data)
                self.assertContains(response, message, status_code=400)
        self.assertFalse(Measure.objects.exists())

    def test_edit_keeps_a_responsible_name_no_longer_in_the_list(self):
        measure = Measure.objects.create(plan=self.plan, title="เดิม", responsible="กองเดิมที่ถูกยุบ")
        page = self.client.get(self.url("measure_edit", self.plan.pk, measure.pk))
        self.assertContains(page, "กองเดิมที่ถูกยุบ")
        self.client.post(
            self.url("measure_edit", self.plan.pk, measure.pk), measure_data(title="ใหม่", responsible="กองเดิมที่ถูกยุบ")
        )
        measure.refresh_from_db()
        self.assertEqual((measure.title, measure.responsible), ("ใหม่", "กองเดิมที่ถูกยุบ"))

    def test_roles_and_organisations(self):
        measure = self.add_measures(self.plan, 1)[0]
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url("measure_add", self.plan.pk)).status_code, 403)
        self.assertEqual(
            self.client.post(self.url("measure_edit", self.plan.pk, measure.pk), measure_data()).status_code, 403
        )
        self.assertEqual(self.client.post(self.url("measure_delete", self.plan.pk, measure.pk)).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url("measure_edit", self.plan.pk, measure.pk)).status_code, 404)
        self.assertEqual(self.client.post(self.url("measure_delete", self.plan.pk, measure.pk)).status_code, 404)
        self.assertTrue(Measure.objects.filter(pk=measure.pk).exists())

    def test_a_measure_under_another_plans_url_is_404(self):
        other = self.make_plan(self.beta)
        foreign = self.add_measures(other, 1)[0]
        response = self.client.get(self.url("measure_edit", self.plan.pk, foreign.pk))
        self.assertEqual(response.status_code, 404)

    def test_delete(self):
        measure = self.add_measures(self.plan, 1)[0]
        response = self.client.post(self.url("measure_delete", self.plan.pk, measure.pk))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Measure.objects.filter(pk=measure.pk).exists())


class ReorderTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.first, self.second, self.third = self.add_measures(self.plan, 3)
        self.client.force_login(self.alice)

    def titles(self) -> list[str]:
        return [m.title for m in self.plan.measures.order_by("order", "pk")]

    def move(self, measure, direction):
        return self.client.post(self.url("measure_move", self.plan.pk, measure.pk), {"direction": direction})

    def test_up_and_down_without_javascript(self):
        self.move(self.third, "up")
        self.assertEqual(self.titles(), ["มาตรการทดสอบที่ 1", "มาตรการทดสอบที่ 3", "มาตรการทดสอบที่ 2"])
        self.move(self.first, "down")
        self.assertEqual(self.titles(), ["มาตรการทดสอบที่ 3", "มาตรการทดสอบที่ 1", "มาตรการทดสอบที่ 2"])

    def test_ends_stay_put_with_a_message(self):
        response = self.move(self.first, "up")
        self.assertEqual(self.titles(), ["มาตรการทดสอบที่ 1", "มาตรการทดสอบที่ 2", "มาตรการทดสอบที่ 3"])
        self.assertContains(self.client.get(response["Location"]), "ลำดับแรกหรือลำดับสุดท้าย")

    def test_duplicate_orders_are_sorted_out(self):
        Measure.objects.filter(plan=self.plan).update(order=0)
        self.move(self.second, "down")
        self.assertEqual(self.titles(), ["มาตรการทดสอบที่ 1", "มาตรการทดสอบที่ 3", "มาตรการทดสอบที่ 2"])

    def test_executive_cannot_reorder(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.move(self.third, "up").status_code, 403)


class UnitsTests(PlanWebTestCase):
    def test_staff_manage_their_units(self):
        self.client.force_login(self.alice)
        page = self.client.get(self.url("units"))
        self.assertContains(page, "กองสาธารณสุขและสิ่งแวดล้อม")
        self.client.post(self.url("unit_add"), {"name": "  กองสวัสดิการสังคม ", "organization": self.beta.pk})
        unit = OrgUnit.objects.get(name="กองสวัสดิการสังคม")
        self.assertEqual(unit.organization, self.alpha)
        response = self.client.post(self.url("unit_add"), {"name": "กองสวัสดิการสังคม"})
        self.assertContains(response, "มีส่วนราชการชื่อนี้อยู่แล้ว", status_code=400)
        self.client.post(self.url("unit_rename", unit.pk), {"name": "กองสวัสดิการ"})
        unit.refresh_from_db()
        self.assertEqual(unit.name, "กองสวัสดิการ")
        self.client.post(self.url("unit_delete", unit.pk))
        self.assertFalse(OrgUnit.objects.filter(pk=unit.pk).exists())

    def test_units_of_another_organisation_are_404_and_others_403(self):
        OrgUnit.objects.ensure_defaults(self.beta)  # was stored by for_organization, which now only reads
        beta_unit = OrgUnit.objects.for_organization(self.beta).first()
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url("unit_delete", beta_unit.pk)).status_code, 404)
        self.assertEqual(self.client.post(self.url("unit_rename", beta_unit.pk), {"name": "x"}).status_code, 404)
        for user in (self.bob, self.root, self.dora):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url("units")).status_code, 403)
        self.assertTrue(OrgUnit.objects.filter(pk=beta_unit.pk).exists())
