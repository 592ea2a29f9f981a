"""A GET never writes (issue 10): every GET route for every role, with INSERT/UPDATE/DELETE refused.

The walk reuses the URL table and objects of test_policy_walk. Each role logs in before the walk
(a login writes the session and last_login; nothing else may). The own organisation's import job is
stuck and it has no stored units, so the two pages that used to write on sight (the job pages
failed a stuck job, the units page stored the default list) are walked in that state.

Then the plan-PDF page in detail: a GET only looks for the render of the plan as it is stored now
(keyed by the stored rows, without grading); the page's button POSTs to ask for it.
"""

from __future__ import annotations

import datetime
import importlib
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ita.importers import sweep as job_sweep
from ita.models import AuditorAssignment, ImportJob, Membership, Organization, Score
from measures.models import (
    DEFAULT_UNITS,
    Finding,
    IndicatorText,
    Measure,
    MeasurePlan,
    OrgUnit,
    Progress,
    Recommendation,
)
from measures.plans import create_plan
from reports import rendering
from reports.models import DocumentKind, RenderedDocument, RenderStatus
from tests.base import BaseTestCase
from tests.factory import make_organization, make_user
from tests.measures import SeedTestCase
from tests.trust.html_audit import audit
from tests.trust.test_policy_walk import ROLES, WalkTestCase, parse_table

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def assert_page_basics(case, response) -> None:
    """The new page states pass the audit every page passes (test_accessibility)."""
    result = audit(response.content.decode())
    case.assertEqual((result.h1_count, result.unlabelled(), result.csp_problems), (1, [], []))


# The plan-PDF page is walked with each document's options too, not only the default document.
PDF_QUERIES = ("", "?kind=followup&round=6", "?digits=arabic&answers=on")


class WriteRefused(Exception):
    """A statement that writes, run while writes were refused."""


@contextmanager
def writes_refused():
    """Run the block with every INSERT/UPDATE/DELETE refused; yields the list of refused statements."""
    refused: list[str] = []

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            refused.append(sql)
            raise WriteRefused(sql[:120])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield refused


class GetNeverWritesWalkTests(WalkTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        own = cls.world["own"]
        stuck_since = timezone.now() - job_sweep.RUN_LIMIT - datetime.timedelta(minutes=1)
        ImportJob.objects.filter(pk=own.job.pk).update(
            status=ImportJob.Status.APPLYING, started_at=stuck_since, updated_at=stuck_since
        )
        OrgUnit.objects.filter(organization=own.organization).delete()

    def clients(self) -> dict[str, Client]:
        """One client per role, logged in before any write is refused."""
        clients = {}
        for role in ROLES:
            client = Client()
            if self.users[role] is not None:
                client.force_login(self.users[role])
            clients[role] = client
        return clients

    def paths(self) -> list[str]:
        paths = []
        for row in parse_table():
            if row.method != "GET":
                continue
            path = self.path_for(row.route, row.objects)
            queries = PDF_QUERIES if row.route == "documents/plans/<int:pk>/pdf/" else ("",)
            paths += [path + query for query in queries]
        return paths

    def test_no_get_route_writes_for_any_role(self):
        clients = self.clients()
        problems = []
        for path in self.paths():
            for role, client in clients.items():
                # A savepoint per request, so a refused write inside a view's own atomic block spoils nothing else.
                with transaction.atomic(), writes_refused() as refused:
                    try:
                        response = client.get(path)
                    except WriteRefused:
                        response = None
                    transaction.set_rollback(True)
                if refused:
                    problems.append(f"GET {path} as {role} wrote: {refused[0][:100]}")
                elif response.status_code >= 500:
                    problems.append(f"GET {path} as {role}: {response.status_code}")
        self.assertEqual(problems, [])
        self.assertFalse(RenderedDocument.objects.exists())
        self.assertFalse(OrgUnit.objects.filter(organization=self.alpha).exists())
        self.assertEqual(ImportJob.objects.get(pk=self.world["own"].job.pk).status, ImportJob.Status.APPLYING)

    def test_the_walk_covers_every_get_route(self):
        routes = {row.route for row in parse_table() if row.method == "GET"}
        self.assertIn("plans/units/", routes)
        self.assertIn("imports/<int:pk>/", routes)
        self.assertIn("documents/plans/<int:pk>/pdf/", routes)
        self.assertGreater(len(self.paths()), 50)


class StuckJobPageTests(BaseTestCase):
    def test_a_stuck_job_reads_as_failed_and_stays_as_stored(self):
        stuck_since = timezone.now() - job_sweep.RUN_LIMIT - datetime.timedelta(minutes=1)
        job = ImportJob.objects.create(
            created_by=self.alice,
            organization=self.alpha,
            filename="ผล.csv",
            sha256="0" * 64,
            content=b"x",
            status=ImportJob.Status.APPLYING,
            started_at=stuck_since,
        )
        ImportJob.objects.filter(pk=job.pk).update(updated_at=stuck_since)
        self.client.force_login(self.alice)
        with writes_refused():
            page = self.client.get(reverse("importers:detail", args=[job.pk]))
            data = self.client.get(reverse("importers:status", args=[job.pk])).json()
        self.assertContains(page, job_sweep.STALLED_MESSAGE)
        self.assertEqual((data["status"], data["running"]), ("failed", False))
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, ImportJob.Status.APPLYING)


