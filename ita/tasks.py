"""The core's Celery tasks, for Celery's autodiscovery; each is defined beside the code it runs."""

from ita.importers.jobs import apply_import_job, plan_import_job
from ita.importers.retention import purge_imports_task
from ita.notifications.delivery import send_notifications_task
from ita.oit.digest import oit_weekly_digest_task
from ita.oit.linkhealth import oit_check_checklist, oit_check_due
from ita.sweeps import sweep_jobs

__all__ = [
    "apply_import_job",
    "oit_check_checklist",
    "oit_check_due",
    "oit_weekly_digest_task",
    "plan_import_job",
    "purge_imports_task",
    "send_notifications_task",
    "sweep_jobs",
]
