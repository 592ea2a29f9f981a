"""URLs under /accounts/: Django's auth views, with the site's login and password reset in front."""

from django.contrib.auth import views as django_views
from django.urls import include, path

from ita.accounts import auditors
from ita.accounts import views as auth_views
from ita.notifications import views as notification_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password_change/",
        django_views.PasswordChangeView.as_view(form_class=auth_views.ThaiPasswordChangeForm),
        name="password_change",
    ),
    # Each user turns notification e-mails on or off (ita.notifications).
    path("notifications/", notification_views.notification_settings, name="notification_settings"),
    # Administrators assign auditors to organisations (ita.accounts.auditors).
    path("auditors/", auditors.assignment_page, name="auditor_assignments"),
    path("auditors/add/", auditors.assignment_add, name="auditor_assignment_add"),
    path("auditors/<int:pk>/remove/", auditors.assignment_remove, name="auditor_assignment_remove"),
    # Everything else (logout, password change, the "done" pages) is Django's unchanged.
    path("", include("django.contrib.auth.urls")),
]
