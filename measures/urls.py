"""URLs of the measure-plan pages (mounted at /plans/)."""

app_name = "plans"
urlpatterns: list = []
