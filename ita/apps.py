from django.apps import AppConfig


class ItaConfig(AppConfig):
    name = "ita"
    verbose_name = "การประเมิน ITA"

    def ready(self) -> None:
        # <org_code:code> in every URL that names an organisation (ita.web.converters).
        from django.urls import register_converter

        from ita.web.converters import OrganizationCodeConverter

        register_converter(OrganizationCodeConverter, "org_code")
        # The core's own to-do providers; apps built on ita register theirs in their own ready().
        from ita.todo.changes import register_ita_subjects
        from ita.todo.providers import register_ita_providers

        register_ita_providers()
        register_ita_subjects()
