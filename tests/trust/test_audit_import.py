"""A6 for imports: one AuditEvent per assessment an import created or changed, written in one bulk insert,
each pointing at the import batch (the per-value old → new stays in ScoreRevision, on the same batch)."""

from decimal import Decimal

from django.urls import reverse

from ita.importers.load import apply_import
from ita.models import Assessment, AuditEvent, ScoreRevision, Source, ValueSource
from tests.base import BaseTestCase
from tests.factory import make_organization
from tests.ita.importers.test_load import HEADER, plan_of, wide_row


class ImportAuditTests(BaseTestCase):
    def test_each_changed_assessment_gets_one_event_naming_the_batch(self):
        self.alpha_2564.set_scores({("item", "i1"): Decimal("50")}, user=self.alice, source=ValueSource.FORM)
        gamma = make_organization(code="GAMMA")
        text = f"{HEADER}\n{wide_row()}\n{wide_row('BETA')}\n{wide_row('GAMMA', overall='80', level='B')}\n"
        batch = apply_import(plan_of(text, user=self.root))
        events = {event.object_id: event for event in AuditEvent.objects.filter(batch=batch)}
        gamma_2564 = Assessment.objects.get(organization=gamma, fiscal_year=2564)
        self.assertEqual(set(events), {self.alpha_2564.pk, self.beta_2564.pk, gamma_2564.pk})
        alpha = events[self.alpha_2564.pk]
        self.assertEqual((alpha.source, alpha.user, alpha.action), (Source.IMPORT, self.root, "import"))
        self.assertEqual((alpha.subject_type, alpha.organization_id), ("assessment", self.alpha.pk))
        # ten indicators and o27 are new; i1 replaced the typed 50
        self.assertEqual(alpha.changes["counts"], {"values_created": 11, "values_changed": 1})
        self.assertEqual(alpha.changes["official_overall"], {"label": "คะแนนรวม (ทางการ)", "old": None, "new": "90"})
        self.assertEqual(events[gamma_2564.pk].action, "create")
        self.assertIn("ผล.csv", alpha.summary)
        self.assertEqual(ScoreRevision.objects.get().batch, batch)

    def test_events_are_written_in_one_statement(self):
        for n in range(5):
            make_organization(code=f"BULK{n}")
        rows = "\n".join(wide_row(f"BULK{n}") for n in range(5))
        plan = plan_of(f"{HEADER}\n{rows}\n", create_orgs=False)
        with self.captureQueries() as queries:
            apply_import(plan)
        inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "ita_auditevent"')]
        self.assertEqual(len(inserts), 1)
        self.assertEqual(AuditEvent.objects.count(), 5)

    def test_an_unchanged_reimport_adds_no_event(self):
        text = f"{HEADER}\n{wide_row()}\n"
        apply_import(plan_of(text))
        second = apply_import(plan_of(text))
        self.assertFalse(AuditEvent.objects.filter(batch=second).exists())

    def test_the_history_tab_names_the_file(self):
        apply_import(plan_of(f"{HEADER}\n{wide_row()}\n", user=self.root))
        self.client.force_login(self.alice)
        response = self.client.get(reverse("ita:assessment_detail", args=[self.alpha_2564.pk]), {"tab": "history"})
        self.assertContains(response, "นำเข้าไฟล์ · ไฟล์ ผล.csv")

    def captureQueries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        return CaptureQueriesContext(connection)
