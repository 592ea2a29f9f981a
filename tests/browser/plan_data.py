"""Data the plan flows start from: an organisation with its staff, its executive and last year's scores.

Only the starting point is made here (through the models and workflows); what a person does in the
flows themselves goes through the pages.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from ita.grading.assess import grade_assessment
from ita.models import Assessment, Framework, Membership, Organization, Score, ValueSource
from measures.models import LibraryMeasure, MeasurePlan, PeriodKind
from measures.plans import create_plan
from reports.publishing import publish_plan
from tests.factory import make_assessment, make_framework, make_organization, make_user

# Indicators 2, 4 and 7 under the default threshold of 85, so the analysis finds three weaknesses.
INDICATOR_SCORES = {1: "90", 2: "80.50", 3: "95", 4: "70.25", 5: "88", 6: "91", 7: "84.10", 8: "86", 9: "100", 10: "93"}


@dataclass
class Office:
    """One organisation and the two people of the approval flow."""

    organization: Organization
    staff: User
    executive: User
    assessment: Assessment


def office_with_last_years_scores(
    *,
    code: str = "6570301",
    name: str = "เทศบาลตำบลหนองแหลง",
    district: str = "เกาะคา",
    province: str = "ลำปาง",
    usernames: tuple[str, str] = ("somchai", "prasit"),
) -> Office:
    """An organisation whose 2564 assessment has its ten indicator scores, and one library measure to suggest."""
    framework = Framework.objects.filter(fiscal_year=2564).first() or make_framework(2564)
    organization = make_organization(code=code, name=name, district=district, province=province)
    staff_name, executive_name = usernames
    staff = make_user(staff_name, organization=organization, first_name="สมชาย", last_name="รักงาน")
    executive = make_user(
        executive_name,
        organization=organization,
        role=Membership.Role.EXECUTIVE,
        first_name="ประสิทธิ์",
        last_name="มั่นคง",
    )
    assessment = make_assessment(organization, framework)
    values = {(Score.Kind.INDICATOR, str(n)): Decimal(v) for n, v in INDICATOR_SCORES.items()}
    with transaction.atomic():
        assessment.set_scores(values, user=staff, source=ValueSource.FORM)
        grade_assessment(assessment=assessment)  # as the score form does after saving
    LibraryMeasure.objects.get_or_create(
        key="asset-manual",
        defaults={
            "title": "จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ",
            "steps": ["จัดทำคู่มือ", "แจ้งเวียนบุคลากรทุกส่วนราชการ"],
            "responsible": "กองคลัง",
            "period_kind": PeriodKind.MONTHS,
            "start_month": 1,
            "end_month": 3,
            "monitoring": "รายงานผลต่อนายกเทศมนตรีภายในเดือนเมษายน",
            "indicators": [4],
            "order": 1,
        },
    )
    return Office(organization, staff, executive, assessment)


def published_plan(office: Office) -> MeasurePlan:
    """The office's 2565 plan, created, submitted, approved and published by its own people."""
    plan = create_plan(organization=office.organization, fiscal_year=2565, by=office.staff)
    plan.submit(by=office.staff)
    plan.approve(by=office.executive)
    publish_plan(plan=plan, by=office.executive)
    plan.refresh_from_db()
    return plan
