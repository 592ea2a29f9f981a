"""Pages of the ITAS import: start an import, follow its progress, read its preview, confirm or cancel it.

Same shape as every view: access check (a job outside the user's organisation is 404) → form →
one workflow call (ita.importers.jobs) → message + redirect. Staff import into their own organisation;
administrators import anything; executives and auditors only read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import openpyxl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ita import policy
from ita.access import get_job_for_user, get_own_job_for_user
from ita.importers import jobs as import_jobs
from ita.importers import sweep as job_sweep
from ita.importers.display import batch_summary, error_table, job_summary, preview_tables, progress_text, when
from ita.importers.forms import PasteForm, UploadForm
from ita.importers.parse import column_letter
from ita.importers.retention import QuotaExceeded
from ita.models import Assessment, Framework, ImportJob, Organization
from ita.thai import fiscal_year_of, format_number

LIST_PAGE_SIZE = 50
LIST_FIELDS = [
    "kind", "filename", "fiscal_year", "status", "created_at", "finished_at", "rows_total",
    "created_by__username", "created_by__first_name", "created_by__last_name", "organization__name",
]  # fmt: skip
# Spreadsheet programs run a cell that starts with one of these as a formula (SECURITY.md I8).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _import_organization(user) -> Organization | None:
    """The organisation a staff member imports into; None for everyone else (administrators choose)."""
    if policy.is_administrator(user) or not policy.can(user, policy.Action.IMPORT):
        return None
    return user.membership.organization


def _can_import(user) -> bool:
    """Administrators, and staff into their own organisation (ita.policy, without loading the organisation)."""
    return policy.can(user, policy.Action.IMPORT)


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.for_user(request.user).select_related("created_by", "organization").only(*LIST_FIELDS)
    page = Paginator(jobs.order_by("-created_at", "-pk"), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": [job_summary(job) for job in page], "can_import": _can_import(request.user)}
    return render(request, "ita/importers/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_admin = user.is_superuser
    if request.method == "GET":
        context = {"upload_form": UploadForm(is_admin=is_admin), "paste_form": PasteForm(is_admin=is_admin)}
        return _render_new(request, context)
    if not _can_import(user):
        raise PermissionDenied
    if request.POST.get("kind") == ImportJob.Kind.PASTE:
        form = PasteForm(request.POST, is_admin=is_admin)
        if not form.is_valid():
            return _render_new(request, {"upload_form": UploadForm(is_admin=is_admin), "paste_form": form}, "paste")
        # An administrator picks the organisation; a staff member's is always their own (never from the POST).
        organization = form.cleaned_data["organization"] if is_admin else _import_organization(user)
        try:
            job = import_jobs.start_import(
                user=user,
                filename=import_jobs.PASTE_FILENAME,
                content=form.cleaned_data["text"].encode("utf-8"),
                kind=ImportJob.Kind.PASTE,
                organization=organization,
                fiscal_year=form.cleaned_data["fiscal_year"],
            )
        except QuotaExceeded as refused:
            form.add_error(None, str(refused))
            return _render_new(request, {"upload_form": UploadForm(is_admin=is_admin), "paste_form": form}, "paste")
    else:
        form = UploadForm(request.POST, request.FILES, is_admin=is_admin)
        if not form.is_valid():
            return _render_new(request, {"upload_form": form, "paste_form": PasteForm(is_admin=is_admin)}, "upload")
        try:
            job = import_jobs.start_import(
                user=user,
                filename=form.filename(),
                content=form.content(),
                organization=None if is_admin else _import_organization(user),
                create_orgs=form.cleaned_data.get("create_orgs", False),
            )
        except QuotaExceeded as refused:
            form.add_error(None, str(refused))
            return _render_new(request, {"upload_form": form, "paste_form": PasteForm(is_admin=is_admin)}, "upload")
    messages.success(request, _("รับข้อมูลแล้ว"))
    return redirect("importers:detail", pk=job.pk)


def _render_new(request: HttpRequest, context: dict, active: str = "upload") -> HttpResponse:
    user = request.user
    context |= {
        "can_import": _can_import(user),
        "is_admin": user.is_superuser,
        "organization": _import_organization(user),
        "active": active,
    }
    status = 200 if request.method == "GET" else 400
    return render(request, "ita/importers/new.html", context, status=status)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A job no worker will finish shows as failed, never running forever (the sweep records it).
    job = job_sweep.as_swept(get_job_for_user(request.user, pk))
    can_decide = _can_import(request.user) and job.may_be_confirmed_by(request.user)
    progress = import_jobs.progress_of(job)
    done = job.status == ImportJob.Status.DONE
    context = {
        "job": job,
        "created": when(job.created_at),
        "year": format_number(job.fiscal_year) if job.fiscal_year else "",
        "show_preview": _shows_preview(job),
        "running": job.status in ImportJob.RUNNING,
        "progress": progress,
        "progress_text": progress_text(progress),
        "preview": preview_tables(job.preview),
        "errors": error_table(job.errors, job.errors_total),
        "retention_days": format_number(settings.IMPORT_RETENTION_DAYS),
        "can_confirm": can_decide and job.status == ImportJob.Status.PREVIEW,
        "batch": batch_summary(job.batch) if done else None,
        "assessments": _done_assessments(request.user, job) if done else [],
        "assessments_more": done and job.preview.get("assessments_total", 0) > len(job.preview.get("assessments", [])),
        # The year's framework not yet checked against the official one: the scores imported into it are provisional.
        "unverified_frameworks": list(Framework.objects.filter(fiscal_year=job.fiscal_year, verified=False))
        if job.fiscal_year
        else [],
    }
    return render(request, "ita/importers/detail.html", context)


def _shows_preview(job: ImportJob) -> bool:
    """A refused file shows only its errors; a refused paste also shows what was understood, to help fix it."""
    if "rows" not in job.preview or job.status in (ImportJob.Status.DONE, ImportJob.Status.PLANNING):
        return False  # nothing planned yet (the preview holds only the attempt count), or already written
    return job.status != ImportJob.Status.INVALID or job.kind == ImportJob.Kind.PASTE


def _done_assessments(user, job: ImportJob) -> list[dict]:
    """The assessments a finished import wrote, as links (one query; only those the user may open)."""
    keys = {(code, year) for code, year in job.preview.get("assessments", [])}
    if not keys:
        return []
    found = Assessment.objects.for_user(user).filter(
        organization__code__in={code for code, _year in keys}, fiscal_year__in={year for _code, year in keys}
    )
    found = found.select_related("organization").order_by("organization__name", "-fiscal_year")
    return [
        {"pk": a.pk, "name": a.organization.name, "year": format_number(a.fiscal_year)}
        for a in found
        if (a.organization.code, a.fiscal_year) in keys
    ]


@never_cache
@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = job_sweep.as_swept(get_job_for_user(request.user, pk, skip=("preview", "errors")))
    progress = import_jobs.progress_of(job)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_label": job.get_status_display(),
            "running": job.status in ImportJob.RUNNING,
            "rows_done": progress.rows_done,
            "rows_total": progress.rows_total,
            "percent": progress.percent,
            "rows_per_second": round(progress.rows_per_second, 1) if progress.rows_per_second else None,
            "seconds_left": progress.seconds_left,
            "text": progress_text(progress),
            "url": reverse("importers:detail", args=[job.pk]),
        }
    )


@login_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_own_job_for_user(request.user, pk)
    if import_jobs.confirm_import(job=job, user=request.user):
        messages.success(request, _("ยืนยันแล้ว ระบบกำลังบันทึกข้อมูล"))
    else:
        messages.info(request, _("งานนำเข้านี้ไม่ได้รอการยืนยันแล้ว จึงไม่ได้ดำเนินการซ้ำ"))
    return redirect("importers:detail", pk=job.pk)


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_own_job_for_user(request.user, pk)
    if import_jobs.cancel_import(job=job, user=request.user):
        messages.success(request, _("ยกเลิกการนำเข้าแล้ว ไม่ได้บันทึกข้อมูลใด ๆ"))
    else:
        messages.info(request, _("งานนำเข้านี้ยกเลิกไม่ได้ เพราะไม่ได้อยู่ระหว่างรอการยืนยัน"))
    return redirect("importers:detail", pk=job.pk)


def spreadsheet_text(value: object) -> str:
    """A cell as text a spreadsheet shows as typed: formula-like starts get a leading apostrophe (I8)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """csv.writer's file: each row written comes back as text, for a streamed response."""

    def write(self, text: str) -> str:
        return text


