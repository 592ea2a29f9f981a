"""URLs of the public portal (mounted at /public/): published plans and results, no login."""

from django.urls import path

from reports.portal import views as public_views

app_name = "portal"
urlpatterns = [
    path("", public_views.document_list, name="documents"),
    path("organizations/<str:code>/", public_views.organization_detail, name="organization"),
    path("national/", public_views.national_latest, name="national_latest"),
    path("national/<int:year>/", public_views.national, name="national"),
    path("data/", public_views.data_index, name="data"),
    path("data/<int:year>/<slug:name>.<slug:fmt>", public_views.dataset, name="dataset"),
]
