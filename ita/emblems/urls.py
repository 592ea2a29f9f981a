"""URLs of the organisation page (mounted at /organizations/, beside the trend pages)."""

from django.urls import path

from ita.emblems import views

app_name = "emblems"
urlpatterns = [
    path("<org_code:code>/", views.organization_page, name="organization"),
]
