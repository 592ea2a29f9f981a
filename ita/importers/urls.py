"""URLs of the ITAS import pages (mounted at /imports/)."""

from django.urls import path

from ita.importers import views as import_views

app_name = "importers"
urlpatterns = [
    path("", import_views.job_list, name="list"),
    path("new/", import_views.new_import, name="new"),
    path("<int:pk>/", import_views.job_detail, name="detail"),
    path("<int:pk>/status.json", import_views.job_status, name="status"),
    path("<int:pk>/confirm/", import_views.job_confirm, name="confirm"),
    path("<int:pk>/cancel/", import_views.job_cancel, name="cancel"),
    path("<int:pk>/errors.csv", import_views.job_errors_csv, name="errors_csv"),
]
