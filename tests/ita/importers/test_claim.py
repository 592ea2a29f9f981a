"""The apply task's claim (issue 14, item 6): a busy QUEUED row is retried with backoff, and the last attempt,
or the only one when tasks run in the request, waits for the lock. The lock itself is tested on PostgreSQL in
tests/faults/test_row_lock.py; here the task's decisions, with the claim's answer stubbed."""

from unittest import mock

from celery.exceptions import Retry

from ita.importers import jobs as import_jobs
from tests.base import BaseTestCase

task = import_jobs.apply_import_job


class ClaimRetryTests(BaseTestCase):
    def run_attempt(self, retries: int, *, eager: bool = False):
        task.push_request(retries=retries, is_eager=eager)
        try:
            with (
                mock.patch.object(import_jobs, "apply_job", side_effect=import_jobs.ClaimBusy(7)) as apply_job,
                mock.patch.object(task, "retry", side_effect=Retry()) as retry,
            ):
                try:
                    task.run(7)
                except Retry:
                    pass
        finally:
            task.pop_request()
        return apply_job, retry

    def test_a_busy_row_is_retried_after_growing_delays(self):
        countdowns = []
        for attempt in range(len(import_jobs.CLAIM_BACKOFF)):
            apply_job, retry = self.run_attempt(attempt)
            apply_job.assert_called_once_with(7, wait=False)
            countdowns.append(retry.call_args.kwargs["countdown"])
        self.assertEqual(countdowns, sorted(countdowns))
        self.assertEqual(countdowns, list(import_jobs.CLAIM_BACKOFF))

    def test_the_last_attempt_waits_for_the_lock(self):
        with mock.patch.object(import_jobs, "apply_job") as apply_job:
            task.push_request(retries=len(import_jobs.CLAIM_BACKOFF), is_eager=False)
            try:
                task.run(7)
            finally:
                task.pop_request()
        apply_job.assert_called_once_with(7, wait=True)

    def test_in_the_request_the_only_attempt_waits(self):
        with mock.patch.object(import_jobs, "apply_job") as apply_job:
            task.apply(args=[7])
        apply_job.assert_called_once_with(7, wait=True)

    def test_the_task_retries_at_most_as_many_times_as_there_are_delays(self):
        self.assertEqual(task.max_retries, len(import_jobs.CLAIM_BACKOFF))
