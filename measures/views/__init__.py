"""The measure-plan pages, one module per topic: listing (list, create), plan, measures, followup, units.

Every view has the same shape: access check (measures.access: 404 outside what the user may see)
→ form → one model or workflow call → message + redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from measures.models import MeasurePlan, PlanError, PlanFrozen


def refused(request: HttpRequest, plan: MeasurePlan, error: PlanError | PermissionDenied) -> HttpResponse:
    """Turn a refused change into a message on the plan page; other users' permission errors stay 403."""
    if isinstance(error, PermissionDenied):
        if not plan.is_locked:
            raise error
        # A change to a submitted or frozen plan is refused for that, whoever asks. The status label
        # already ends in "แล้ว" (อนุมัติแล้ว, เผยแพร่แล้ว): it is quoted, never followed by another.
        if plan.status == MeasurePlan.Status.SUBMITTED:
            error = PlanFrozen(_("มาตรการฉบับนี้เสนอผู้บริหารแล้ว จึงแก้ไขไม่ได้จนกว่าผู้บริหารจะส่งกลับไปแก้ไข"))
        else:
            error = PlanFrozen(
                _("มาตรการฉบับนี้อยู่ในสถานะ “%(status)s” จึงแก้ไขไม่ได้") % {"status": plan.get_status_display()}
            )
    messages.error(request, str(error))
    return redirect("measures:detail", pk=plan.pk)
