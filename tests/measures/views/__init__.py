"""Shared setup of the plan page tests: the named cast with scores, a small library, plans in each state."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from ita.models import Membership, Score, ValueSource
from measures.models import LibraryMeasure, Measure, MeasurePlan, PeriodKind
from measures.plans import create_plan
from tests.base import BaseTestCase
from tests.factory import make_user

# Alpha 2564: indicators 2, 4 and 7 under 85 (weaknesses), the rest strengths; i7 and o5 need work.
ALPHA_INDICATORS = {1: "90", 2: "80.50", 3: "95", 4: "70.25", 5: "88", 6: "91", 7: "84.10", 8: "86", 9: "100", 10: "93"}
ALPHA_ITEMS = {"i7": "60", "i8": "92", "o5": "0", "o6": "100"}


def set_scores(assessment, indicators: dict[int, str], items: dict[str, str] | None = None) -> None:
    values = {(Score.Kind.INDICATOR, str(n)): Decimal(v) for n, v in indicators.items()}
    values |= {(Score.Kind.ITEM, code): Decimal(v) for code, v in (items or {}).items()}
    assessment.set_scores(values, user=None, source=ValueSource.FORM)


class PlanWebTestCase(BaseTestCase):
    """alice (staff), bob (executive) of Alpha; charlie (staff) of Beta; root; dora, an auditor."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        set_scores(cls.alpha_2564, ALPHA_INDICATORS, ALPHA_ITEMS)
        set_scores(cls.beta_2564, {n: "90" for n in range(1, 11)})
        cls.dora = make_user("dora", organization=None, role=Membership.Role.AUDITOR)
        cls.assets = LibraryMeasure.objects.create(
            key="asset-manual",
            title="จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ",
            steps=["จัดทำคู่มือ", "แจ้งเวียนบุคลากร"],
            responsible="กองคลัง",
            period_kind=PeriodKind.MONTHS,
            start_month=1,
            end_month=3,
            monitoring="รายงานผลภายในเดือนเมษายน",
            indicators=[4],
            order=1,
        )
        cls.unrelated = LibraryMeasure.objects.create(
            key="unrelated", title="มาตรการที่ไม่ตรงกับจุดอ่อน", responsible="กองช่าง", indicators=[9], order=2
        )

    def make_plan(self, organization=None, *, status: str = MeasurePlan.Status.DRAFT, suggest: bool = False):
        """A 2565 plan from the 2564 assessment, moved through the workflow up to `status`."""
        organization = organization or self.alpha
        staff = self.alice if organization == self.alpha else self.charlie
        plan = create_plan(organization=organization, fiscal_year=2565, by=staff, suggest=suggest)
        order = [MeasurePlan.Status.SUBMITTED, MeasurePlan.Status.APPROVED, MeasurePlan.Status.PUBLISHED]
        steps = {
            MeasurePlan.Status.SUBMITTED: lambda: plan.submit(by=staff),
            MeasurePlan.Status.APPROVED: lambda: plan.approve(by=self.bob),
            MeasurePlan.Status.PUBLISHED: lambda: plan.publish(by=self.bob),
        }
        if status in order and not plan.measures.exists():
            # An empty plan cannot be submitted: give it one measure first.
            self.add_measures(plan, 1)
        for step in order[: order.index(status) + 1] if status in order else []:
            steps[step]()
        return plan

    def add_measures(self, plan: MeasurePlan, count: int) -> list[Measure]:
        return Measure.objects.bulk_create(
            [
                Measure(
                    plan=plan,
                    order=i,
                    title=f"มาตรการทดสอบที่ {i + 1}",
                    steps=["ขั้นที่หนึ่ง", "ขั้นที่สอง"],
                    responsible="สำนักปลัด",
                    indicators=[4],
                    item_codes=["i7"],
                )
                for i in range(count)
            ]
        )

    def url(self, name: str, *args) -> str:
        return reverse(f"measures:{name}", args=args)
