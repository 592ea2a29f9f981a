"""The OIT evidence checklist page of one organisation and year, its paste box, copy-out, carry-forward
and link check button.

Members, assigned auditors and administrators read it (404 for anyone else); staff and administrators
change it (ita.policy EDIT_EVIDENCE, 403 for executives and auditors). Saves are version-guarded: a stale
save answers 409 with the stored values and the user's own text offered back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ita import policy
from ita.access import get_organization_for_user
from ita.forms import year_label
from ita.history import history_context, wants_history, when
from ita.models import Assessment, AuditEvent, EvidenceChecklist, Framework, Item
from ita.oit.checklist import (
    StaleChecklist,
    carry_forward,
    checklist_for,
    itas_text,
    oit_items,
    save_entries,
    stored_values,
)
from ita.oit.estimating import estimate_for
from ita.oit.forms import STALE_MESSAGE, ChecklistForm, PasteForm, model_url_problem
from ita.oit.linkhealth import CoolingDown, checking, request_check
from ita.oit.paste import parse_paste
from ita.oit.status import counts, counts_text, item_health
from ita.thai import format_number


def _get_checklist_for_user(user, code: str, year: int) -> tuple[EvidenceChecklist, list[Item]]:
    """The year's checklist (unsaved when none yet) and OIT items; 404 outside the user's organisations
    or for a year without a framework."""
    organization = get_organization_for_user(user, code)
    framework = Framework.objects.filter(source=Framework.Source.NACC_ITAS, fiscal_year=year).first()
    if framework is None:
        raise Http404
    return checklist_for(organization, framework), oit_items(framework)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    checklist, items = _get_checklist_for_user(request.user, code, year)
    can_edit = policy.can(request.user, policy.Action.EDIT_EVIDENCE, checklist)
    if request.method != "POST":
        if wants_history(request):
            return _render_history(request, checklist)
        return _render(request, checklist, items, can_edit=can_edit)
    policy.require(request.user, policy.Action.EDIT_EVIDENCE, checklist)
    values = stored_values(checklist)
    form = ChecklistForm(request.POST, items=items, values=values, version=checklist.version)
    if not form.is_valid():
        return _render(request, checklist, items, can_edit=True, form=form, status=400)
    summary = _("แก้ไขรายการหลักฐาน OIT")
    try:
        event = save_entries(
            checklist=checklist,
            version=form.cleaned_data["version"],
            wanted=form.wanted(),
            user=request.user,
            summary=summary,
        )
    except StaleChecklist:
        return _stale(request, checklist, items, drafts=form.typed(values))
    messages.success(request, _("บันทึกรายการหลักฐานแล้ว") if event else _("ไม่มีสิ่งที่เปลี่ยน"))
    return redirect("oit:checklist", code=checklist.organization.code, year=year)


@login_required
@require_POST
def paste(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Preview what the pasted lines change; with "apply", save them (only when no line has an error)."""
    checklist, items = _get_checklist_for_user(request.user, code, year)
    policy.require(request.user, policy.Action.EDIT_EVIDENCE, checklist)
    form = PasteForm(request.POST)
    if not form.is_valid():
        return _render(request, checklist, items, can_edit=True, paste_form=form, status=400)
    by_code = {item.code: item for item in items}
    parsed = parse_paste(form.cleaned_data["text"], by_code.keys(), check_url=model_url_problem)
    values = stored_values(checklist)
    preview = [
        {"code": c.upper(), "old": values.get(by_code[c].pk, ([], ""))[0], "new": urls}
        for c, urls in parsed.urls.items()
        if urls != values.get(by_code[c].pk, ([], ""))[0]
    ]
    if parsed.errors or request.POST.get("action") != "apply":
        context = {"preview": preview, "paste_errors": [str(e) for e in parsed.errors], "previewed": True}
        return _render(request, checklist, items, can_edit=True, paste_form=form, extra=context)
    wanted = {by_code[c]: (urls, None) for c, urls in parsed.urls.items()}
    summary = _("วางรายการลิงก์ OIT: เปลี่ยน %(count)s ข้อ") % {"count": format_number(len(preview))}
    try:
        save_entries(
            checklist=checklist, version=form.cleaned_data["version"], wanted=wanted, user=request.user, summary=summary
        )
    except StaleChecklist:
        drafts = [{"code": _("รายการที่วางไว้"), "urls": form.cleaned_data["text"], "note": ""}]
        return _stale(request, checklist, items, drafts=drafts)
    messages.success(request, summary)
    return redirect("oit:checklist", code=checklist.organization.code, year=year)


