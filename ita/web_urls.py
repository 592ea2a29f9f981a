"""URLs of the ITA core web pages (included at the site root by ita/urls.py)."""

from django.urls import path

from ita import views
from ita.trend import views as trend_views

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/add/", views.add_year, name="assessment_add"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("organizations/<str:code>/trend/", trend_views.organization_trend_view, name="organization_trend"),
]
