"""Administrators assign auditors to the organisations they review, by searching names (not the admin's raw ids).

One page: a search box over organisation names/codes and auditors' names, the form that adds an
assignment (its choices are the search's results) and the current assignments, each with a remove
button. Adding and removing are POSTs, written with an AuditEvent in the same transaction.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ita import audit, policy
from ita.models import AuditorAssignment, Membership, Organization
from ita.thai import format_number

QUERY_LENGTH = 100
CHOICE_LIMIT = 50  # choices offered in each list; a longer list asks for a narrower search
ASSIGNMENT_LIMIT = 200


def _require_administrator(request: HttpRequest) -> None:
    if not policy.is_administrator(request.user):
        raise PermissionDenied


def _query(data) -> str:
    return str(data.get("q", "")).strip()[:QUERY_LENGTH]


def auditors(query: str = "") -> QuerySet:
    """Users whose role is auditor, matched on their user name, first or last name."""
    users = get_user_model().objects.filter(membership__role=Membership.Role.AUDITOR, is_active=True)
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    return users.order_by("username")


def organizations(query: str = "") -> QuerySet:
    found = Organization.objects.all()
    if query:
        found = found.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return found.order_by("province", "name", "pk")


def assignments(query: str = "") -> QuerySet:
    rows = AuditorAssignment.objects.select_related("user", "organization")
    if query:
        rows = rows.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(organization__name__icontains=query)
            | Q(organization__code__icontains=query)
        )
    return rows.order_by("organization__name", "user__username", "pk")


def user_label(user) -> str:
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


class AuditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


class AssignmentForm(forms.Form):
    """An auditor and an organisation. The choices are the search's results; any other id is refused."""

    user = AuditorChoiceField(
        label=gettext_lazy("ผู้ตรวจสอบ"),
        queryset=get_user_model().objects.none(),
        error_messages={
            "required": gettext_lazy("โปรดเลือกผู้ตรวจสอบ"),
            "invalid_choice": gettext_lazy("ไม่พบผู้ตรวจสอบที่เลือก"),
        },
    )
    organization = OrganizationChoiceField(
        label=gettext_lazy("หน่วยงาน"),
        queryset=Organization.objects.none(),
        error_messages={
            "required": gettext_lazy("โปรดเลือกหน่วยงาน"),
            "invalid_choice": gettext_lazy("ไม่พบหน่วยงานที่เลือก"),
        },
    )
    note = forms.CharField(label=gettext_lazy("หมายเหตุ (ถ้ามี)"), max_length=255, required=False)

    def __init__(self, *args, query: str = "", limit: int | None = CHOICE_LIMIT, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users, orgs = auditors(query), organizations(query)
        # A search that matches only names of one kind still offers the whole other list (bounded).
        if query and not users.exists():
            users = auditors()
        if query and not orgs.exists():
            orgs = organizations()
        if limit is not None:
            users, orgs = users[:limit], orgs[:limit]
        self.fields["user"].queryset = users
        self.fields["organization"].queryset = orgs


def _back(query: str) -> HttpResponse:
    url = reverse("auditor_assignments")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@login_required
@require_GET
def assignment_page(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    query = _query(request.GET)
    return _render(request, query, AssignmentForm(query=query))


def _render(request: HttpRequest, query: str, form: AssignmentForm, status: int = 200) -> HttpResponse:
    rows = list(assignments(query)[: ASSIGNMENT_LIMIT + 1])
    context = {
        "query": query,
        "form": form,
        "rows": [{"assignment": row, "user": user_label(row.user)} for row in rows[:ASSIGNMENT_LIMIT]],
        "truncated": len(rows) > ASSIGNMENT_LIMIT,
        "limit": format_number(ASSIGNMENT_LIMIT),
        "no_auditors": not auditors().exists(),
    }
    return render(request, "ita/auditor_assignments.html", context, status=status)


@login_required
@require_POST
def assignment_add(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    query = _query(request.POST)
    # Validated against every auditor and organisation: the choice was offered by an earlier search.
    form = AssignmentForm(request.POST, limit=None)
    if not form.is_valid():
        form.fields["user"].queryset = auditors(query)[:CHOICE_LIMIT]
        form.fields["organization"].queryset = organizations(query)[:CHOICE_LIMIT]
        return _render(request, query, form, status=400)
    user, organization = form.cleaned_data["user"], form.cleaned_data["organization"]
    with transaction.atomic():
        assignment, created = AuditorAssignment.objects.get_or_create(
            user=user, organization=organization, defaults={"note": form.cleaned_data["note"]}
        )
        if created:
            audit.record(
                action="create",
                obj=assignment,
                user=request.user,
                changes={"auditor": {"label": _("ผู้ตรวจสอบ"), "old": None, "new": user.username}},
                summary=_("มอบหมายให้ %(user)s ตรวจสอบ%(org)s") % {"user": user.username, "org": organization.name},
            )
    names = {"user": user_label(user), "org": organization.name}
    if created:
        messages.success(request, _("มอบหมายให้ %(user)s ตรวจสอบ%(org)s แล้ว") % names)
    else:
        messages.info(request, _("%(user)s ได้รับมอบหมายให้ตรวจสอบ%(org)s อยู่แล้ว") % names)
    return _back(query)


@login_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    query = _query(request.POST)
    with transaction.atomic():
        rows = AuditorAssignment.objects.select_for_update().select_related("user", "organization")
        assignment = get_object_or_404(rows, pk=pk)
        label = {"user": user_label(assignment.user), "org": assignment.organization.name}
        username = assignment.user.username
        audit.record(
            action="delete",
            obj=assignment,
            user=request.user,
            changes={"auditor": {"label": _("ผู้ตรวจสอบ"), "old": username, "new": None}},
            summary=_("ยกเลิกการมอบหมายให้ %(user)s ตรวจสอบ%(org)s") % {"user": username, "org": label["org"]},
        )
        assignment.delete()
    messages.success(request, _("ยกเลิกการมอบหมายให้ %(user)s ตรวจสอบ%(org)s แล้ว") % label)
    return _back(query)