@login_required
@require_GET
def download(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The copy-out as a UTF-8 text file."""
    checklist, items = _get_checklist_for_user(request.user, code, year)
    response = HttpResponse(itas_text(items, stored_values(checklist)), content_type="text/plain; charset=utf-8")
    filename = f"oit-{checklist.organization.code}-{year}.txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def carry(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Start next year's checklist from this one through the crosswalk."""
    checklist, _items = _get_checklist_for_user(request.user, code, year)
    policy.require(request.user, policy.Action.EDIT_EVIDENCE, checklist)
    target = Framework.objects.filter(source=Framework.Source.NACC_ITAS, fiscal_year=year + 1).first()
    if target is None or checklist.pk is None:
        messages.error(request, _("ยกรายการไปปีถัดไปไม่ได้: ยังไม่มีกรอบการประเมินของปีถัดไป หรือปีนี้ยังไม่มีหลักฐาน"))
        return redirect("oit:checklist", code=checklist.organization.code, year=year)
    try:
        result = carry_forward(checklist=checklist, target=target, user=request.user)
    except StaleChecklist:
        messages.error(request, _("ยกรายการไม่สำเร็จ เพราะมีผู้อื่นแก้ไขรายการของปีถัดไปพร้อมกัน โปรดลองอีกครั้ง"))
        return redirect("oit:checklist", code=checklist.organization.code, year=year)
    messages.success(
        request,
        _("ยกหลักฐานมาจาก%(year)s %(count)s ข้อ")
        % {"year": year_label(year), "count": format_number(len(result.carried))},
    )
    if result.not_linked:
        messages.warning(
            request, _("ข้อที่ไม่ได้ยกมาเพราะไม่มีข้อที่ตรงกันในปีถัดไป: %(codes)s") % {"codes": ", ".join(result.not_linked)}
        )
    if result.kept:
        messages.info(request, _("ข้อที่ปีถัดไปมีหลักฐานอยู่แล้วจึงไม่ได้เขียนทับ: %(codes)s") % {"codes": ", ".join(result.kept)})
    return redirect("oit:checklist", code=checklist.organization.code, year=year + 1)


@login_required
@require_POST
def check_links(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Check every URL of the checklist now (in the background), at most once per cool-down."""
    checklist, _items = _get_checklist_for_user(request.user, code, year)
    policy.require(request.user, policy.Action.EDIT_EVIDENCE, checklist)
    back = redirect("oit:checklist", code=checklist.organization.code, year=year)
    if not any(urls for urls, _note in stored_values(checklist).values()):
        messages.error(request, _("ยังไม่มีลิงก์ให้ตรวจ: ใส่ลิงก์หลักฐานแล้วบันทึกก่อน"))
        return back
    try:
        request_check(checklist=checklist)
    except CoolingDown as refused:
        messages.error(
            request,
            _("เพิ่งสั่งตรวจลิงก์ไปเมื่อไม่นานนี้ สั่งตรวจอีกครั้งได้ตั้งแต่ %(time)s") % {"time": when(refused.until)},
        )
        return back
    messages.success(request, _("สั่งตรวจลิงก์แล้ว ผลการตรวจจะแสดงในหน้านี้เมื่อตรวจเสร็จ"))
    return back


def _stale(
    request: HttpRequest, checklist: EvidenceChecklist, items: list[Item], *, drafts: list[dict]
) -> HttpResponse:
    # Never overwrite silently: show what is stored now, with what the user typed to copy back.
    messages.error(request, STALE_MESSAGE)
    current = checklist_for(checklist.organization, checklist.framework)
    return _render(request, current, items, can_edit=True, extra={"drafts": drafts}, status=409)


def _render_history(request: HttpRequest, checklist: EvidenceChecklist) -> HttpResponse:
    events = AuditEvent.objects.for_subject(checklist) if checklist.pk else AuditEvent.objects.none()
    context = {"checklist": checklist, "year": format_number(checklist.fiscal_year), **history_context(request, events)}
    return render(request, "ita/oit/history.html", context)


def _render(
    request: HttpRequest,
    checklist: EvidenceChecklist,
    items: list[Item],
    *,
    can_edit: bool,
    form: ChecklistForm | None = None,
    paste_form: PasteForm | None = None,
    extra: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    values = stored_values(checklist)
    if form is None:
        form = ChecklistForm(items=items, values=values, version=checklist.version, read_only=not can_edit)
    organization = checklist.organization
    health = item_health(checklist, items, values)
    filled = sum(1 for item in items if values.get(item.pk, ([], ""))[0])
    next_year = checklist.fiscal_year + 1
    context = {
        "checklist": checklist,
        "organization": organization,
        "year": format_number(checklist.fiscal_year),
        "year_number": checklist.fiscal_year,
        "form": form,
        "rows": [(item, urls, note, health[item.pk]) for item, urls, note in form.rows()],
        "health_summary": counts_text(counts(health)),
        "checking": checking(checklist),
        "checked_at": when(checklist.links_checked_at) if checklist.links_checked_at else "",
        "paste_form": paste_form or PasteForm(initial={"version": checklist.version}),
        "can_edit": can_edit,
        "itas_text": itas_text(items, values),
        "filled": format_number(filled),
        "total": format_number(len(items)),
        "updated_by": checklist.updated_by if checklist.pk else None,
        "next_year": format_number(next_year),
        "can_carry": can_edit
        and checklist.pk is not None
        and Framework.objects.filter(source=Framework.Source.NACC_ITAS, fiscal_year=next_year).exists(),
        "assessment": Assessment.objects.filter(organization=organization, fiscal_year=checklist.fiscal_year).first(),
        **(extra or {}),
    }
    context["estimate"] = estimate_for(checklist, items, health) if items else None
    return render(request, "ita/oit/checklist.html", context, status=status)
