"""URLs of the rendered documents (mounted at /documents/)."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/news/", views.plan_news, name="plan_news"),
    path("plans/<int:pk>/docx/", views.plan_docx, name="plan_docx"),
    path("published/<int:pk>/", views.published_version, name="published_version"),
    path("published/<int:pk>/pdf/", views.published_pdf, name="published_pdf"),
    path("published/<int:pk>/docx/", views.published_docx, name="published_docx"),
    path("published/<int:pk>/data.json", views.published_data, name="published_data"),
]
