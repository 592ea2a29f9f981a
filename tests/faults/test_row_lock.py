"""PostgreSQL: a job row locked by a live write is left alone by a second delivery and by the sweep."""

from __future__ import annotations

import threading
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, connections, transaction
from django.test import TransactionTestCase
from django.utils import timezone

from ita.importers import jobs as import_jobs
from ita.importers import sweep as job_sweep
from ita.models import ImportJob, Membership
from tests.factory import make_framework, make_organization, make_user

Status = ImportJob.Status


@contextmanager
def row_locked_elsewhere(job_id: int) -> Iterator[Callable[[float], None]]:
    """Hold the job row locked from another connection (as _lock_while_writing does in a worker).

    Yields release_soon(seconds): the other connection lets go that long after the call.
    """
    locked, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                list(ImportJob.objects.select_for_update().filter(pk=job_id).values_list("pk"))
                locked.set()
                release.wait(timeout=30)
        except BaseException as error:  # reported in the test's thread
            failures.append(error)
            locked.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert locked.wait(timeout=10), "the other connection never took the lock"
        assert not failures, failures
        yield lambda seconds: threading.Timer(seconds, release.set).start()
    finally:
        release.set()
        thread.join(timeout=10)


class RowLockTests(TransactionTestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("row locks (SELECT … FOR UPDATE SKIP LOCKED) need PostgreSQL; SQLite has none")
        alpha = make_organization(code="ALPHA")
        alice = make_user("alice", organization=alpha, role=Membership.Role.STAFF)
        long_ago = timezone.now() - job_sweep.RUN_LIMIT - timedelta(minutes=1)
        self.job = ImportJob.objects.create(
            created_by=alice,
            organization=alpha,
            filename="ผล.csv",
            sha256="0" * 64,
            content=b"x",
            status=Status.APPLYING,
        )
        ImportJob.objects.filter(pk=self.job.pk).update(
            started_at=long_ago, updated_at=long_ago, preview={"apply_attempts": 1}
        )

    def test_a_second_delivery_does_not_take_a_job_being_written(self):
        with row_locked_elsewhere(self.job.pk):
            self.assertIsNone(import_jobs._claim_for_apply(self.job.pk))
        job = ImportJob.objects.get(pk=self.job.pk)
        self.assertEqual((job.status, job.preview["apply_attempts"]), (Status.APPLYING, 1))

    def test_the_sweep_skips_a_locked_job_and_fails_it_once_the_lock_is_gone(self):
        with row_locked_elsewhere(self.job.pk):
            self.assertFalse(job_sweep.sweep_stale_jobs().changed)  # and it did not wait for the lock
        self.assertEqual(job_sweep.sweep_stale_jobs().failed, [self.job.pk])

    def test_the_claim_retries_an_unlocked_job_left_applying(self):
        claimed = import_jobs._claim_for_apply(self.job.pk)
        self.assertEqual((claimed.status, claimed.preview["apply_attempts"]), (Status.APPLYING, 2))


class QueuedClaimTests(TransactionTestCase):
    """Issue 14 (6): a confirmed job whose row is locked when its task claims it is retried or waited for,
    never left QUEUED for the sweep."""

    def setUp(self):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("row locks need PostgreSQL; SQLite has none")
        alpha = make_organization(code="ALPHA")
        self.alice = make_user("alice", organization=alpha, role=Membership.Role.STAFF)
        make_framework(2564)
        content = "รหัสหน่วยงาน,ปีงบประมาณ,IIT\nALPHA,2564,80\n".encode()
        self.job = ImportJob.objects.create(
            created_by=self.alice, organization=alpha, filename="ผล.csv", sha256="0" * 64, content=content,
            size=len(content), status=Status.QUEUED,
        )  # fmt: skip

    def test_without_waiting_the_claim_asks_to_be_retried_and_leaves_the_job_untouched(self):
        with row_locked_elsewhere(self.job.pk), self.assertRaises(import_jobs.ClaimBusy):
            import_jobs._claim_for_apply(self.job.pk)
        self.assertEqual(ImportJob.objects.get(pk=self.job.pk).status, Status.QUEUED)

    def test_the_waiting_claim_takes_the_job_once_the_lock_is_released(self):
        with row_locked_elsewhere(self.job.pk) as release_soon:
            release_soon(0.3)
            claimed = import_jobs._claim_for_apply(self.job.pk, wait=True)
        self.assertEqual(claimed.status, Status.APPLYING)

    def test_the_task_run_in_the_request_ends_the_job_although_its_row_was_locked(self):
        with row_locked_elsewhere(self.job.pk) as release_soon:
            release_soon(0.3)
            import_jobs.apply_import_job.apply(args=[self.job.pk])
        job = ImportJob.objects.get(pk=self.job.pk)
        self.assertEqual(job.status, Status.DONE, job.message or job.errors)
