"""Setting or removing an organisation's emblem, recorded in the audit history like any organisation edit."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from ita import audit
from ita.emblems.image import Emblem
from ita.models import AuditEvent, Organization, OrganizationEmblem, Source

EMBLEM_LABEL = "ตราสัญลักษณ์"


def replace_emblem(organization: Organization, emblem: Emblem | None, *, user, source: str = Source.FORM) -> bool:
    """Store `emblem` as the organisation's (None: remove it); True when anything changed.

    The history keeps the images' SHA-256, never their bytes.
    """
    with transaction.atomic():
        stored = OrganizationEmblem.objects.select_for_update().filter(organization=organization)
        old = stored.values_list("sha256", flat=True).first()
        new = emblem.sha256 if emblem is not None else None
        if old == new:
            return False
        if emblem is None:
            stored.delete()
            summary = gettext("ลบตราสัญลักษณ์ของ%(org)s") % {"org": organization.name}
        else:
            OrganizationEmblem.objects.update_or_create(
                organization=organization,
                defaults={
                    "content": emblem.content,
                    "content_type": emblem.content_type,
                    "sha256": emblem.sha256,
                    "width": emblem.width,
                    "height": emblem.height,
                },
            )
            verb = gettext("เปลี่ยน") if old else gettext("เพิ่ม")
            summary = gettext("%(verb)sตราสัญลักษณ์ของ%(org)s") % {"verb": verb, "org": organization.name}
        changes = {"emblem_sha256": {"label": EMBLEM_LABEL, "old": old, "new": new}}
        audit.record(action="update", obj=organization, summary=summary, user=user, source=source, changes=changes)
    return True


def emblem_events(organization: Organization):
    """The organisation's recorded emblem changes, newest first (shown under the preview)."""
    return AuditEvent.objects.filter(
        object_type=Organization._meta.label_lower, object_id=organization.pk, changes__has_key="emblem_sha256"
    ).order_by("-at", "-pk")
