"""apply_import's writing: progress as the bulk writes proceed, and all or nothing on both write paths.

The PostgreSQL cases run only there (CI runs the suite on PostgreSQL); the ORM cases run everywhere.
"""

import unittest
from decimal import Decimal
from unittest import mock

from django.db import DatabaseError, connection

from ita.importers import load, write
from ita.importers.load import ImportRefused, apply_import
from ita.importers.write import ScoreWrite
from ita.models import Assessment, ImportBatch, Organization, Score, ScoreRevision, ValueSource
from tests.base import BaseTestCase
from tests.ita.importers.test_load import plan_of

HEADER = "รหัสหน่วยงาน,ชื่อหน่วยงาน,จังหวัด,ปีงบประมาณ,IIT,i1,i2,o27"


def national_like(count: int, *, value: str = "80", last: str | None = None) -> str:
    """A file creating `count` organisations with four values each; `last` replaces the last row's o27."""
    rows = [f"N{n:05d},เทศบาลตำบลทดสอบ{n},น่าน,2564,{value},{n % 100},90,100" for n in range(count)]
    if last is not None:
        rows[-1] = rows[-1].rsplit(",", 1)[0] + f",{last}"
    return HEADER + "\n" + "\n".join(rows) + "\n"


def database_state() -> tuple:
    return (
        Organization.objects.count(),
        Assessment.objects.count(),
        Score.objects.count(),
        ScoreRevision.objects.count(),
        ImportBatch.objects.count(),
    )


class ProgressTests(BaseTestCase):
    def test_apply_reports_progress_per_chunk_in_rows_of_the_file(self):
        plan = plan_of(national_like(30), create_orgs=True)
        calls = []
        with mock.patch.object(write, "ORM_CHUNK", 10), mock.patch.object(write, "COPY_CHUNK", 10):
            apply_import(plan, progress=lambda done, total: calls.append((done, total)))
        self.assertEqual({total for _done, total in calls}, {30})
        done = [d for d, _total in calls]
        self.assertEqual(done, sorted(done))  # never goes back
        self.assertEqual(done[-1], 30)
        # 120 values in chunks of 10, then 30 assessments regraded: the bar moves many times on the way.
        self.assertGreaterEqual(len([d for d in done if 0 < d < 30]), 10)

    def test_replacing_values_report_progress_too(self):
        apply_import(plan_of(national_like(20), create_orgs=True))
        plan = plan_of(national_like(20, value="81"))
        self.assertEqual(plan.values_changed, 20)
        calls = []
        with mock.patch.object(write, "ORM_CHUNK", 5), mock.patch.object(write, "COPY_CHUNK", 5):
            apply_import(plan, progress=lambda done, total: calls.append(done))
        self.assertGreaterEqual(len(set(calls)), 4)
        self.assertEqual(calls[-1], 20)

    def test_a_failing_progress_callback_leaves_nothing(self):
        """A worker killed mid-write (here: the callback raising after the first chunk) writes nothing."""
        before = database_state()
        plan = plan_of(national_like(30), create_orgs=True)

        def killed(done: int, total: int) -> None:
            if done:
                raise KeyboardInterrupt

        with mock.patch.object(write, "ORM_CHUNK", 10), mock.patch.object(write, "COPY_CHUNK", 10):
            with self.assertRaises(KeyboardInterrupt):
                apply_import(plan, progress=killed)
        self.assertEqual(database_state(), before)


@unittest.skipUnless(connection.vendor == "postgresql", "the COPY path exists only on PostgreSQL")
class CopyPathTests(BaseTestCase):
    def test_copy_is_the_path_in_use(self):
        self.assertTrue(write.copy_available())

    def test_bad_last_row_of_a_large_file_leaves_nothing(self):
        before = database_state()
        plan = plan_of(national_like(2_000, last="100.01"), create_orgs=True)
        self.assertEqual([error.row for error in plan.errors], [2_001])
        with self.assertRaises(ImportRefused):
            apply_import(plan)
        self.assertEqual(database_state(), before)

    def test_database_failure_during_copy_leaves_nothing(self):
        """The database itself refuses the last row (out of range): the rows copied before it are undone too."""
        before = database_state()
        plan = plan_of(national_like(300), create_orgs=True)
        collect = load._collect_writes

        def with_a_bad_last_value(*args):
            writes = collect(*args)
            last = writes.scores[-1]
            writes.scores.append(ScoreWrite(last.assessment_id, "item", "o1", Decimal("150"), None))
            return writes

        with mock.patch.object(load, "_collect_writes", with_a_bad_last_value):
            with self.assertRaises(DatabaseError):
                apply_import(plan)
        self.assertEqual(database_state(), before)

    def test_failure_while_replacing_leaves_values_and_history_as_they_were(self):
        apply_import(plan_of(national_like(50), create_orgs=True))
        self.alpha_2564.set_scores({("item", "i1"): Decimal("1")}, user=self.alice, source=ValueSource.FORM)
        before, values = database_state(), sorted(Score.objects.values_list("pk", "value", "batch_id"))
        plan = plan_of(national_like(50, value="81"))
        with mock.patch.object(load, "_update_assessments", side_effect=RuntimeError("killed after the writes")):
            with self.assertRaises(RuntimeError):
                apply_import(plan)
        self.assertEqual(database_state(), before)
        self.assertEqual(sorted(Score.objects.values_list("pk", "value", "batch_id")), values)

    def test_two_imports_in_one_transaction_reuse_the_staging_table(self):
        apply_import(plan_of(national_like(5), create_orgs=True))
        apply_import(plan_of(national_like(5, value="81")))
        third = apply_import(plan_of(national_like(5, value="82")))
        self.assertEqual(ScoreRevision.objects.filter(batch=third).count(), 5)
        self.assertEqual(set(Score.objects.filter(code="IIT").values_list("value", flat=True)), {Decimal("82")})
