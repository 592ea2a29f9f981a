"""URLs of the measure-plan pages (mounted at /plans/)."""

from django.urls import path

from measures.views import followup as views_followup
from measures.views import listing as views
from measures.views import measures as views_measures
from measures.views import plan as views_plan
from measures.views import units as views_units

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("create/", views.plan_create, name="create"),
    path("units/", views_units.units, name="units"),
    path("units/add/", views_units.unit_add, name="unit_add"),
    path("units/<int:pk>/rename/", views_units.unit_rename, name="unit_rename"),
    path("units/<int:pk>/delete/", views_units.unit_delete, name="unit_delete"),
    path("<int:pk>/", views_plan.plan_detail, name="detail"),
    path("<int:pk>/details/", views_plan.plan_details, name="details"),
    path("<int:pk>/findings/<int:finding_pk>/", views_plan.finding_edit, name="finding_edit"),
    path("<int:pk>/regenerate/", views_plan.regenerate, name="regenerate"),
    path("<int:pk>/new-version/", views_plan.new_version, name="new_version"),
    path("<int:pk>/workflow/<slug:action>/", views_plan.transition, name="transition"),
    path("<int:pk>/measures/add/", views_measures.measure_add, name="measure_add"),
    path("<int:pk>/measures/<int:measure_pk>/", views_measures.measure_edit, name="measure_edit"),
    path("<int:pk>/measures/<int:measure_pk>/delete/", views_measures.measure_delete, name="measure_delete"),
    path("<int:pk>/measures/<int:measure_pk>/move/", views_measures.measure_move, name="measure_move"),
    path("<int:pk>/measures/<int:measure_pk>/progress/", views_followup.progress, name="progress"),
    path("<int:pk>/library/", views_measures.library, name="library"),
    path("<int:pk>/library/<int:library_pk>/add/", views_measures.library_add, name="library_add"),
]