class DefaultUnitsTests(BaseTestCase):
    """An organisation with no stored units uses the default list; only a POST or a new plan stores it."""

    def test_the_units_page_shows_the_default_list_without_storing_it(self):
        self.client.force_login(self.alice)
        with writes_refused():
            page = self.client.get(reverse("measures:units"))
        for name in DEFAULT_UNITS:
            self.assertContains(page, name)
        self.assertContains(page, "บันทึกรายชื่อนี้เพื่อแก้ไข")
        assert_page_basics(self, page)
        self.assertFalse(OrgUnit.objects.exists())

    def test_the_button_stores_the_default_list_to_edit(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("measures:unit_add"), {"defaults": "1"})
        self.assertRedirects(response, reverse("measures:units"))
        stored = list(OrgUnit.objects.for_organization(self.alpha).values_list("name", flat=True))
        self.assertEqual(stored, list(DEFAULT_UNITS))
        self.assertNotContains(self.client.get(reverse("measures:units")), "บันทึกรายชื่อนี้เพื่อแก้ไข")

    def test_adding_a_unit_keeps_the_default_list_it_joins(self):
        self.client.force_login(self.alice)
        self.client.post(reverse("measures:unit_add"), {"name": "กองสวัสดิการสังคม"})
        stored = list(OrgUnit.objects.for_organization(self.alpha).values_list("name", flat=True))
        self.assertEqual(stored, [*DEFAULT_UNITS, "กองสวัสดิการสังคม"])

    def test_the_measure_form_offers_the_default_list_without_storing_it(self):
        plan = MeasurePlan.objects.create(organization=self.alpha, fiscal_year=2565, based_on=self.alpha_2564)
        self.client.force_login(self.alice)
        with writes_refused():
            page = self.client.get(reverse("measures:measure_add", args=[plan.pk]))
        self.assertContains(page, "กองสาธารณสุขและสิ่งแวดล้อม")
        self.assertFalse(OrgUnit.objects.exists())

    def test_a_first_plan_stores_the_default_list(self):
        create_plan(organization=self.alpha, fiscal_year=2565, suggest=False)
        names = list(OrgUnit.objects.for_organization(self.alpha).values_list("name", flat=True))
        self.assertEqual(names, list(DEFAULT_UNITS))

    def test_the_migration_gives_existing_organisations_their_list_and_leaves_others_alone(self):
        OrgUnit.objects.create(organization=self.beta, name="กองเดียว")
        migration = importlib.import_module("measures.migrations.0002_default_units")
        migration.store_default_units(apps, None)
        self.assertEqual(OrgUnit.objects.filter(organization=self.alpha).count(), len(DEFAULT_UNITS))
        self.assertEqual(
            list(OrgUnit.objects.filter(organization=self.beta).values_list("name", flat=True)), ["กองเดียว"]
        )


