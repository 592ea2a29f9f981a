from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ita import views
from ita.health import missing_parts, problems


@never_cache
@require_GET
def healthz(request):
    found = problems()
    return JsonResponse(
        {"status": "error" if found else "ok", "problems": found, "missing": missing_parts()},
        status=503 if found else 200,
    )


core_pages = [
    path("", views.home, name="home"),
    path("assessments/add/", views.add_year, name="assessment_add"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
]

# The admin is for administrators only (ita.policy "manage"): Django's is_staff flag alone opens nothing.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "ระบบติดตามผลการประเมินคุณธรรมและความโปร่งใส · การจัดการ"
admin.site.site_title = "การจัดการระบบ ITA"
admin.site.index_title = "ข้อมูลทั้งหมดของระบบ"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("ita.accounts.urls")),
    path("imports/", include("ita.importers.urls")),
    path("todo/", include("ita.todo.urls")),
    path("plans/", include("measures.urls")),
    path("documents/", include("reports.urls")),
    path("public/", include("reports.portal.urls")),
    path("organizations/", include("ita.trend.urls")),
    path("organizations/", include("ita.emblems.urls")),
    path("organizations/", include("ita.oit.urls")),
    # The core app's own pages: ita is the project package and the core app, so its urls.py is both.
    path("", include((core_pages, "ita"))),
]
