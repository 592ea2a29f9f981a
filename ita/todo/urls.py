"""URLs of the to-do feature (mounted at /todo/)."""

from django.urls import path

from ita.todo import views

app_name = "todo"
urlpatterns = [
    path("changes/seen/", views.changes_seen, name="changes_seen"),
]
