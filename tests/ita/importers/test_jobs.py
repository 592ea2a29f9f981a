"""The job workflow and its tasks: enqueue on commit, idempotent re-delivery, retry after a lost worker."""

import hashlib
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ita import tasks
from ita.importers import jobs as import_jobs
from ita.models import ImportBatch, ImportJob, Item, Score
from tests.base import BaseTestCase
from tests.ita.importers.helpers import HEADER, wide_row

Status = ImportJob.Status
GOOD = f"{HEADER}\n{wide_row()}\n".encode()


class JobWorkflowTests(BaseTestCase):
    def start(self, content: bytes = GOOD, **kwargs) -> ImportJob:
        kwargs.setdefault("user", self.alice)
        kwargs.setdefault("organization", self.alpha)
        with self.captureOnCommitCallbacks(execute=True):
            job = import_jobs.start_import(filename="ผล.csv", content=content, **kwargs)
        job.refresh_from_db()
        return job

    def confirmed(self) -> ImportJob:
        job = self.start()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(import_jobs.confirm_import(job=job, user=self.alice))
        job.refresh_from_db()
        return job

    def test_planning_is_enqueued_on_commit(self):
        with self.captureOnCommitCallbacks() as callbacks:
            job = import_jobs.start_import(user=self.alice, organization=self.alpha, filename="ผล.csv", content=GOOD)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PLANNING)
        callbacks[0]()
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PREVIEW)

    def test_nothing_is_enqueued_when_the_transaction_rolls_back(self):
        with self.captureOnCommitCallbacks() as callbacks:
            with self.assertRaises(RuntimeError), transaction.atomic():
                import_jobs.start_import(user=self.alice, organization=self.alpha, filename="ผล.csv", content=GOOD)
                raise RuntimeError("rolled back")
        self.assertEqual(callbacks, [])
        self.assertFalse(ImportJob.objects.exists())

    def test_upload_is_stored_with_its_sha256(self):
        job = self.start()
        self.assertEqual(bytes(job.content), GOOD)
        self.assertEqual(job.sha256, hashlib.sha256(GOOD).hexdigest())
        self.assertEqual((job.rows_done, job.rows_total), (1, 1))
        self.assertIsNotNone(job.started_at)

    def test_staff_imports_need_their_organisation_and_never_create_organisations(self):
        with self.assertRaises(PermissionDenied):
            import_jobs.start_import(user=self.alice, filename="ผล.csv", content=GOOD)
        job = self.start(create_orgs=True)
        self.assertFalse(job.create_orgs)

    def test_redelivered_plan_task_does_nothing_once_planned(self):
        job = self.start()
        with mock.patch.object(import_jobs, "plan_import") as plan:
            tasks.plan_import_job(job.pk)
            tasks.plan_import_job(999_999)
        plan.assert_not_called()
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PREVIEW)

    def test_redelivered_apply_task_after_done_is_a_no_op(self):
        job = self.confirmed()
        self.assertEqual(job.status, Status.DONE)
        with mock.patch.object(import_jobs, "apply_import") as apply:
            tasks.apply_import_job(job.pk)
        apply.assert_not_called()
        self.assertEqual(ImportBatch.objects.count(), 1)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).batch, job.batch)

    def test_apply_task_for_a_job_never_confirmed_does_nothing(self):
        job = self.start()
        tasks.apply_import_job(job.pk)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PREVIEW)
        self.assertFalse(Score.objects.exists())

    def test_apply_replans_and_turns_invalid_when_the_database_changed(self):
        job = self.start()
        Item.objects.filter(framework=self.framework, code="o27").delete()
        with self.captureOnCommitCallbacks(execute=True):
            import_jobs.confirm_import(job=job, user=self.alice)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual(job.message, import_jobs.CHANGED_MESSAGE)
        self.assertIn("o27", job.errors[0]["message"])
        self.assertFalse(Score.objects.exists())

    def test_apply_never_trusts_the_preview(self):
        job = self.start()
        ImportJob.objects.filter(pk=job.pk).update(preview={"rows": 1, "values_created": 999})
        with self.captureOnCommitCallbacks(execute=True):
            import_jobs.confirm_import(job=job, user=self.alice)
        job.refresh_from_db()
        self.assertEqual((job.status, job.batch.values_created), (Status.DONE, 14))

    def test_an_import_killed_halfway_leaves_nothing(self):
        job = self.start()
        real_apply = import_jobs.apply_import

        def apply_then_die(plan, **kwargs):
            real_apply(plan, **kwargs)
            raise RuntimeError("worker lost")

        with mock.patch.object(import_jobs, "apply_import", side_effect=apply_then_die):
            with self.captureOnCommitCallbacks(execute=True):
                import_jobs.confirm_import(job=job, user=self.alice)
        job.refresh_from_db()
        self.assertEqual((job.status, job.message), (Status.FAILED, import_jobs.FAILED_MESSAGE))
        self.assertFalse(Score.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_job_left_applying_by_a_lost_worker_is_retried_once(self):
        job = self.start()
        ImportJob.objects.filter(pk=job.pk).update(status=Status.APPLYING, preview={**job.preview, "apply_attempts": 1})
        tasks.apply_import_job(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.DONE)
        # 14 values: overall and level go on the assessment, the other 12 are Score rows of this batch.
        self.assertEqual(Score.objects.filter(batch=job.batch).count(), 12)

    def test_a_second_loss_fails_the_job_with_a_reason(self):
        job = self.start()
        ImportJob.objects.filter(pk=job.pk).update(status=Status.APPLYING, preview={**job.preview, "apply_attempts": 2})
        tasks.apply_import_job(job.pk)
        job.refresh_from_db()
        self.assertEqual((job.status, job.message), (Status.FAILED, import_jobs.INTERRUPTED_MESSAGE))
        self.assertFalse(Score.objects.exists())

    def test_planning_interrupted_twice_fails_instead_of_looping(self):
        with self.captureOnCommitCallbacks() as callbacks:
            job = import_jobs.start_import(user=self.alice, organization=self.alpha, filename="ผล.csv", content=GOOD)
        with mock.patch.object(import_jobs, "read_and_plan", side_effect=SystemExit("worker killed")):
            with self.assertRaises(SystemExit):
                callbacks[0]()
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PLANNING)
        tasks.plan_import_job(job.pk)  # the re-delivered task: second attempt succeeds
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.PREVIEW)

    def test_planning_lost_twice_is_failed_with_a_reason(self):
        fields = {"filename": "ผล.csv", "sha256": "a" * 64, "content": GOOD, "preview": {"plan_attempts": 2}}
        job = ImportJob.objects.create(created_by=self.alice, organization=self.alpha, **fields)
        tasks.plan_import_job(job.pk)
        job.refresh_from_db()
        self.assertEqual((job.status, job.message), (Status.FAILED, import_jobs.PLAN_INTERRUPTED_MESSAGE))

    def test_cancel_only_from_preview(self):
        job = self.confirmed()
        self.assertFalse(import_jobs.cancel_import(job=job, user=self.alice))
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.DONE)


