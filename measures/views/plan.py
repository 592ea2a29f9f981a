"""The plan page: header details, the analysis texts, the measures table and the workflow buttons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ita import policy
from ita.history import history_context, wants_history
from ita.models import AuditEvent
from ita.thai import format_number
from measures.access import get_plan_for_user
from measures.forms import ApprovalForm, FindingForm, PlanDetailsForm, RegenerateForm, ReturnForm
from measures.models import STALE_MESSAGE, Finding, MeasurePlan, PlanError, PlanStateError, StaleEdit
from measures.plans import FindingChange, edit_finding, item_finding_groups, regenerate_plan, update_plan_details
from measures.views import refused
from measures.views.followup import plan_followup

CHANGE_WORDS = {
    "added": gettext_lazy("ใหม่"),
    "changed": gettext_lazy("เปลี่ยน"),
    "removed": gettext_lazy("ไม่อยู่ในผลล่าสุด"),
}


def _finding_label(key: str) -> str:
    kind, _sep, rest = key.partition(":")
    if kind == "indicator":
        return _("ตัวชี้วัดที่ %(n)s") % {"n": format_number(rest)}
    if kind == "item":
        return _("ข้อ %(code)s") % {"code": rest.upper()}
    return _("สรุปลำดับคะแนน")


def describe_changes(changes: list[FindingChange]) -> str:
    """A Thai sentence naming each generated text that changed, and whether the user's edit was kept."""
    if not changes:
        return _("ข้อความที่ระบบสร้างไม่มีการเปลี่ยนแปลง")
    parts = []
    for change in changes:
        note = str(CHANGE_WORDS[change.change])
        if change.edited:
            note += _(" คงข้อความที่แก้ไขไว้")
        parts.append(f"{_finding_label(change.key)} ({note})")
    return _("ข้อความที่ระบบสร้างเปลี่ยน %(n)s รายการ: %(list)s") % {
        "n": format_number(len(changes)),
        "list": ", ".join(parts),
    }


def _reports_url(name: str, plan: MeasurePlan) -> str | None:
    """A page of the reports app about the plan (its PDF, Word copy, news), once that app provides it."""
    try:
        return reverse(f"reports:{name}", args=[plan.pk])
    except NoReverseMatch:
        return None


def _followup_urls(plan: MeasurePlan) -> list[tuple[str, str]]:
    """A plan in force: its 6- and 12-month follow-up reports as (label, PDF address), made and cached like its PDF."""
    pdf_url = _reports_url("plan_pdf", plan)
    if pdf_url is None or not plan.is_frozen:
        return []
    return [
        (
            _("รายงานผลรอบ %(months)s เดือน (PDF)") % {"months": format_number(months)},
            f"{pdf_url}?kind=followup&round={months}",
        )
        for months in (6, 12)
    ]


def _permissions(plan: MeasurePlan, user) -> dict:
    """What the page offers this user; ita.policy decides the role, the plan's status the moment."""
    status, Action = plan.status, policy.Action
    superseded = getattr(plan, "superseded_by", None) is not None
    current_frozen = plan.is_frozen and not superseded
    return {
        "can_edit": plan.editable_by(user),
        "can_submit": status == MeasurePlan.Status.DRAFT and policy.can(user, Action.SUBMIT, plan),
        "can_review": status == MeasurePlan.Status.SUBMITTED and policy.can(user, Action.APPROVE, plan),
        "can_publish": status == MeasurePlan.Status.APPROVED and policy.can(user, Action.PUBLISH, plan),
        "can_new_version": current_frozen and policy.can(user, Action.NEW_VERSION, plan),
        "can_progress": current_frozen and policy.can(user, Action.RECORD_PROGRESS, plan),
        "is_member": policy.can(user, Action.RENDER, plan),
    }


STEP_LABELS = {
    "create": gettext_lazy("สร้างร่าง"),
    "submit": gettext_lazy("เสนอผู้บริหาร"),
    "return": gettext_lazy("ส่งกลับไปแก้ไข"),
    "approve": gettext_lazy("อนุมัติ"),
    "publish": gettext_lazy("เผยแพร่"),
}


