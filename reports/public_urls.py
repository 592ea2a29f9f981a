"""URLs of the public portal (mounted at /public/): published plans and results, no login."""

app_name = "portal"
urlpatterns: list = []
