from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "มาตรการ"

    def ready(self) -> None:
        # measures builds on ita: it joins `seed_demo` here instead of being named by ita.
        from ita.demo import SeedReport, demo_cycle_ready
        from measures import demo, notifications
        from measures.models import MeasurePlan, plan_transitioned
        from measures.todo import register_measures_providers

        demo_cycle_ready.connect(demo.place_demo_plans, sender=SeedReport, dispatch_uid="measures.place_demo_plans")
        plan_transitioned.connect(
            notifications.on_plan_transitioned, sender=MeasurePlan, dispatch_uid="measures.notifications"
        )
        # The home pages' to-do list: plans to decide on, overdue measures, follow-up rounds due.
        register_measures_providers()
