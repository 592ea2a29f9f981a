"""The core's Celery tasks, for Celery's autodiscovery; each is defined beside the code it runs."""

from ita.importers.jobs import apply_import_job, plan_import_job
from ita.sweeps import sweep_jobs

__all__ = ["apply_import_job", "plan_import_job", "sweep_jobs"]