def _timeline(plan: MeasurePlan) -> list[dict]:
    """Every workflow step of every submit/return cycle, oldest first, read from the plan's audit events.

    A step stamped on the plan with no event (rows made before the history existed) comes from its stamp.
    """
    events = (
        AuditEvent.objects.filter(object_type=MeasurePlan._meta.label_lower, object_id=plan.pk, action__in=STEP_LABELS)
        .select_related("user")
        .order_by("at", "pk")
    )
    steps = []
    for event in events:
        reason = (event.changes.get("return_reason") or {}).get("new") if event.action == "return" else None
        steps.append(
            {
                "action": event.action,
                "label": STEP_LABELS[event.action],
                "user": event.user,
                "user_name": event.user_name,
                "at": event.at,
                "reason": reason if isinstance(reason, str) else "",
            }
        )
    seen = {step["action"] for step in steps}
    stamps = [
        ("create", plan.created_by, plan.created_at),
        ("submit", plan.submitted_by, plan.submitted_at),
        ("return", plan.returned_by, plan.returned_at),
        ("approve", plan.approved_by, plan.approved_at),
        ("publish", plan.published_by, plan.published_at),
    ]
    for action, user, at in stamps:
        if at and action not in seen:
            reason = plan.return_reason if action == "return" else ""
            steps.append({"action": action, "label": STEP_LABELS[action], "user": user, "at": at, "reason": reason})
    steps.sort(key=lambda step: step["at"])
    return steps


def _analysis(plan: MeasurePlan) -> dict:
    findings = list(plan.findings.all())
    names = dict(plan.based_on.framework.indicators.values_list("number", "name"))
    indicators = [f for f in findings if f.kind in (Finding.Kind.STRENGTH, Finding.Kind.WEAKNESS)]
    # Findings are stored in ranking order (strengths, then weaknesses, each highest first).
    ranking = [f for f in indicators if f.current]
    return {
        "summary": next((f for f in findings if f.kind == Finding.Kind.SUMMARY), None),
        "ranking": [{"rank": i, "finding": f, "name": names.get(f.indicator, "")} for i, f in enumerate(ranking, 1)],
        "strengths": [f for f in indicators if f.kind == Finding.Kind.STRENGTH],
        "weaknesses": [f for f in indicators if f.kind == Finding.Kind.WEAKNESS],
        "item_groups": item_finding_groups(plan=plan, findings=findings, names=names),
        "names": names,
    }


