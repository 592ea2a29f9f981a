"""URLs of the ITAS import pages (mounted at /imports/)."""

app_name = "imports"
urlpatterns: list = []