def _error_lines(job: ImportJob) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the BOM makes Excel read the file as UTF-8, so Thai shows correctly
    yield writer.writerow([_("แถว"), _("คอลัมน์"), _("ค่าในไฟล์"), _("ข้อผิดพลาด")])
    for error in job.errors:
        column = error.get("column") or 0
        cells = [error.get("row") or "", column_letter(column) if column else "", error.get("value"), error["message"]]
        yield writer.writerow([spreadsheet_text(cell) for cell in cells])
    if job.errors_more:
        more = _("ยังมีข้อผิดพลาดอีก %(more)s รายการที่ระบบไม่ได้เก็บไว้ (เก็บเฉพาะ %(kept)s รายการแรก)") % {
            "more": f"{job.errors_more:,}",
            "kept": f"{len(job.errors):,}",
        }
        yield writer.writerow(["", "", "", more])


@login_required
@require_GET
def job_errors_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    job = get_job_for_user(request.user, pk, skip=("preview",))
    # Streamed: the rows are written as they are sent, never built whole in memory.
    response = StreamingHttpResponse(_error_lines(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


EXAMPLE_HEADER = ["รหัสหน่วยงาน", "ปีงบประมาณ", "คะแนนรวม", "ระดับ", *[f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]]
EXAMPLE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def example_file(request: HttpRequest, file_format: str) -> HttpResponse:
    """A file the import reads as it is: the header and one row with the user's organisation code and
    the latest assessment year, its score cells left empty (never made-up scores)."""
    if file_format not in EXAMPLE_TYPES:
        raise Http404
    organization = _import_organization(request.user)
    code = organization.code if organization is not None else "รหัสหน่วยงาน"
    row = [code, str(fiscal_year_of(timezone.localdate()) - 1)] + [""] * (len(EXAMPLE_HEADER) - 2)
    if file_format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([EXAMPLE_HEADER, row])
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
    else:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "ผลการประเมิน"
        sheet.append(EXAMPLE_HEADER)
        sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    response = HttpResponse(content, content_type=EXAMPLE_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="ita-import-example.{file_format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
