"""B4: two identical POSTs at once give the outcome of one, never a 500 from a unique constraint.

The form checks (does the year or name exist?) pass for both requests of a double click, so the
database's unique constraint decides. The first tests take the form check away to reach that path
deterministically on any database; the thread tests at the end send two real requests at once on
PostgreSQL, where the second INSERT waits for the first and then fails.
"""

from __future__ import annotations

import threading
from unittest import mock, skipUnless

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from ita.forms import AddYearForm
from ita.models import Assessment, AuditEvent, Membership
from measures.forms import CreatePlanForm, UnitForm
from measures.models import MeasurePlan, OrgUnit
from tests.factory import make_assessment, make_framework, make_organization, make_user
from tests.measures.views import ALPHA_INDICATORS, PlanWebTestCase, set_scores


def skip_name_check(form: UnitForm) -> str:
    return " ".join(form.cleaned_data["name"].split())


class ConstraintDecidesTests(PlanWebTestCase):
    def messages_of(self, response) -> list[str]:
        return [str(message) for message in get_messages(response.wsgi_request)]

    def test_a_plan_year_taken_after_the_form_checked_opens_the_existing_plan(self):
        plan = self.make_plan()
        self.client.force_login(self.alice)
        with mock.patch.object(CreatePlanForm, "clean_fiscal_year", lambda form: 2565):
            response = self.client.post(reverse("measures:create"), {"fiscal_year": "2565"})
        self.assertRedirects(response, reverse("measures:detail", args=[plan.pk]))
        self.assertIn("มีมาตรการปีงบประมาณ ๒๕๖๕ อยู่แล้ว จึงเปิดฉบับที่มีอยู่ให้", " ".join(self.messages_of(response)))
        self.assertEqual(MeasurePlan.objects.filter(organization=self.alpha).count(), 1)
        self.assertEqual(AuditEvent.objects.filter(object_type="measures.measureplan", action="create").count(), 1)

    def test_a_unit_added_twice_is_there_once(self):
        OrgUnit.objects.create(organization=self.alpha, name="กองทดสอบ", order=0)
        self.client.force_login(self.alice)
        with mock.patch.object(UnitForm, "clean_name", skip_name_check):
            response = self.client.post(reverse("measures:unit_add"), {"name": "กองทดสอบ"})
        self.assertRedirects(response, reverse("measures:units"))
        self.assertIn("“กองทดสอบ” อยู่ในรายชื่อแล้ว", self.messages_of(response))
        self.assertEqual(OrgUnit.objects.filter(organization=self.alpha, name="กองทดสอบ").count(), 1)

    def test_a_rename_to_a_name_taken_meanwhile_is_refused_in_thai(self):
        first = OrgUnit.objects.create(organization=self.alpha, name="กองหนึ่ง", order=0)
        OrgUnit.objects.create(organization=self.alpha, name="กองสอง", order=1)
        self.client.force_login(self.alice)
        with mock.patch.object(UnitForm, "clean_name", skip_name_check):
            response = self.client.post(reverse("measures:unit_rename", args=[first.pk]), {"name": "กองสอง"})
        self.assertRedirects(response, reverse("measures:units"))
        self.assertIn("มีส่วนราชการชื่อนี้อยู่แล้ว", self.messages_of(response))
        first.refresh_from_db()
        self.assertEqual(first.name, "กองหนึ่ง")

    def test_a_year_added_twice_opens_the_existing_assessment(self):
        make_framework(2565)
        self.client.force_login(self.alice)
        self.client.post(reverse("ita:assessment_add"), {"fiscal_year": "2565"})
        existing = Assessment.objects.get(organization=self.alpha, fiscal_year=2565)
        # The second request's form was drawn before the first saved: it still offers the year.
        with mock.patch.object(AddYearForm, "__init__", _form_blind_to_existing_years):
            response = self.client.post(reverse("ita:assessment_add"), {"fiscal_year": "2565"})
        self.assertRedirects(response, reverse("ita:assessment_detail", args=[existing.pk]))
        self.assertIn("อยู่แล้ว จึงเปิดผลที่มีอยู่ให้", " ".join(self.messages_of(response)))
        self.assertEqual(Assessment.objects.filter(organization=self.alpha, fiscal_year=2565).count(), 1)


_original_add_year_init = AddYearForm.__init__


def _form_blind_to_existing_years(form, *args, **kwargs):
    kwargs["existing_years"] = set()
    _original_add_year_init(form, *args, **kwargs)


@skipUnless(
    connection.vendor == "postgresql", "two requests at once need PostgreSQL's row locks; SQLite serialises writers"
)
class SimultaneousPostTests(TransactionTestCase):
    """Two clients released together by a barrier, each on its own connection."""

    def setUp(self):
        framework = make_framework(2564)
        make_framework(2565)
        self.organization = make_organization(code="RACE")
        self.staff = make_user("racer", organization=self.organization, role=Membership.Role.STAFF)
        set_scores(make_assessment(self.organization, framework), ALPHA_INDICATORS)

    def post_twice(self, path: str, data: dict) -> list[tuple[int, str]]:
        barrier = threading.Barrier(2, timeout=30)
        answers: list[tuple[int, str]] = []

        def post() -> None:
            client = Client(raise_request_exception=False)
            client.force_login(self.staff)
            try:
                barrier.wait()
                response = client.post(path, data)
                answers.append((response.status_code, response.get("Location", "")))
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(len(answers), 2)
        return answers

    def test_two_plans_of_one_year_at_once(self):
        answers = self.post_twice(reverse("measures:create"), {"fiscal_year": "2565"})
        plan = MeasurePlan.objects.get(organization=self.organization, fiscal_year=2565)
        self.assertEqual(sorted(status for status, _ in answers), [302, 302], answers)
        self.assertIn(reverse("measures:detail", args=[plan.pk]), [location for _, location in answers])

    def test_two_units_of_one_name_at_once(self):
        OrgUnit.objects.ensure_defaults(self.organization)
        answers = self.post_twice(reverse("measures:unit_add"), {"name": "กองแข่งขัน"})
        self.assertEqual(answers, [(302, reverse("measures:units"))] * 2)
        self.assertEqual(OrgUnit.objects.filter(organization=self.organization, name="กองแข่งขัน").count(), 1)

    def test_two_years_added_at_once(self):
        answers = self.post_twice(reverse("ita:assessment_add"), {"fiscal_year": "2565"})
        existing = Assessment.objects.get(organization=self.organization, fiscal_year=2565)
        detail = reverse("ita:assessment_detail", args=[existing.pk])
        self.assertEqual(answers, [(302, detail)] * 2)
