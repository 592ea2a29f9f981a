"""URLs of the ITAS import pages (mounted at /imports/)."""

from django.urls import path

from ita.importers import views

app_name = "importers"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.new_import, name="new"),
    path("example.<str:file_format>", views.example_file, name="example"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status.json", views.job_status, name="status"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/errors.csv", views.job_errors_csv, name="errors_csv"),
]
