"""Score history: every replaced or deleted value leaves a ScoreRevision, from an import or from set_scores."""

from decimal import Decimal
from unittest import mock

from ita.importers import write
from ita.importers.load import apply_import
from ita.models import Score, ScoreRevision, ValueSource
from tests.base import BaseTestCase
from tests.ita.importers.test_load import HEADER, plan_of, wide_row

D = Decimal


def revision_row(revision: ScoreRevision) -> tuple:
    return (
        revision.assessment_id,
        revision.kind,
        revision.code,
        revision.old_value,
        revision.old_source,
        revision.old_entered_by,
        revision.old_batch,
        revision.new_value,
        revision.new_source,
        revision.changed_by,
        revision.batch,
    )


class ImportHistoryTests(BaseTestCase):
    """Runs on whichever path the database uses (COPY on PostgreSQL, the ORM on SQLite)."""

    def test_manual_value_overwritten_by_an_import_keeps_its_history(self):
        self.alpha_2564.set_scores({("item", "i1"): D("50")}, user=self.alice, source=ValueSource.FORM)
        typed = Score.objects.get(assessment=self.alpha_2564, code="i1")
        self.assertFalse(ScoreRevision.objects.exists())  # a new value replaces nothing
        batch = apply_import(plan_of(f"{HEADER}\n{wide_row()}\n", user=self.root))
        revision = ScoreRevision.objects.get()
        self.assertEqual(
            revision_row(revision),
            (
                *(self.alpha_2564.pk, "item", "i1", D("50"), ValueSource.FORM, self.alice, None),
                *(D("95"), ValueSource.IMPORT, self.root, batch),
            ),
        )
        self.assertEqual(revision.old_updated_at, typed.updated_at)
        self.assertEqual(Score.objects.get(pk=typed.pk).value, D("95"))

    def test_second_import_names_the_batch_it_replaced(self):
        first = apply_import(plan_of(f"{HEADER}\n{wide_row()}\n"))
        second = apply_import(plan_of(f"{HEADER}\n{wide_row(i1='96', o27='100')}\n", user=self.root))
        revision = ScoreRevision.objects.get()
        self.assertEqual(
            revision_row(revision),
            (
                *(self.alpha_2564.pk, "item", "i1", D("95"), ValueSource.IMPORT, None, first),
                *(D("96"), ValueSource.IMPORT, self.root, second),
            ),
        )
        self.assertEqual((second.values_changed, second.values_unchanged), (1, 13))

    def test_reimporting_the_same_file_writes_no_history(self):
        self.alpha_2564.set_scores({("item", "i1"): D("50")}, user=self.alice, source=ValueSource.FORM)
        text = f"{HEADER}\n{wide_row()}\n{wide_row('BETA')}\n"
        apply_import(plan_of(text))
        self.assertEqual(ScoreRevision.objects.count(), 1)
        again = apply_import(plan_of(text))
        self.assertEqual(ScoreRevision.objects.count(), 1)
        self.assertFalse(ScoreRevision.objects.filter(batch=again).exists())

    def test_every_changed_value_of_a_large_import_gets_one_revision(self):
        rows = "".join(f"{wide_row(code)}\n" for code in ("ALPHA", "BETA"))
        apply_import(plan_of(f"{HEADER}\n{rows}"))
        changed = "".join(f"{wide_row(code, i1='80', o27='70')}\n" for code in ("ALPHA", "BETA"))
        batch = apply_import(plan_of(f"{HEADER}\n{changed}"))
        revisions = ScoreRevision.objects.filter(batch=batch).order_by("assessment_id", "code")
        self.assertEqual(
            [(r.assessment_id, r.code, r.old_value, r.new_value) for r in revisions],
            [
                (self.alpha_2564.pk, "i1", D("95"), D("80")),
                (self.alpha_2564.pk, "o27", D("100"), D("70")),
                (self.beta_2564.pk, "i1", D("95"), D("80")),
                (self.beta_2564.pk, "o27", D("100"), D("70")),
            ],
        )


class OrmPathHistoryTests(ImportHistoryTests):
    """The same cases through the Django ORM writer, which SQLite uses, also when the database is PostgreSQL."""

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(write, "USE_COPY", False)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_orm_path_is_in_use(self):
        self.assertFalse(write.copy_available())


class SetScoresHistoryTests(BaseTestCase):
    def test_changes_and_deletions_are_recorded_unchanged_and_new_values_are_not(self):
        assessment = self.alpha_2564
        assessment.set_scores(
            {("item", "i1"): D("50"), ("item", "i2"): D("60"), ("tool", "IIT"): D("70")},
            user=self.alice,
            source=ValueSource.FORM,
        )
        self.assertFalse(ScoreRevision.objects.exists())
        touched = assessment.set_scores(
            {
                ("item", "i1"): D("55"),  # changed
                ("item", "i2"): None,  # deleted
                ("tool", "IIT"): D("70.00"),  # unchanged
                ("item", "i3"): D("80"),  # new
                ("item", "i4"): None,  # nothing to delete
            },
            user=self.root,
            source=ValueSource.ADMIN,
        )
        self.assertEqual(touched, 3)
        revisions = ScoreRevision.objects.order_by("code")
        self.assertEqual(
            [revision_row(r) for r in revisions],
            [
                (assessment.pk, "item", "i1", D("50"), "form", self.alice, None, D("55"), "admin", self.root, None),
                (assessment.pk, "item", "i2", D("60"), "form", self.alice, None, None, "admin", self.root, None),
            ],
        )
        self.assertEqual(
            assessment.score_values(), {("item", "i1"): D("55"), ("tool", "IIT"): D("70"), ("item", "i3"): D("80")}
        )

    def test_revision_keeps_the_replaced_rows_batch_and_time(self):
        batch = apply_import(plan_of(f"{HEADER}\n{wide_row()}\n"))
        imported = Score.objects.get(assessment=self.alpha_2564, code="o27")
        self.alpha_2564.set_scores({("item", "o27"): D("10")}, user=self.alice, source=ValueSource.FORM)
        revision = ScoreRevision.objects.get()
        self.assertEqual((revision.old_batch, revision.old_source, revision.batch), (batch, ValueSource.IMPORT, None))
        self.assertEqual(revision.old_updated_at, imported.updated_at)
        self.assertEqual(revision.new_value, D("10"))

    def test_no_history_when_nothing_changes(self):
        values = {("item", "i1"): D("50")}
        self.alpha_2564.set_scores(values, user=self.alice, source=ValueSource.FORM)
        self.assertEqual(self.alpha_2564.set_scores(values, user=self.alice, source=ValueSource.FORM), 0)
        self.assertFalse(ScoreRevision.objects.exists())
