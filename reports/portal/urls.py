"""URLs of the public portal (mounted at /public/): published plans and results, no login."""

from django.urls import path

from reports.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.document_list, name="documents"),
    path("organizations/<org_code:code>/", views.organization_detail, name="organization"),
    path("national/", views.national_latest, name="national_latest"),
    path("national/<int:year>/", views.national, name="national"),
    path("data/", views.data_index, name="data"),
    path("data/<int:year>/<slug:name>.<slug:fmt>", views.dataset, name="dataset"),
]
