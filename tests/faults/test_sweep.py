"""C1 without a worker: the sweep ends jobs nobody will finish, or sends them once more, at frozen times."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.utils import timezone

from ita import tasks
from ita.importers import jobs as import_jobs
from ita.importers import sweep as job_sweep
from ita.models import ImportBatch, ImportJob, Score
from tests.base import BaseTestCase
from tests.faults import harness
from tests.ita.importers.helpers import HEADER, wide_row

Status = ImportJob.Status
GOOD = f"{HEADER}\n{wide_row()}\n".encode()


class SweepTestCase(BaseTestCase):
    def setUp(self):
        self.now = timezone.now()
        self.enterContext(harness.in_process())

    def job(self, status: str, *, silent: timedelta, started: bool = True, **fields) -> ImportJob:
        """A job in `status` whose last heartbeat was `silent` before self.now."""
        job = ImportJob.objects.create(
            created_by=self.alice,
            organization=self.alpha,
            filename="ผล.csv",
            sha256="0" * 64,
            content=GOOD,
            status=status,
            started_at=self.now - silent if started else None,
            **fields,
        )
        ImportJob.objects.filter(pk=job.pk).update(updated_at=self.now - silent)
        return job

    def sweep(self, *, execute: bool = True, after: timedelta = timedelta(0)) -> job_sweep.SweepResult:
        with self.captureOnCommitCallbacks(execute=execute):
            return job_sweep.sweep_stale_jobs(now=self.now + after)

    def state(self, job: ImportJob) -> tuple[str, str]:
        job.refresh_from_db()
        return job.status, job.message


class RunningJobTests(SweepTestCase):
    def test_applying_job_without_heartbeat_past_the_limit_fails_with_a_thai_reason(self):
        stuck = self.job(Status.APPLYING, silent=job_sweep.RUN_LIMIT)
        result = self.sweep()
        self.assertEqual((result.failed, result.requeued), ([stuck.pk], []))
        self.assertEqual(self.state(stuck), (Status.FAILED, job_sweep.STALLED_MESSAGE))
        self.assertEqual(stuck.finished_at, self.now)
        self.assertFalse(ImportBatch.objects.exists())

    def test_running_jobs_inside_the_limit_are_left_alone(self):
        applying = self.job(Status.APPLYING, silent=job_sweep.RUN_LIMIT - timedelta(seconds=1))
        planning = self.job(Status.PLANNING, silent=job_sweep.RUN_LIMIT - timedelta(seconds=1))
        self.assertFalse(self.sweep().changed)
        self.assertEqual(self.state(applying)[0], Status.APPLYING)
        self.assertEqual(self.state(planning)[0], Status.PLANNING)

    def test_the_limit_is_longer_than_the_hard_time_limit_of_a_task(self):
        self.assertGreater(job_sweep.RUN_LIMIT, import_jobs.PHASE_HARD_LIMIT)
        self.assertEqual(tasks.apply_import_job.time_limit, import_jobs.PHASE_HARD_LIMIT.total_seconds())
        self.assertLess(tasks.plan_import_job.soft_time_limit, tasks.plan_import_job.time_limit)

    def test_started_planning_without_heartbeat_fails(self):
        stuck = self.job(Status.PLANNING, silent=job_sweep.RUN_LIMIT, preview={"plan_attempts": 1})
        self.assertEqual(self.sweep().failed, [stuck.pk])
        self.assertEqual(self.state(stuck), (Status.FAILED, job_sweep.STALLED_MESSAGE))

    def test_finished_jobs_are_never_touched_however_old(self):
        finished = [self.job(s, silent=timedelta(days=30)) for s in (Status.DONE, Status.PREVIEW, Status.INVALID)]
        self.assertFalse(self.sweep().changed)
        self.assertEqual([self.state(job)[0] for job in finished], [Status.DONE, Status.PREVIEW, Status.INVALID])

    def test_progress_saves_are_a_heartbeat(self):
        stuck = self.job(Status.APPLYING, silent=job_sweep.RUN_LIMIT)
        import_jobs.ProgressSaver(stuck.pk)(1, 10)
        self.assertFalse(job_sweep.sweep_stale_jobs().changed)  # real time: the save just moved updated_at
        self.assertEqual(self.state(stuck)[0], Status.APPLYING)


class WaitingJobTests(SweepTestCase):
    def test_a_queued_job_is_sent_once_more_then_written_exactly_once(self):
        planned = self.job(Status.PLANNING, silent=timedelta(0), started=False)
        with self.captureOnCommitCallbacks(execute=True):
            import_jobs.plan_job(planned.pk)
        with self.captureOnCommitCallbacks(execute=False):  # the broker loses the apply message
            import_jobs.confirm_import(job=planned, user=self.alice)
        ImportJob.objects.filter(pk=planned.pk).update(updated_at=self.now - job_sweep.WAIT_LIMIT)
        self.assertEqual(self.sweep().requeued, [planned.pk])
        planned.refresh_from_db()
        self.assertEqual(planned.status, Status.DONE)
        self.assertEqual(ImportBatch.objects.count(), 1)
        # Ten indicators, i1 and o27 as scores (the overall score and level live on the assessment).
        self.assertEqual(Score.objects.filter(batch=planned.batch).count(), 12)

    def test_a_waiting_job_is_sent_once_only_then_fails(self):
        waiting = self.job(Status.QUEUED, silent=job_sweep.WAIT_LIMIT, started=False)
        result = self.sweep(execute=False)
        self.assertEqual(result.requeued, [waiting.pk])
        waiting.refresh_from_db()
        self.assertEqual(
            (waiting.status, waiting.preview["requeued"], waiting.updated_at), (Status.QUEUED, 1, self.now)
        )
        self.assertFalse(self.sweep(execute=False, after=job_sweep.WAIT_LIMIT - timedelta(seconds=1)).changed)
        self.assertEqual(self.sweep(execute=False, after=job_sweep.WAIT_LIMIT).failed, [waiting.pk])
        self.assertEqual(self.state(waiting), (Status.FAILED, job_sweep.NEVER_STARTED_MESSAGE))

    def test_requeue_sends_the_task_of_the_jobs_phase_after_commit(self):
        planning = self.job(Status.PLANNING, silent=job_sweep.WAIT_LIMIT, started=False)
        queued = self.job(Status.QUEUED, silent=job_sweep.WAIT_LIMIT, started=False)
        with (
            mock.patch.object(tasks.plan_import_job, "delay") as plan,
            mock.patch.object(tasks.apply_import_job, "delay") as apply,
        ):
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                job_sweep.sweep_stale_jobs(now=self.now)
            plan.assert_not_called()  # nothing leaves before commit (C2)
            for callback in callbacks:
                callback()
        plan.assert_called_once_with(planning.pk)
        apply.assert_called_once_with(queued.pk)

    def test_a_planning_job_sent_again_is_planned(self):
        planning = self.job(Status.PLANNING, silent=job_sweep.WAIT_LIMIT, started=False)
        self.assertEqual(self.sweep().requeued, [planning.pk])
        self.assertEqual(self.state(planning)[0], Status.PREVIEW)


class PageCheckTests(SweepTestCase):
    def test_a_healthy_job_costs_no_query(self):
        job = self.job(Status.APPLYING, silent=timedelta(minutes=1))
        job.refresh_from_db()
        with self.assertNumQueries(0):
            self.assertEqual(job_sweep.as_swept(job, now=self.now).status, Status.APPLYING)

    def test_a_stuck_job_reads_as_failed_on_its_page_and_the_sweep_records_it(self):
        # Was: the page read failed the job in the database. A GET never writes now: the page shows
        # the sweep's verdict, and the sweep itself (manage.py sweep_jobs, beat) writes it.
        job = self.job(Status.APPLYING, silent=job_sweep.RUN_LIMIT)
        job.refresh_from_db()
        with self.assertNumQueries(0):
            shown = job_sweep.as_swept(job, now=self.now)
        self.assertEqual((shown.status, shown.message), (Status.FAILED, job_sweep.STALLED_MESSAGE))
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, Status.APPLYING)
        self.assertEqual(self.sweep().failed, [job.pk])
        self.assertEqual(self.state(job), (Status.FAILED, job_sweep.STALLED_MESSAGE))

    def test_a_waiting_job_the_sweep_would_send_again_still_reads_as_waiting(self):
        job = self.job(Status.QUEUED, silent=job_sweep.WAIT_LIMIT, started=False)
        job.refresh_from_db()
        self.assertEqual(job_sweep.as_swept(job, now=self.now).status, Status.QUEUED)
        job.preview = {"requeued": 1}  # sent once already: the sweep would now give up
        self.assertEqual(job_sweep.as_swept(job, now=self.now).message, job_sweep.NEVER_STARTED_MESSAGE)


class TimeLimitTests(SweepTestCase):
    def test_soft_time_limit_while_planning_fails_with_the_time_limit_reason(self):
        job = self.job(Status.PLANNING, silent=timedelta(0), started=False)
        with mock.patch.object(import_jobs, "read_and_plan", side_effect=SoftTimeLimitExceeded()):
            import_jobs.plan_job(job.pk)
        self.assertEqual(self.state(job), (Status.FAILED, import_jobs.TIME_LIMIT_MESSAGE))

    def test_soft_time_limit_while_writing_rolls_back_and_fails(self):
        job = self.job(Status.PLANNING, silent=timedelta(0), started=False)
        import_jobs.plan_job(job.pk)
        with self.captureOnCommitCallbacks(execute=False):
            import_jobs.confirm_import(job=job, user=self.alice)
        real_apply = import_jobs.apply_import

        def write_then_run_out_of_time(*args, **kwargs):
            real_apply(*args, **kwargs)
            raise SoftTimeLimitExceeded()

        with mock.patch.object(import_jobs, "apply_import", side_effect=write_then_run_out_of_time):
            import_jobs.apply_job(job.pk)
        self.assertEqual(self.state(job), (Status.FAILED, import_jobs.TIME_LIMIT_MESSAGE))
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(Score.objects.filter(batch__isnull=False).exists())


class CommandTests(SweepTestCase):
    def test_sweep_jobs_reports_what_it_did(self):
        self.job(Status.APPLYING, silent=job_sweep.RUN_LIMIT + timedelta(hours=1))
        self.job(Status.QUEUED, silent=job_sweep.WAIT_LIMIT + timedelta(hours=1), started=False)
        out = io.StringIO()
        with mock.patch.object(tasks.apply_import_job, "delay") as apply:
            with self.captureOnCommitCallbacks(execute=True):
                call_command("sweep_jobs", stdout=out)
        self.assertEqual(apply.call_count, 1)
        self.assertIn("imports requeued: 1, imports failed: 1, renders failed: 0", out.getvalue())

    def test_the_beat_task_sweeps_imports_and_renders(self):
        stuck = self.job(Status.APPLYING, silent=job_sweep.RUN_LIMIT + timedelta(hours=1))
        from reports import rendering

        with mock.patch.object(rendering, "fail_stale_renders", return_value=0) as renders:
            tasks.sweep_jobs.delay()
        renders.assert_called_once_with()
        self.assertEqual(self.state(stuck), (Status.FAILED, job_sweep.STALLED_MESSAGE))

    def test_renders_pending_past_their_limit_are_failed_with_the_reports_reason(self):
        from measures.plans import create_plan
        from reports import rendering
        from reports.models import DocumentKind, RenderedDocument, RenderStatus

        plan = create_plan(organization=self.alpha, fiscal_year=2565, suggest=False)
        fields = {"plan": plan, "plan_lock_version": plan.lock_version, "plan_updated_at": plan.updated_at}
        old, recent = (
            RenderedDocument.objects.create(kind=DocumentKind.MEASURES, fingerprint=key, context={}, **fields)
            for key in ("old", "recent")
        )
        RenderedDocument.objects.filter(pk=old.pk).update(created_at=self.now - rendering.STALE_AFTER)
        self.assertEqual(rendering.fail_stale_renders(now=self.now), 1)
        old.refresh_from_db()
        recent.refresh_from_db()
        self.assertEqual((old.status, old.message), (RenderStatus.FAILED, str(rendering.MESSAGE_STALE)))
        self.assertEqual(recent.status, RenderStatus.PENDING)
