"""URLs of the measure-plan pages (mounted at /plans/)."""

from django.urls import path

from measures.views import library, listing, measures, plan, progress, units

app_name = "measures"
urlpatterns = [
    path("", listing.plan_list, name="list"),
    path("create/", listing.plan_create, name="create"),
    path("units/", units.units, name="units"),
    path("units/add/", units.unit_add, name="unit_add"),
    path("units/<int:pk>/rename/", units.unit_rename, name="unit_rename"),
    path("units/<int:pk>/delete/", units.unit_delete, name="unit_delete"),
    path("<int:pk>/", plan.plan_detail, name="detail"),
    path("<int:pk>/details/", plan.plan_details, name="details"),
    path("<int:pk>/findings/<int:finding_pk>/", plan.finding_edit, name="finding_edit"),
    path("<int:pk>/regenerate/", plan.regenerate, name="regenerate"),
    path("<int:pk>/new-version/", plan.new_version, name="new_version"),
    path("<int:pk>/workflow/<slug:action>/", plan.transition, name="transition"),
    path("<int:pk>/workflow/<slug:action>/confirm/", plan.confirm, name="confirm"),
    path("<int:pk>/measures/add/", measures.measure_add, name="measure_add"),
    path("<int:pk>/measures/<int:measure_pk>/", measures.measure_edit, name="measure_edit"),
    path("<int:pk>/measures/<int:measure_pk>/delete/", measures.measure_delete, name="measure_delete"),
    path("<int:pk>/measures/<int:measure_pk>/move/", measures.measure_move, name="measure_move"),
    path("<int:pk>/measures/<int:measure_pk>/progress/", progress.progress, name="progress"),
    path("<int:pk>/progress/<int:entry_pk>/", progress.progress_edit, name="progress_edit"),
    path("<int:pk>/progress/<int:entry_pk>/delete/", progress.progress_delete, name="progress_delete"),
    path(
        "<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/",
        progress.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/delete/",
        progress.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/library/", library.library, name="library"),
    path("<int:pk>/library/<int:library_pk>/add/", library.library_add, name="library_add"),
]
