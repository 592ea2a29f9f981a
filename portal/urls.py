"""URLs of the public portal (mounted at /public/)."""

app_name = "portal"
urlpatterns: list = []
