"""Document downloads: a plan's PDFs for its organisation, and published copies for everyone.

Shape: access check (404 outside what the user may see) → options form → one rendering call →
the PDF, or a status page. A GET never writes: it serves the render made from the plan as it is
stored now, or says that it is being prepared (refreshing itself), failed, or not made yet, with a
button that POSTs to the same address to ask for it (members and administrators).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ita import policy
from ita.files.responses import content_disposition, safe_filename_part
from ita.thai import format_number, thai_date
from measures.access import get_plan_for_user
from measures.models import MeasurePlan
from reports.documents.measures import measures_document_context
from reports.forms import DocumentOptionsForm, NewsOptionsForm
from reports.models import Digits, DocumentKind, PublishedVersion, RenderedDocument, RenderStatus
from reports.news import build_news, missing_facts, news_blocks, news_input
from reports.rendering import (
    MESSAGE_UNPRINTABLE,
    UnprintableText,
    find_document,
    fingerprint,
    followup_options,
    missing_reason,
    request_document,
    retry_published,
    shown_status,
)
from reports.word import DOCX_MIME, measures_docx

REFRESH_SECONDS = 3
# The status page's state when no render of the plan as stored now exists yet.
NOT_REQUESTED = "none"
# ... and when its text holds characters the document font cannot draw (nothing was started).
UNPRINTABLE = "unprintable"


def thai_datetime(moment) -> str:
    """'๘ มิถุนายน ๒๕๖๖ เวลา ๑๔.๐๕ น.' in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{thai_date(local.date())} เวลา {format_number(local.strftime('%H.%M'))} น."


def _get_published_version(pk: int) -> PublishedVersion:
    queryset = PublishedVersion.objects.select_related("plan__organization").defer("pdf")
    return get_object_or_404(queryset, pk=pk, plan__status=MeasurePlan.Status.PUBLISHED)


def _can_manage(user, plan: MeasurePlan) -> bool:
    """Members of the plan's organisation and administrators may ask for a render, or restart one (ita.policy)."""
    return policy.can(user, policy.Action.RENDER, plan)


