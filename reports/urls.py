"""URLs of the rendered documents (mounted at /documents/)."""

app_name = "reports"
urlpatterns: list = []