def render_plan(
    request: HttpRequest,
    plan: MeasurePlan,
    *,
    details_form: PlanDetailsForm | None = None,
    return_form: ReturnForm | None = None,
    finding_draft: tuple[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan page; a bound details or return form (invalid or stale) is shown instead of a fresh one.

    `finding_draft` (finding id, text) offers back a finding text that was not saved because it was stale.
    """
    permissions = _permissions(plan, request.user)
    measures = list(plan.measures.all())
    context = {
        "plan": plan,
        "year": format_number(plan.fiscal_year),
        "measures": measures,
        "timeline": _timeline(plan),
        "details_form": details_form or (PlanDetailsForm(plan=plan) if permissions["can_edit"] else None),
        "regenerate_form": RegenerateForm() if permissions["can_edit"] else None,
        "return_form": return_form or (ReturnForm() if permissions["can_review"] else None),
        "pdf_url": _reports_url("plan_pdf", plan),
        "docx_url": _reports_url("plan_docx", plan),
        "news_url": _reports_url("plan_news", plan),
        "followup_urls": _followup_urls(plan),
        "followup": plan_followup(plan, measures) if plan.is_frozen else None,
        "draft_finding_pk": finding_draft[0] if finding_draft else None,
        "draft_finding_text": finding_draft[1] if finding_draft else "",
        **_analysis(plan),
        **permissions,
    }
    return render(request, "measures/plan_detail.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if wants_history(request):
        return _render_history(request, plan)
    return render_plan(request, plan)


def _render_history(request: HttpRequest, plan: MeasurePlan) -> HttpResponse:
    """The history tab: the plan's details, transitions, measures, progress and publication, newest first."""
    context = {
        "plan": plan,
        "year": format_number(plan.fiscal_year),
        **history_context(request, AuditEvent.objects.for_subject(plan)),
    }
    return render(request, "measures/plan_history.html", context)


@login_required
@require_POST
def plan_details(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    form = PlanDetailsForm(request.POST, plan=plan)
    if not form.is_valid():
        if not plan.editable_by(request.user):
            return refused(request, plan, PermissionDenied())
        return render_plan(request, plan, details_form=form, status=400)
    try:
        changes = update_plan_details(
            plan=plan, by=request.user, lock_version=form.cleaned_data["lock_version"], **form.changes()
        )
    except StaleEdit:
        # Never overwrite silently: show what is stored now and let the user decide again.
        messages.error(request, str(STALE_MESSAGE))
        return render_plan(request, get_plan_for_user(request.user, pk), status=409)
    except (PlanError, PermissionDenied) as error:
        return refused(request, plan, error)
    text = _("บันทึกรายละเอียดของมาตรการแล้ว")
    if changes:
        text += " " + _("เกณฑ์เปลี่ยน จึงปรับผลการวิเคราะห์ใหม่:") + " " + describe_changes(changes)
    messages.success(request, text)
    return redirect("measures:detail", pk=pk)


@login_required
@require_POST
def finding_edit(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    policy.require(request.user, policy.Action.DRAFT_PLAN, plan)
    finding = get_object_or_404(plan.findings, pk=finding_pk)
    finding.plan = plan
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ข้อความต้องไม่ว่างและยาวไม่เกิน ๕,๐๐๐ ตัวอักษร"))
        return redirect("measures:detail", pk=pk)
    text = form.cleaned_data["text"]
    try:
        edit_finding(finding=finding, text=text, by=request.user, fingerprint=form.cleaned_data["fingerprint"])
    except StaleEdit as error:
        # Never overwrite silently: the page shows the stored text and offers the user's text back to save again.
        messages.error(request, str(error))
        return render_plan(request, get_plan_for_user(request.user, pk), finding_draft=(finding.pk, text), status=409)
    except (PlanError, PermissionDenied) as error:
        return refused(request, plan, error)
    messages.success(request, _("บันทึกข้อความ%(label)sแล้ว") % {"label": _finding_label(finding.key)})
    return redirect(f"{reverse('measures:detail', args=[pk])}#finding-{finding.pk}")


@login_required
@require_POST
def regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    form = RegenerateForm(request.POST)
    discard = form.is_valid() and form.cleaned_data["mode"] == RegenerateForm.DISCARD
    try:
        changes = regenerate_plan(plan=plan, by=request.user, discard_edits=discard)
    except (PlanError, PermissionDenied) as error:
        return refused(request, plan, error)
    messages.success(request, _("สร้างผลการวิเคราะห์ใหม่จากคะแนนล่าสุดแล้ว") + " " + describe_changes(changes))
    return redirect("measures:detail", pk=pk)


TRANSITIONS = {
    "submit": ("submit", policy.Action.SUBMIT, gettext_lazy("เสนอมาตรการต่อผู้บริหารแล้ว")),
    "return": ("return_to_draft", policy.Action.APPROVE, gettext_lazy("ส่งมาตรการกลับไปแก้ไขแล้ว")),
    "approve": ("approve", policy.Action.APPROVE, gettext_lazy("อนุมัติมาตรการแล้ว")),
    "publish": ("publish", policy.Action.PUBLISH, gettext_lazy("เผยแพร่มาตรการแล้ว")),
}
# Approving and publishing go through a confirmation page that carries the version the executive read.
CONFIRMED = {
    "approve": {
        "source": MeasurePlan.Status.SUBMITTED,
        "title": gettext_lazy("ยืนยันการอนุมัติมาตรการ"),
        "button": gettext_lazy("ยืนยันอนุมัติมาตรการฉบับนี้"),
        "explain": gettext_lazy("เมื่ออนุมัติแล้ว มาตรการฉบับนี้จะแก้ไขไม่ได้ หากต้องแก้ไขภายหลังต้องสร้างฉบับแก้ไขและเสนออนุมัติใหม่"),
    },
    "publish": {
        "source": MeasurePlan.Status.APPROVED,
        "title": gettext_lazy("ยืนยันการเผยแพร่มาตรการ"),
        "button": gettext_lazy("ยืนยันเผยแพร่มาตรการฉบับนี้ต่อสาธารณะ"),
        "explain": gettext_lazy("เมื่อเผยแพร่แล้ว ประชาชนจะเห็นมาตรการฉบับนี้ในหน้าเผยแพร่ และจะถอนการเผยแพร่ไม่ได้"),
    },
}


@login_required
@require_GET
def confirm(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The page before approving or publishing: what is being approved, and one POST button (no JavaScript)."""
    if action not in CONFIRMED:
        raise Http404
    plan = get_plan_for_user(request.user, pk)
    policy.require(request.user, TRANSITIONS[action][1], plan)
    step = CONFIRMED[action]
    if plan.status != step["source"]:
        messages.error(
            request,
            _("มาตรการฉบับนี้อยู่ในสถานะ %(status)s จึงดำเนินการนี้ไม่ได้") % {"status": plan.get_status_display()},
        )
        return redirect("measures:detail", pk=pk)
    context = {
        "plan": plan,
        "year": format_number(plan.fiscal_year),
        "action": action,
        "step": step,
        "measures": list(plan.measures.all()),
        "finding_count": plan.findings.count(),
        "form": ApprovalForm(initial={"lock_version": plan.lock_version}),
    }
    return render(request, "measures/plan_confirm.html", context)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    plan = get_plan_for_user(request.user, pk)
    method, needed, done = TRANSITIONS[action]
    # The role first (403), whatever the form holds; the model checks it again with the status, atomically.
    policy.require(request.user, needed, plan)
    arguments = {}
    if action in CONFIRMED:
        form = ApprovalForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("โปรดตรวจสอบมาตรการและยืนยันจากหน้านี้อีกครั้ง"))
            return redirect("measures:confirm", pk=pk, action=action)
        arguments["lock_version"] = form.cleaned_data["lock_version"]
    elif action == "return":
        form = ReturnForm(request.POST)
        if not form.is_valid():
            if plan.status != MeasurePlan.Status.SUBMITTED:
                messages.error(request, _("มาตรการฉบับนี้ไม่ได้อยู่ระหว่างรอผู้บริหารพิจารณา"))
                return redirect("measures:detail", pk=pk)
            messages.error(request, _("ยังไม่ได้ส่งกลับ โปรดระบุเหตุผลที่ส่งกลับไปแก้ไข"))
            return render_plan(request, plan, return_form=form, status=400)
        arguments["reason"] = form.cleaned_data["reason"]
    try:
        # Publishing also freezes the public copy (data, PDF, SHA-256) in the same transaction (plan_published).
        getattr(plan, method)(by=request.user, **arguments)
    except StaleEdit as error:
        # Never approve unseen text: show what is stored now and let the executive decide again.
        messages.error(request, str(error))
        return render_plan(request, get_plan_for_user(request.user, pk), status=409)
    except PlanStateError as error:
        messages.error(request, str(error))
        return redirect("measures:detail", pk=pk)
    messages.success(request, str(done))
    return redirect("measures:detail", pk=pk)


@login_required
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    try:
        created = plan.new_version(by=request.user)
    except PlanStateError as error:
        messages.error(request, str(error))
        return redirect("measures:detail", pk=pk)
    messages.success(
        request,
        _("สร้างฉบับแก้ไขที่ %(new)s แล้ว ฉบับที่ %(old)s ยังเก็บไว้ตามเดิม")
        % {"new": format_number(created.version), "old": format_number(plan.version)},
    )
    return redirect("measures:detail", pk=created.pk)
