"""The measures app's Celery tasks, for Celery's autodiscovery; each is defined beside the code it runs."""

from measures.notifications import send_followup_reminders_task

__all__ = ["send_followup_reminders_task"]
