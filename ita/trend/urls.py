"""URLs of the year-over-year pages (mounted at /organizations/)."""

from django.urls import path

from ita.trend import views

app_name = "trend"
urlpatterns = [
    path("<org_code:code>/trend/", views.organization_trend_view, name="organization"),
]