def pdf_response(pdf: bytes, *, ascii_name: str, thai_name: str) -> HttpResponse:
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(ascii_name, thai_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def document_filenames(plan: MeasurePlan, kind: str, options: dict) -> tuple[str, str]:
    """(ASCII fallback, Thai name) of a download, e.g. ("measures-2567.pdf", "มาตรการ-เทศบาล…-2567.pdf")."""
    year = str(plan.fiscal_year)
    version = f"-v{plan.version}" if plan.version > 1 else ""
    thai_version = f"-ฉบับที่-{plan.version}" if plan.version > 1 else ""
    org = safe_filename_part(plan.organization.name)
    if kind == DocumentKind.FOLLOWUP:
        months = options["round"]
        return f"followup-{year}-{months}m{version}.pdf", f"รายงานผล-{org}-{year}-รอบ-{months}-เดือน{thai_version}.pdf"
    return f"measures-{year}{version}.pdf", f"มาตรการ-{org}-{year}{thai_version}.pdf"


def _waiting_page(
    request: HttpRequest, *, status: str, message: str, title: str, retry: bool, problems: Sequence[str] = ()
) -> HttpResponse:
    context = {
        "problems": problems,
        "title": title,
        "status": status,
        "message": message,
        "retry": retry,
        "refresh": REFRESH_SECONDS if status == RenderStatus.PENDING else None,
    }
    response = render(request, "reports/document_status.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _plan_document_options(plan: MeasurePlan, cleaned: dict) -> tuple[str, str, dict]:
    kind, digits = cleaned["kind"], cleaned["digits"]
    if kind == DocumentKind.FOLLOWUP:
        return kind, digits, followup_options(plan, round_months=cleaned["round"], today=timezone.localdate())
    return kind, digits, {"with_answers": True} if cleaned["answers"] else {}


def _official_copy(plan: MeasurePlan, kind: str, digits: str, options: dict) -> PublishedVersion | None:
    """A published plan's default document is its frozen public copy, not a new render."""
    if kind != DocumentKind.MEASURES or digits != Digits.THAI or options:
        return None
    return PublishedVersion.objects.filter(plan=plan).only("pk").first()


def _plan_status_page(
    request: HttpRequest,
    plan: MeasurePlan,
    kind: str,
    digits: str,
    document: RenderedDocument | None,
    *,
    problems: list[str] = (),
) -> HttpResponse:
    """Not made yet (with the button), being prepared, or failed (with the button): never a write."""
    title = _("%(kind)s ปีงบประมาณ พ.ศ. %(year)s %(org)s") % {
        "kind": DocumentKind(kind).label,
        "year": format_number(plan.fiscal_year),
        "org": plan.organization.name,
    }
    if document is None:
        status, message = NOT_REQUESTED, missing_reason(plan, kind=kind, digits=digits)
    else:
        status, message = shown_status(document)
    if problems:
        status, message = UNPRINTABLE, str(MESSAGE_UNPRINTABLE)
    return _waiting_page(
        request, status=status, message=message, title=title, retry=_can_manage(request.user, plan), problems=problems
    )


@require_http_methods(["GET", "POST"])
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's document as PDF (GET, read only); POST asks for it to be made, or made again, then comes back."""
    plan = get_plan_for_user(request.user, pk)
    form = DocumentOptionsForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("ตัวเลือกเอกสารไม่ถูกต้อง"))
    kind, digits, options = _plan_document_options(plan, form.cleaned_data)
    official = _official_copy(plan, kind, digits, options)
    if official is not None:
        return redirect("reports:published_pdf", official.pk)
    if request.method == "POST":
        policy.require(request.user, policy.Action.RENDER, plan)
        try:
            request_document(plan=plan, kind=kind, digits=digits, options=options)
        except UnprintableText as error:
            return _plan_status_page(request, plan, kind, digits, None, problems=error.problems)
        return redirect(request.get_full_path())
    key = fingerprint(plan, kind=kind, digits=digits, options=options)
    document = find_document(plan, kind=kind, digits=digits, key=key)
    if document is not None and document.status == RenderStatus.DONE:
        ascii_name, thai_name = document_filenames(plan, kind, options)
        return pdf_response(document.pdf, ascii_name=ascii_name, thai_name=thai_name)
    return _plan_status_page(request, plan, kind, digits, document)


@require_http_methods(["GET", "POST"])
def published_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen PDF of a published version (public); POST (members, administrators) restarts a failed render."""
    version = _get_published_version(pk)
    plan = version.plan
    if request.method == "POST":
        policy.require(request.user, policy.Action.RENDER, plan)
        retry_published(version)
        return redirect("reports:published_pdf", version.pk)
    if version.status == RenderStatus.DONE:
        pdf = PublishedVersion.objects.values_list("pdf", flat=True).get(pk=version.pk)
        ascii_name, thai_name = document_filenames(plan, DocumentKind.MEASURES, {})
        return pdf_response(pdf, ascii_name=ascii_name, thai_name=thai_name)
    title = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. %(year)s %(org)s (ฉบับเผยแพร่)") % {
        "year": format_number(plan.fiscal_year),
        "org": plan.organization.name,
    }
    retry = _can_manage(request.user, plan)
    return _waiting_page(request, status=version.status, message=version.message, title=title, retry=retry)


@require_GET
def published_version(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page of a published version: what the QR code on its last page opens."""
    version = _get_published_version(pk)
    plan = version.plan
    versions = (
        PublishedVersion.objects.filter(plan__organization=plan.organization, plan__fiscal_year=plan.fiscal_year)
        .select_related("plan")
        .defer("pdf", "context")
        .order_by("-plan__version")
    )
    context = {
        "version": version,
        "plan": plan,
        "fiscal_year": format_number(plan.fiscal_year),
        "plan_version": format_number(plan.version),
        "published_at": thai_datetime(version.published_at),
        "versions": [
            {
                "pk": v.pk,
                "number": format_number(v.plan.version),
                "current": v.pk == version.pk,
                "at": thai_date(timezone.localdate(v.published_at)),
            }
            for v in versions
        ],
        "data_url": reverse("reports:published_data", args=[version.pk]),
    }
    return render(request, "reports/published_version.html", context)


@require_GET
def published_data(request: HttpRequest, pk: int) -> HttpResponse:
    """The exact bytes whose SHA-256 is printed on the published PDF (canonical JSON of its data)."""
    version = _get_published_version(pk)
    response = HttpResponse(version.canonical_data, content_type="application/json; charset=utf-8")
    year = version.plan.fiscal_year
    response["Content-Disposition"] = content_disposition(
        f"measures-{year}-data.json", f"ข้อมูลมาตรการ-{safe_filename_part(version.plan.organization.name)}-{year}.json"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def plan_news(request: HttpRequest, pk: int) -> HttpResponse:
    """The ข่าวประชาสัมพันธ์ generated from a plan, to copy to the organisation's website; nothing here is saved."""
    plan = get_plan_for_user(request.user, pk)
    form = NewsOptionsForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("ตัวเลือกไม่ถูกต้อง"))
    digits = form.cleaned_data["digits"]
    data = news_input(plan)
    news = build_news(data, digits=digits)
    context = {
        "plan": plan,
        "year": format_number(plan.fiscal_year),
        "news": news,
        "blocks": news_blocks(news["body"]),
        "missing": missing_facts(data),
        "digits": digits,
    }
    return render(request, "reports/news.html", context)


# ---------------------------------------------------------------------------------------------
# The editable Word copy: built on request (well under a second) and streamed; nothing is stored.


def docx_response(context: dict, *, ascii_name: str, thai_name: str) -> HttpResponse:
    """The มาตรการ document as a .docx download, named like the PDF."""
    response = HttpResponse(measures_docx(context), content_type=DOCX_MIME)
    response["Content-Disposition"] = content_disposition(_as_docx(ascii_name), _as_docx(thai_name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def _as_docx(name: str) -> str:
    return name.removesuffix(".pdf") + ".docx"


@require_GET
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's มาตรการ document as Word, for whoever may see the plan (its published copy when it has one)."""
    plan = get_plan_for_user(request.user, pk)
    form = DocumentOptionsForm(request.GET)
    if not form.is_valid() or form.cleaned_data["kind"] != DocumentKind.MEASURES:
        return HttpResponseBadRequest(_("ตัวเลือกเอกสารไม่ถูกต้อง"))
    digits, options = form.cleaned_data["digits"], {"with_answers": True} if form.cleaned_data["answers"] else {}
    official = _official_copy(plan, DocumentKind.MEASURES, digits, options)
    if official is not None:
        return redirect("reports:published_docx", official.pk)
    context = measures_document_context(plan, digits=digits, with_answers=bool(options))
    ascii_name, thai_name = document_filenames(plan, DocumentKind.MEASURES, options)
    return docx_response(context, ascii_name=ascii_name, thai_name=thai_name)


@require_GET
def published_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """A published version as Word (public), from the data frozen when it was published."""
    version = _get_published_version(pk)
    ascii_name, thai_name = document_filenames(version.plan, DocumentKind.MEASURES, {})
    return docx_response(version.context, ascii_name=ascii_name, thai_name=thai_name)
