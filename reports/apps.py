from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "เอกสารและการเผยแพร่"

    def ready(self) -> None:
        # reports builds on measures and ita; it joins their work here instead of being named by them.
        from ita import sweeps
        from measures.models import MeasurePlan, plan_published
        from reports import publishing, rendering

        plan_published.connect(
            publishing.freeze_published_version, sender=MeasurePlan, dispatch_uid="reports.freeze_published_version"
        )
        # Looked up at each run, so that the sweep always calls the current function.
        sweeps.register("renders failed", lambda: rendering.fail_stale_renders())
