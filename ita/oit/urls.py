"""URLs of the OIT evidence checklist (mounted at /organizations/, beside the organisation page)."""

from django.urls import path

from ita.oit import views

app_name = "oit"
urlpatterns = [
    path("<org_code:code>/oit/<int:year>/", views.checklist_page, name="checklist"),
    path("<org_code:code>/oit/<int:year>/paste/", views.paste, name="paste"),
    path("<org_code:code>/oit/<int:year>/itas.txt", views.download, name="download"),
    path("<org_code:code>/oit/<int:year>/carry-forward/", views.carry, name="carry_forward"),
    path("<org_code:code>/oit/<int:year>/check/", views.check_links, name="check_links"),
]