class PlanPdfPageTests(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567)
        cls.url = reverse("reports:plan_pdf", args=[cls.plan.pk])
        cls.auditor = make_user("audrey", role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=cls.auditor, organization=cls.maesai)

    def get(self, query: str = ""):
        """A GET with every write refused."""
        with writes_refused():
            return self.client.get(self.url + query)

    def ask(self, query: str = ""):
        """The page's button: POST, with the render running after commit as a worker would."""
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url + query)

    def is_pdf(self, response) -> bool:
        return response["Content-Type"] == "application/pdf"

    def test_without_a_render_the_page_offers_the_button_and_nothing_is_created(self):
        self.client.force_login(self.alice)
        with mock.patch("measures.catalogue.grade_assessment", side_effect=AssertionError("a GET graded")):
            page = self.get()
        self.assertContains(page, "เอกสารนี้ยังไม่ได้จัดทำจากข้อมูลล่าสุดของมาตรการ")
        self.assertContains(page, '<button type="submit" class="button">จัดทำเอกสาร</button>', html=True)
        self.assertContains(page, 'name="csrfmiddlewaretoken"')
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertEqual(page["Cache-Control"], "no-store")
        assert_page_basics(self, page)
        self.assertFalse(RenderedDocument.objects.exists())

    def test_the_button_renders_and_the_next_get_serves_the_pdf(self):
        self.client.force_login(self.bob)
        query = "?kind=followup&round=6&digits=arabic"
        response = self.ask(query)
        self.assertRedirects(response, self.url + query, fetch_redirect_response=False)
        document = RenderedDocument.objects.get()
        self.assertEqual((document.kind, document.digits, document.status), ("followup", "arabic", RenderStatus.DONE))
        page = self.get(query)
        self.assertTrue(self.is_pdf(page))
        self.assertIn('filename="followup-2567-6m.pdf"', page["Content-Disposition"])
        with mock.patch("reports.rendering.render_pdf") as render:
            self.ask(query)  # asking again for the same data renders nothing
        render.assert_not_called()

    def test_a_pending_render_shows_the_waiting_page_and_a_lost_one_the_button(self):
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=False):
            self.client.post(self.url)  # the worker never runs it
        self.assertContains(self.get(), '<meta http-equiv="refresh" content="3">')
        RenderedDocument.objects.update(created_at=timezone.now() - rendering.STALE_AFTER - datetime.timedelta(1))
        lost = self.get()
        self.assertContains(lost, "นานผิดปกติ")
        self.assertContains(lost, "จัดทำใหม่อีกครั้ง")
        self.assertEqual(RenderedDocument.objects.get().status, RenderStatus.PENDING)  # the sweep records it
        self.ask()
        self.assertTrue(self.is_pdf(self.get()))

    def test_an_assigned_auditor_reads_but_is_not_offered_the_button(self):
        self.client.force_login(self.auditor)
        page = self.get()
        self.assertNotContains(page, '<button type="submit" class="button">จัดทำเอกสาร</button>', html=True)
        self.assertContains(page, "เจ้าหน้าที่หรือผู้บริหารของหน่วยงานเป็นผู้สั่งจัดทำเอกสารนี้")
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.client.force_login(self.alice)
        self.ask()
        self.client.force_login(self.auditor)
        self.assertTrue(self.is_pdf(self.get()))

    # -- a render is never served for data that changed ------------------------------------

    def assert_edit_is_noticed(self, edit, query: str = "") -> None:
        self.client.force_login(self.alice)
        self.ask(query)
        self.assertTrue(self.is_pdf(self.get(query)))
        edit()
        page = self.get(query)
        self.assertFalse(self.is_pdf(page))
        self.assertContains(page, "มาตรการมีการแก้ไขหลังจากจัดทำเอกสารครั้งก่อน")
        self.ask(query)
        self.assertTrue(self.is_pdf(self.get(query)))

    def test_a_measure_edit(self):
        def edit():
            measure = self.plan.measures.first()
            measure.title = "จัดทำคู่มือการยืมทรัพย์สินฉบับปรับปรุง"
            measure.save()

        self.assert_edit_is_noticed(edit)

    def test_a_score_edit(self):
        score = Score.objects.filter(assessment=self.plan.based_on, kind=Score.Kind.INDICATOR).first()
        self.assert_edit_is_noticed(lambda: Score.objects.filter(pk=score.pk).update(value=score.value - Decimal(1)))

    def test_a_finding_edit(self):
        finding = self.plan.findings.get(kind=Finding.Kind.SUMMARY)
        self.assert_edit_is_noticed(lambda: finding.edit("สรุปที่เจ้าหน้าที่เขียนเอง", by=self.alice))

    def test_the_organisation_name(self):
        for name, query in (("เทศบาลตำบลแม่สาย", ""), ("เทศบาลเมืองแม่สาย", "?kind=followup&round=12")):
            rename = lambda name=name: Organization.objects.filter(pk=self.maesai.pk).update(name=name)  # noqa: E731
            self.assert_edit_is_noticed(rename, query)

    def test_a_progress_entry_for_the_followup_report(self):
        def report():
            Progress.objects.create(
                measure=self.plan.measures.first(), date=datetime.date(2024, 2, 1), status="in_progress", percent=30
            )

        self.assert_edit_is_noticed(report, "?kind=followup&round=12")

    def test_the_catalogue_texts(self):
        framework = self.plan.based_on.framework
        recommendation = Recommendation.objects.filter(item__framework=framework).first()
        self.assert_edit_is_noticed(lambda: Recommendation.objects.filter(pk=recommendation.pk).update(action="ใหม่"))
        text = IndicatorText.objects.filter(framework=framework).first()
        self.assert_edit_is_noticed(lambda: IndicatorText.objects.filter(pk=text.pk).update(weakness="ใหม่"))

    def test_the_plan_details(self):
        plan = MeasurePlan.objects.get(pk=self.plan.pk)
        edit = lambda: plan.update_details(by=self.alice, lock_version=plan.lock_version, office="กองคลัง")  # noqa: E731
        self.assert_edit_is_noticed(edit)


