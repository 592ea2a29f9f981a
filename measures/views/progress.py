"""Progress entries of a measure: the list with the add form, correcting and deleting an entry, and its files.

Who may see the plan sees the entries and downloads their files (measures.access: 404 otherwise);
recording, correcting and deleting are for the organisation's staff and administrators (403 for the
other roles), and only while the plan is the newest version in force (a message otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ita import policy
from ita.files.responses import file_download
from ita.files.sniff import EXTENSIONS
from ita.thai import format_number
from measures.access import get_attachment_for_user, get_measure_for_user, get_progress_for_user
from measures.forms import ProgressDeleteForm, ProgressEditForm, ProgressForm
from measures.models import Measure, PlanError, Progress, StaleEdit
from measures.progress import (
    AttachmentRefused,
    add_progress,
    delete_progress,
    download_name,
    ensure_progress_editable_by,
    remove_attachment,
    update_progress,
)

GONE_MESSAGE = gettext_lazy("บันทึกความก้าวหน้านี้ถูกลบไปแล้ว")


def _progress_url(measure: Measure, entry: Progress | None = None) -> str:
    url = reverse("measures:progress", args=[measure.plan_id, measure.pk])
    return f"{url}#entry-{entry.pk}" if entry is not None else url


def _context(measure: Measure, **extra) -> dict:
    plan = measure.plan
    return {"plan": plan, "year": format_number(plan.fiscal_year), "measure": measure, **extra}


def _render_list(request: HttpRequest, measure: Measure, form: ProgressForm | None, status: int = 200) -> HttpResponse:
    entries = measure.progress.select_related("created_by").prefetch_related("attachments").order_by("-date", "-pk")
    can_change = measure.plan.progress_editable_by(request.user)
    context = _context(measure, entries=list(entries), form=form, can_change=can_change)
    return render(request, "measures/progress.html", context, status=status)


def _not_now(request: HttpRequest, measure: Measure, error: PlanError | str) -> HttpResponse:
    """The plan does not take changes now (a draft, or superseded): say why on the entries page."""
    messages.error(request, str(error))
    return redirect(_progress_url(measure))


def _state_refusal(request: HttpRequest, measure: Measure) -> HttpResponse | None:
    """403 for roles that never record progress; a message when this version does not take changes now."""
    policy.require(request.user, policy.Action.RECORD_PROGRESS, measure.plan)
    try:
        ensure_progress_editable_by(measure.plan, request.user)
    except PlanError as error:
        return _not_now(request, measure, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    measure = get_measure_for_user(request.user, pk, measure_pk)
    can_record = measure.plan.progress_editable_by(request.user)
    if request.method != "POST":
        return _render_list(
            request, measure, ProgressForm(initial={"date": timezone.localdate()}) if can_record else None
        )
    # The role first (403); whether this version takes entries now is the plan's state (a message).
    policy.require(request.user, policy.Action.RECORD_PROGRESS, measure.plan)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_list(request, measure, form if can_record else None, status=400)
    try:
        add_progress(measure=measure, by=request.user, files=form.cleaned_data["files"], **form.entry_fields())
    except AttachmentRefused as error:
        form.add_error("files", str(error))
        return _render_list(request, measure, form, status=400)
    except PlanError as error:
        return _not_now(request, measure, error)
    except ValidationError as error:
        return _not_now(request, measure, " ".join(error.messages))
    messages.success(request, _("บันทึกความก้าวหน้าแล้ว"))
    return redirect(_progress_url(measure))


def _render_edit(request: HttpRequest, entry: Progress, form: ProgressEditForm, status: int = 200) -> HttpResponse:
    attachments = list(entry.attachments.all())
    context = _context(entry.measure, entry=entry, form=form, attachments=attachments)
    return render(request, "measures/progress_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def progress_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    entry = get_progress_for_user(request.user, pk, entry_pk)
    if (refusal := _state_refusal(request, entry.measure)) is not None:
        return refusal
    if request.method != "POST":
        return _render_edit(request, entry, ProgressEditForm(instance=entry))
    form = ProgressEditForm(request.POST, request.FILES, instance=entry)
    if not form.is_valid():
        return _render_edit(request, entry, form, status=400)
    try:
        update_progress(
            entry=entry,
            by=request.user,
            fingerprint=form.cleaned_data["fingerprint"],
            files=form.cleaned_data["files"],
            **form.entry_fields(),
        )
    except Progress.DoesNotExist:
        return _not_now(request, entry.measure, str(GONE_MESSAGE))
    except StaleEdit as error:
        # Never overwrite silently: show what is stored now and let the user decide again.
        messages.error(request, str(error))
        current = Progress.objects.filter(pk=entry.pk).first()
        if current is None:
            return _not_now(request, entry.measure, str(GONE_MESSAGE))
        current.measure = entry.measure
        return _render_edit(request, current, ProgressEditForm(instance=current), status=409)
    except AttachmentRefused as error:
        form.add_error("files", str(error))
        return _render_edit(request, entry, form, status=400)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_edit(request, entry, form, status=400)
    except PlanError as error:
        return _not_now(request, entry.measure, error)
    messages.success(request, _("บันทึกการแก้ไขความก้าวหน้าแล้ว"))
    return redirect(_progress_url(entry.measure, entry))


def _render_delete(request: HttpRequest, entry: Progress, form: ProgressDeleteForm, status: int = 200) -> HttpResponse:
    context = _context(entry.measure, entry=entry, form=form, attachments=list(entry.attachments.all()))
    return render(request, "measures/progress_delete.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def progress_delete(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """A confirmation page (no JavaScript needed) that names the version of the entry it shows."""
    entry = get_progress_for_user(request.user, pk, entry_pk)
    if (refusal := _state_refusal(request, entry.measure)) is not None:
        return refusal
    if request.method != "POST":
        return _render_delete(request, entry, ProgressDeleteForm(initial={"fingerprint": entry.fingerprint()}))
    form = ProgressDeleteForm(request.POST)
    if not form.is_valid():
        return _render_delete(request, entry, ProgressDeleteForm(initial={"fingerprint": entry.fingerprint()}), 400)
    try:
        delete_progress(entry=entry, by=request.user, fingerprint=form.cleaned_data["fingerprint"])
    except Progress.DoesNotExist:
        return _not_now(request, entry.measure, str(GONE_MESSAGE))
    except StaleEdit as error:
        messages.error(request, str(error))
        entry.refresh_from_db()
        return _render_delete(request, entry, ProgressDeleteForm(initial={"fingerprint": entry.fingerprint()}), 409)
    except PlanError as error:
        return _not_now(request, entry.measure, error)
    messages.success(request, _("ลบบันทึกความก้าวหน้าแล้ว"))
    return redirect(_progress_url(entry.measure))


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, entry_pk: int, file_pk: int) -> HttpResponse:
    """The stored file, streamed as an attachment of its sniffed type under its original name."""
    attachment = get_attachment_for_user(request.user, pk, entry_pk, file_pk)
    policy.require(request.user, policy.Action.DOWNLOAD, attachment.progress.measure.plan)
    try:
        stored = attachment.file.open("rb")
    except OSError as error:
        raise Http404 from error  # the row outlived its file (a restore without the media volume)
    return file_download(
        stored,
        content_type=attachment.content_type,
        ascii_name=f"attachment-{attachment.pk}{EXTENSIONS.get(attachment.content_type, '')}",
        thai_name=download_name(attachment),
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, entry_pk: int, file_pk: int) -> HttpResponse:
    attachment = get_attachment_for_user(request.user, pk, entry_pk, file_pk)
    entry = attachment.progress
    if (refusal := _state_refusal(request, entry.measure)) is not None:
        return refusal
    try:
        remove_attachment(attachment=attachment, by=request.user)
    except PlanError as error:
        return _not_now(request, entry.measure, error)
    messages.success(request, _("ลบไฟล์แนบ “%(name)s” แล้ว") % {"name": attachment.original_name})
    return redirect("measures:progress_edit", pk=pk, entry_pk=entry_pk)
