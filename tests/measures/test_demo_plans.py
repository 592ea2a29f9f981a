"""measures.demo: `seed_demo` drafts the demo organisations' plans of the current fiscal year and publishes one."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from ita import demo as ita_demo
from ita.models import AuditorAssignment, Membership
from ita.todo.registry import todo_for
from measures import demo
from measures.followup import plan_progress
from measures.models import Measure, MeasurePlan, PeriodKind, fiscal_position
from reports.models import PublishedVersion

DECEMBER = datetime.date(2026, 12, 5)
AUGUST = datetime.date(2027, 8, 20)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(today: datetime.date) -> list[str]:
    ita_demo.seed_demo(make_users=True, today=today)
    call_command("load_catalogue", stdout=io.StringIO())
    return ita_demo.place_demo_plans(today=today)


def test_month_at_undoes_fiscal_position():
    assert [demo.month_at(fiscal_position(month)) for month in range(1, 13)] == list(range(1, 13))
    assert (demo.month_at(0), demo.month_at(11)) == (10, 9)


@pytest.mark.django_db
def test_each_demo_organisation_gets_a_plan_of_the_current_year_and_one_is_published():
    lines = seed(DECEMBER)
    plans = {plan.organization.code: plan for plan in MeasurePlan.objects.select_related("organization")}
    assert set(plans) == {"DEMO-NONGLAENG", "DEMO-LOHJUD", "DEMO-MAESAIMITTRAPHAP", "DEMO-KHUANSAOTHONG"}
    assert {plan.fiscal_year for plan in plans.values()} == {2570}
    assert {plan.based_on.fiscal_year for plan in plans.values()} == {2569}
    published = plans["DEMO-KHUANSAOTHONG"]
    assert published.status == MeasurePlan.Status.PUBLISHED
    assert published.submitted_by.username == "khuansaothong-staff"
    assert published.published_by.username == "khuansaothong-exec"
    assert PublishedVersion.objects.filter(plan=published).count() == 1
    # One plan waits for its executive, who finds it on the to-do card; the other two are drafts.
    submitted = plans["DEMO-NONGLAENG"]
    assert (submitted.status, submitted.submitted_by.username) == (MeasurePlan.Status.SUBMITTED, "nonglaeng-staff")
    membership = Membership.objects.get(organization=submitted.organization, role=Membership.Role.EXECUTIVE)
    assert [item.url for item in todo_for(membership.user, membership)] == [f"/plans/{submitted.pk}/#workflow-heading"]
    drafts = {code for code, p in plans.items() if p.status == MeasurePlan.Status.DRAFT}
    assert drafts == {"DEMO-LOHJUD", "DEMO-MAESAIMITTRAPHAP"}
    # The demo auditor's organisation has a draft for the auditor to read.
    assigned = AuditorAssignment.objects.get(user__username="auditor").organization
    assert plans[assigned.code].status == MeasurePlan.Status.DRAFT
    assert any("๒๕๗๐" in line for line in lines)


@pytest.mark.django_db
def test_no_seeded_measure_is_overdue_on_the_day_it_is_seeded():
    seed(DECEMBER)
    measures = Measure.objects.filter(plan__fiscal_year=2570)
    assert measures.filter(period_kind=PeriodKind.MONTHS).exists()
    for plan in MeasurePlan.objects.all():
        assert plan_progress(plan, today=DECEMBER).overdue == ()


@pytest.mark.django_db
def test_late_in_the_year_past_month_ranges_start_this_month_and_end_by_september():
    seed(AUGUST)
    ranges = set(
        Measure.objects.filter(period_kind=PeriodKind.MONTHS).values_list("start_month", "end_month").distinct()
    )
    # Ranges still running in August are kept; the ones that ended were moved to start in August.
    assert all(fiscal_position(end) >= fiscal_position(8) for _start, end in ranges)
    assert all(fiscal_position(start) <= fiscal_position(end) for start, end in ranges)
    assert (8, 9) in ranges
    for plan in MeasurePlan.objects.all():
        assert plan_progress(plan, today=AUGUST).overdue == ()


@pytest.mark.django_db
def test_running_again_keeps_every_plan_as_it_is():
    seed(DECEMBER)
    draft = MeasurePlan.objects.get(organization__code="DEMO-LOHJUD")
    Measure.objects.filter(plan=draft).delete()
    before = list(MeasurePlan.objects.order_by("pk").values_list("pk", "status", "lock_version"))
    lines = seed(DECEMBER)
    assert list(MeasurePlan.objects.order_by("pk").values_list("pk", "status", "lock_version")) == before
    assert not Measure.objects.filter(plan=draft).exists()
    assert PublishedVersion.objects.count() == 1
    assert sum("มีอยู่แล้ว" in line for line in lines) == 4


@pytest.mark.django_db
def test_without_the_demo_accounts_the_plan_stays_a_draft():
    ita_demo.seed_demo(make_users=False)
    ita_demo.carry_results_forward(ita_demo.demo_organization_codes(), 2569)
    ita_demo.place_demo_plans(today=DECEMBER)
    assert MeasurePlan.objects.count() == 4
    assert not MeasurePlan.objects.exclude(status=MeasurePlan.Status.DRAFT).exists()
    assert not PublishedVersion.objects.exists()


@pytest.mark.django_db
def test_an_organisation_without_results_of_the_year_before_is_reported_not_drafted():
    ita_demo.seed_demo(make_users=False)
    lines = ita_demo.place_demo_plans(today=DECEMBER)
    assert not MeasurePlan.objects.exists()
    assert sum("ยังไม่มีผลการประเมินปีงบประมาณ" in line for line in lines) == 4
