"""Publishing a plan: the status change and the frozen public version happen in one transaction."""

from __future__ import annotations

from django.db import transaction

from measures.models import MeasurePlan
from reports.context import measures_document_context
from reports.models import PublishedVersion, canonical_json, sha256_hex
from reports.tasks import enqueue_published_render


def publish_plan(*, plan: MeasurePlan, by) -> PublishedVersion:
    """Publish an approved plan and freeze its data; the PDF is rendered from that data after commit.

    Raises what `MeasurePlan.publish` raises (PlanPermissionDenied, PlanStateError); then nothing
    is written. A correction is a new plan version, which gets its own PublishedVersion when it
    is published; earlier versions keep theirs.
    """
    with transaction.atomic():
        plan.publish(by=by)
        context = measures_document_context(plan, digits="thai")
        version = PublishedVersion.objects.create(
            plan=plan,
            context=context,
            data_sha256=sha256_hex(canonical_json(context)),
            published_by=by,
            published_at=plan.published_at,
        )
        enqueue_published_render(version.pk)
    return version
