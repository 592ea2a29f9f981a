"""C1 and C2 with a real worker: SIGKILL the pool child (or the whole worker) by its PID mid-import and mid-render.

Each test starts `python -m tests.faults.worker` (the project's Celery worker, prefork, one child;
see that module for the test-only pause and PID marks) against Redis and a database shared with
this process, and kills it at a known point. Skipped, with the reason, when Redis is not reachable.
"""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import pytest
from django.db import transaction
from django.test import TransactionTestCase

from ita.importers import jobs as import_jobs
from ita.models import ImportBatch, ImportJob, Membership, Score
from measures.plans import create_plan
from reports import rendering
from reports.models import DocumentKind, RenderedDocument, RenderStatus
from tests.factory import make_assessment, make_framework, make_organization, make_user
from tests.faults import harness
from tests.ita.importers.helpers import HEADER, wide_row

pytestmark = pytest.mark.slow

Status = ImportJob.Status
GOOD = f"{HEADER}\n{wide_row()}\n".encode()
SCORES_IN_GOOD = 12  # ten indicators, i1 and o27
PAUSE = 2.0  # seconds a child waits at the kill point (tests/faults/worker.py)
JOB_TIMEOUT = 25.0


class WorkerTestCase(TransactionTestCase):
    """A committed database the worker shares, a queue of its own, and one started worker per test."""

    @classmethod
    def setUpClass(cls):
        cls.broker = harness.broker_url()
        problem = harness.broker_problem(cls.broker) or harness.database_problem()
        if problem:
            raise unittest.SkipTest(problem)
        super().setUpClass()
        cls._folder = tempfile.TemporaryDirectory(prefix="ita-faults-")
        cls.folder = Path(cls._folder.name)
        cls._database = harness.shared_database(cls.folder)
        cls.database_url = cls._database.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls._database.__exit__(None, None, None)
        cls._folder.cleanup()
        super().tearDownClass()

    def setUp(self):
        self.framework = make_framework(2564)
        self.alpha = make_organization(code="ALPHA", name="เทศบาลตำบลอัลฟา")
        self.alice = make_user("alice", organization=self.alpha, role=Membership.Role.STAFF)
        self.queue = harness.new_queue()
        folder = self.folder / self.queue
        folder.mkdir()
        self.worker = harness.Worker(
            queue=self.queue, broker=self.broker, database_url=self.database_url, folder=folder, pause=PAUSE
        )
        self.addCleanup(harness.delete_queue, self.broker, self.queue)
        self.addCleanup(self.worker.stop)  # cleanups run before the database is flushed
        sending = harness.sending_to(self.broker, self.queue)
        sending.__enter__()
        self.addCleanup(sending.__exit__, None, None, None)
        self.worker.start()

    # --- imports ---

    def start_import(self) -> ImportJob:
        return import_jobs.start_import(user=self.alice, organization=self.alpha, filename="ผล.csv", content=GOOD)

    def wait_status(self, job: ImportJob, *statuses: str) -> ImportJob:
        def reached() -> bool:
            return ImportJob.objects.filter(pk=job.pk, status__in=statuses).exists()

        harness.wait_for(reached, JOB_TIMEOUT, f"job {job.pk} to be {'/'.join(statuses)}", self.worker)
        return ImportJob.objects.get(pk=job.pk)

    def confirmed(self) -> ImportJob:
        job = self.wait_status(self.start_import(), Status.PREVIEW)
        self.assertTrue(import_jobs.confirm_import(job=job, user=self.alice))
        return job

    def assert_nothing_written(self) -> None:
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(Score.objects.exists())