class ProgressTests(BaseTestCase):
    def setUp(self):
        cache.clear()  # job ids repeat from test to test, and the cache outlives each test's rollback
        self.job = ImportJob.objects.create(
            created_by=self.alice, organization=self.alpha, filename="ผล.csv", sha256="a" * 64, content=b"x"
        )

    def test_progress_is_saved_at_most_once_a_second(self):
        ticks = iter([100.0, 100.4, 101.5, 101.6])
        saver = import_jobs.ProgressSaver(self.job.pk, clock=lambda: next(ticks))
        saver(1000, 5000)
        saver(2000, 5000)  # 0.4 s later: skipped
        self.assertEqual(ImportJob.objects.get(pk=self.job.pk).rows_done, 1000)
        saver(3000, 5000)
        saver(5000, 5000)  # the last call is always saved
        self.job.refresh_from_db()
        self.assertEqual((self.job.rows_done, self.job.rows_total), (5000, 5000))

    def test_apply_phases_share_one_bar(self):
        checking = import_jobs.ProgressSaver(self.job.pk, start=0.0, share=0.5)
        writing = import_jobs.ProgressSaver(self.job.pk, start=0.5, share=0.5)
        checking(400, 400)
        self.assertEqual(ImportJob.objects.get(pk=self.job.pk).rows_done, 200)
        writing(400, 400)
        self.assertEqual(ImportJob.objects.get(pk=self.job.pk).rows_done, 400)

    def test_rate_and_time_left(self):
        self.job.status = Status.APPLYING
        self.job.started_at = timezone.now() - timedelta(seconds=10)
        self.job.rows_done, self.job.rows_total = 100, 300
        progress = import_jobs.progress_of(self.job)
        self.assertAlmostEqual(progress.rows_per_second, 10, delta=0.5)
        self.assertAlmostEqual(progress.seconds_left, 20, delta=1)
        self.assertEqual(progress.percent, 33)

    def test_a_finished_job_has_no_rate(self):
        self.job.status, self.job.rows_done, self.job.rows_total = Status.DONE, 300, 300
        self.job.started_at = timezone.now() - timedelta(seconds=10)
        progress = import_jobs.progress_of(self.job)
        self.assertEqual((progress.rows_per_second, progress.seconds_left, progress.percent), (None, None, 100))