class DocumentKeyTests(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567, suggest=False)

    def key_queries(self, kind: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            rendering.fingerprint(self.plan, kind=kind, digits="thai", options={})
        return len(queries.captured_queries)

    def test_the_same_fixed_number_of_queries_for_1_and_30_measures(self):
        Measure.objects.create(plan=self.plan, title="มาตรการเดียว")
        one = {kind: self.key_queries(kind) for kind in DocumentKind.values}
        self.assertEqual(one, {DocumentKind.MEASURES: 11, DocumentKind.FOLLOWUP: 3})
        for n in range(29):
            measure = Measure.objects.create(plan=self.plan, title=f"มาตรการที่ {n}")
            Progress.objects.create(measure=measure, date=datetime.date(2024, 1, 1), percent=n)
        for kind, count in one.items():
            with self.assertNumQueries(count):
                rendering.fingerprint(self.plan, kind=kind, digits="thai", options={})

    def test_the_key_follows_the_options_and_ignores_unprinted_rows(self):
        key = rendering.fingerprint(self.plan, kind="measures", digits="thai", options={})
        self.assertNotEqual(key, rendering.fingerprint(self.plan, kind="measures", digits="arabic", options={}))
        self.assertNotEqual(
            key, rendering.fingerprint(self.plan, kind="measures", digits="thai", options={"with_answers": True})
        )
        # Another organisation's plan or a stranger's unit is not printed, so the key stays.
        make_organization()
        OrgUnit.objects.create(organization=self.maesai, name="กองใหม่")
        self.assertEqual(key, rendering.fingerprint(self.plan, kind="measures", digits="thai", options={}))

    def test_an_unknown_kind_is_refused(self):
        with self.assertRaises(ValueError):
            rendering.fingerprint(self.plan, kind="passwd", digits="thai", options={})