class ImportKillTests(WorkerTestCase):
    def test_pool_child_killed_while_writing_then_the_job_is_written_exactly_once(self):
        job = self.confirmed()
        first = self.worker.wait_for_mark("apply", 1)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.APPLYING)
        harness.kill_pid(first.pid)

        second = self.worker.wait_for_mark("apply", 2)  # acks_late + reject_on_worker_lost: delivered again
        self.assertNotEqual(second.pid, first.pid)
        job = self.wait_status(job, Status.DONE, Status.FAILED)
        self.assertEqual((job.status, job.message, job.preview["apply_attempts"]), (Status.DONE, "", 2))
        self.assertEqual(ImportBatch.objects.get().pk, job.batch_id)
        self.assertEqual(Score.objects.count(), SCORES_IN_GOOD)  # the killed attempt's rows were rolled back
        self.assertEqual(Score.objects.filter(batch=job.batch).count(), SCORES_IN_GOOD)
        self.assertEqual(len(self.worker.marks("apply")), 2)

    def test_killed_twice_then_failed_with_a_reason_and_nothing_written(self):
        job = self.confirmed()
        harness.kill_pid(self.worker.wait_for_mark("apply", 1).pid)
        harness.kill_pid(self.worker.wait_for_mark("apply", 2).pid)

        job = self.wait_status(job, Status.DONE, Status.FAILED)
        self.assertEqual((job.status, job.message), (Status.FAILED, import_jobs.INTERRUPTED_MESSAGE))
        self.assertIsNotNone(job.finished_at)
        self.assert_nothing_written()
        self.assertEqual(len(self.worker.marks("apply")), 2)  # the third delivery only recorded the failure

    def test_whole_worker_killed_then_a_new_worker_finishes_the_job(self):
        job = self.confirmed()
        child = self.worker.wait_for_mark("apply", 1)
        self.worker.kill_main()  # the host is lost: main process first, then its pool child
        harness.kill_pid(child.pid)
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.APPLYING)
        self.assert_nothing_written()

        self.worker.start()  # the unacknowledged message comes back after the visibility timeout
        job = self.wait_status(job, Status.DONE, Status.FAILED)
        self.assertEqual((job.status, job.preview["apply_attempts"]), (Status.DONE, 2))
        self.assertEqual(ImportBatch.objects.count(), 1)
        self.assertEqual(Score.objects.count(), SCORES_IN_GOOD)


class EnqueueOnCommitTests(WorkerTestCase):
    def test_a_task_enqueued_in_a_rolled_back_transaction_never_reaches_the_worker(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            self.start_import()
            raise RuntimeError("rolled back")
        committed = self.wait_status(self.start_import(), Status.PREVIEW)
        # One queue, one consumer, in order: had the first message been sent, it would have arrived first.
        self.assertEqual(self.worker.received("ita.plan_import_job"), 1)
        self.assertEqual(list(ImportJob.objects.values_list("pk", flat=True)), [committed.pk])


class RenderKillTests(WorkerTestCase):
    def test_pool_child_killed_mid_render_then_the_pdf_is_made_exactly_once(self):
        make_assessment(self.alpha, self.framework)
        plan = create_plan(organization=self.alpha, fiscal_year=2565, by=self.alice, suggest=False)
        document = rendering.request_document(plan=plan, kind=DocumentKind.MEASURES)
        self.assertEqual(document.status, RenderStatus.PENDING)
        first = self.worker.wait_for_mark("render", 1)
        harness.kill_pid(first.pid)

        self.assertNotEqual(self.worker.wait_for_mark("render", 2).pid, first.pid)

        def finished() -> bool:
            return RenderedDocument.objects.filter(pk=document.pk).exclude(status=RenderStatus.PENDING).exists()

        harness.wait_for(finished, JOB_TIMEOUT, "the render to finish", self.worker)
        document.refresh_from_db()
        self.assertEqual((document.status, document.message), (RenderStatus.DONE, ""))
        self.assertTrue(bytes(document.pdf).startswith(b"%PDF"))
        self.assertEqual(RenderedDocument.objects.count(), 1)
        self.assertEqual(len(self.worker.marks("render")), 2)
