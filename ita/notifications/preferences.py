"""A user turns notification e-mails on or off; the change is recorded in the audit history."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from ita import audit
from ita.models import NotificationPreference


def set_email_enabled(user, enabled: bool) -> bool:
    """Store the user's choice; False (and nothing written) when it was already so."""
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        old = preference.email_enabled
        if old == enabled:
            return False
        preference.email_enabled = enabled
        preference.save(update_fields=["email_enabled", "updated_at"])
        audit.record(
            action="update",
            obj=preference,
            user=user,
            changes=audit.model_diff(NotificationPreference, {"email_enabled": old}, {"email_enabled": enabled}),
            summary=gettext("เปิดรับอีเมลแจ้งเตือน") if enabled else gettext("ปิดรับอีเมลแจ้งเตือน"),
        )
    return True
