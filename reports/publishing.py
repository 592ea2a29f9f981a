"""Publishing a plan: the status change and the frozen public version happen in one transaction.

`MeasurePlan.publish` changes the status and sends `plan_published` inside its transaction; the
receiver here (connected in ReportsConfig.ready) freezes the public copy, so every way of publishing
freezes one and measures never needs to know about reports.
"""

from __future__ import annotations

from django.utils.translation import gettext

from ita import audit
from ita.thai import format_number
from measures.models import MeasurePlan, PlanStateError
from reports.documents.measures import measures_document_context
from reports.models import PublishedVersion, canonical_json, sha256_hex
from reports.rendering import UnprintableText, check_printable, enqueue_published_render


def publish_plan(*, plan: MeasurePlan, by) -> PublishedVersion:
    """Publish an approved plan and freeze its data; the PDF is rendered from that data after commit.

    Raises what `MeasurePlan.publish` raises (PlanPermissionDenied, PlanStateError); then nothing
    is written. A correction is a new plan version, which gets its own PublishedVersion when it
    is published; earlier versions keep theirs.
    """
    plan.publish(by=by)
    return plan.published_version


def freeze_published_version(sender, *, plan: MeasurePlan, by, **kwargs) -> PublishedVersion:
    """The receiver of `plan_published`: the plan's data as printed, frozen with its hash, PDF after commit.

    Refuses (PlanStateError, Thai) a plan whose text the document font cannot print.
    """
    context = measures_document_context(plan, digits="thai")
    try:
        check_printable(context)
    except UnprintableText as error:
        # Raised inside the publish transaction: the plan stays approved and nothing is frozen.
        raise PlanStateError(" ".join([str(error), *error.problems])) from error
    version = PublishedVersion.objects.create(
        plan=plan,
        context=context,
        data_sha256=sha256_hex(canonical_json(context)),
        published_by=by,
        published_at=plan.published_at,
    )
    audit.record(
        action="publish_version",
        obj=version,
        user=by,
        changes=audit.diff({}, {"data_sha256": version.data_sha256}, labels={"data_sha256": "SHA-256 ของข้อมูล"}),
        summary=gettext("เผยแพร่ฉบับที่ %(version)s ต่อสาธารณะ ข้อมูลมี SHA-256 %(sha)s")
        % {"version": format_number(plan.version), "sha": version.data_sha256},
    )
    enqueue_published_render(version.pk)
    return version
