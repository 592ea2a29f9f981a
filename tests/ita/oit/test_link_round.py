"""The weekly round: which checklists beat checks each hour, and its task on the schedule."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.test import TestCase, override_settings
from django.utils import timezone

from ita.models import EvidenceChecklist
from ita.oit.linkhealth import DUE_SOFT_LIMIT, ONE_SOFT_LIMIT, due_checklists, oit_check_checklist, oit_check_due
from ita.thai import fiscal_year_of
from tests.factory import make_framework, make_organization

NOW = datetime.datetime(2025, 11, 3, 9, 0, tzinfo=datetime.UTC)  # fiscal year 2569


class DueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        frameworks = {year: make_framework(year, oit_items=3) for year in (2568, 2569, 2570)}

        def checklist(year, checked_days_ago):
            checked = None if checked_days_ago is None else NOW - datetime.timedelta(days=checked_days_ago)
            return EvidenceChecklist.objects.create(
                organization=make_organization(),
                fiscal_year=year,
                framework=frameworks[year],
                links_checked_at=checked,
            )

        cls.past = checklist(2568, None)  # last year's: never again
        cls.never_a = checklist(2569, None)
        cls.ten_days = checklist(2569, 10)
        cls.never_b = checklist(2570, None)  # next year's, carried forward early: checked too
        cls.eight_days = checklist(2569, 8)
        cls.yesterday = checklist(2569, 1)  # not due

    @override_settings(OIT_CHECK_RUNS_PER_INTERVAL=2)
    def test_never_checked_first_then_oldest_and_past_years_skipped(self):
        # 5 active checklists over 2 runs: ceil(5 / 2) + 1 = 4 this run; only 4 are due anyway.
        self.assertEqual(due_checklists(NOW), [self.never_a, self.never_b, self.ten_days, self.eight_days])

    @override_settings(OIT_CHECK_RUNS_PER_INTERVAL=168)
    def test_a_run_takes_its_share_of_the_week_plus_one(self):
        # ceil(5 / 168) + 1 = 2
        self.assertEqual(due_checklists(NOW), [self.never_a, self.never_b])

    @override_settings(OIT_CHECK_RUNS_PER_INTERVAL=1, OIT_CHECK_BATCH_MAX=3)
    def test_the_setting_caps_a_run(self):
        self.assertEqual(len(due_checklists(NOW)), 3)

    @override_settings(OIT_CHECK_INTERVAL_DAYS=9, OIT_CHECK_RUNS_PER_INTERVAL=1)
    def test_the_interval_decides_what_is_due(self):
        self.assertEqual(due_checklists(NOW), [self.never_a, self.never_b, self.ten_days])


class TaskTests(TestCase):
    def test_the_beat_task_checks_the_due_checklists_of_this_year(self):
        year = fiscal_year_of(timezone.localdate())
        framework, past = make_framework(year, oit_items=3), make_framework(year - 1, oit_items=3)
        due = EvidenceChecklist.objects.create(organization=make_organization(), fiscal_year=year, framework=framework)
        old = EvidenceChecklist.objects.create(organization=make_organization(), fiscal_year=year - 1, framework=past)
        oit_check_due.delay()
        due.refresh_from_db()
        old.refresh_from_db()
        self.assertIsNotNone(due.links_checked_at)
        self.assertIsNone(old.links_checked_at)

    def test_the_schedule_runs_the_round_hourly_and_the_limits_fit_the_broker(self):
        entry = settings.CELERY_BEAT_SCHEDULE["oit-check-due"]
        self.assertEqual(entry["task"], "ita.oit_check_due")
        self.assertEqual(entry["schedule"].minute, {20})
        self.assertEqual(len(entry["schedule"].hour), 24)
        visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        for task in (oit_check_checklist, oit_check_due):
            self.assertLess(task.soft_time_limit, task.time_limit)
            self.assertLess(task.time_limit, min(visibility, 3600))  # two hourly runs never overlap
        self.assertLess(ONE_SOFT_LIMIT, DUE_SOFT_LIMIT)
