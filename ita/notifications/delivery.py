"""The outbox: deliveries are written inside the event's transaction and sent by a Celery task after commit.

Once per event and recipient: a delivery row is unique per (event_key, recipient), so queueing the same
event again adds nothing. Once per row: a worker sends only the rows it claimed with one conditional
UPDATE (pending → sending, stamped with its own token), so two workers, a re-delivered task or a
retry never both send one row. A send that fails leaves the row pending with its error and the task
retries it with growing delays; after MAX_ATTEMPTS the row is failed and keeps the error.

The limit: a worker killed after the SMTP server accepted a mail but before the row was marked sent
leaves it "sending"; the sweep (ita.sweeps) puts such a row back to pending after STALE_AFTER and it
is sent again. We chose "at least once" there: a duplicate mail is better than a lost return reason.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import timedelta

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita.models import Delivery, NotificationPreference
from ita.notifications.mail import Mail

logger = logging.getLogger(__name__)

# Seconds the task waits before its 2nd, 3rd and 4th attempt; all shorter than STALE_AFTER, so the sweep
# does not race a retry that is still due.
RETRY_DELAYS = (60, 300, 600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A row untouched this long while pending or sending was lost (worker killed, broker down at commit).
STALE_AFTER = timedelta(minutes=15)
# Event keys per task, so that a daily reminder run becomes many short tasks rather than one long one.
KEYS_PER_TASK = 50

SKIP_NO_ADDRESS = _("ผู้รับไม่มีที่อยู่อีเมลในระบบ")
SKIP_OPTED_OUT = _("ผู้รับปิดการรับอีเมลแจ้งเตือน")
SKIP_INACTIVE = _("บัญชีผู้รับถูกปิดการใช้งาน")


def queue(event_key: str, mails: Iterable[Mail]) -> None:
    """Store the event's mails (a recipient it already has is left alone) and send them after commit."""
    queue_many({event_key: list(mails)})


def queue_many(batches: Mapping[str, Iterable[Mail]]) -> None:
    """queue() for several events at once: one insert, then tasks of at most KEYS_PER_TASK events after commit."""
    rows = [
        Delivery(event_key=key, recipient_id=mail.recipient_id, subject=mail.subject, body=mail.body)
        for key, mails in batches.items()
        for mail in mails
    ]
    if not rows:
        return
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    keys = sorted({row.event_key for row in rows})
    for start in range(0, len(keys), KEYS_PER_TASK):
        chunk = keys[start : start + KEYS_PER_TASK]
        # Sent after commit: a rolled-back event leaves no rows and no task.
        transaction.on_commit(lambda chunk=chunk: enqueue(chunk))


def already_queued(event_keys: Iterable[str]) -> set[tuple[str, int]]:
    """(event key, recipient id) of the deliveries the events already have, in chunks of 500 keys."""
    keys = sorted(set(event_keys))
    found: set[tuple[str, int]] = set()
    for start in range(0, len(keys), 500):
        rows = Delivery.objects.filter(event_key__in=keys[start : start + 500])
        found.update(rows.values_list("event_key", "recipient_id"))
    return found


def enqueue(event_keys: list[str]) -> None:
    """Ask a worker to send the events' pending deliveries; a broker outage is logged, not raised.

    The rows are already stored, so the sweep sends them later: an unreachable broker must not turn a
    plan's committed approval into an error page.
    """
    try:
        send_notifications_task.delay(event_keys)
    except Exception:
        logger.exception("could not enqueue notifications %s; the sweep will send them", event_keys)


def _claim(event_keys: list[str]) -> tuple[str, list[Delivery]]:
    """Take the events' pending rows for this worker alone: one conditional UPDATE, then read what it took."""
    token = uuid.uuid4().hex
    Delivery.objects.filter(event_key__in=event_keys, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, claim=token, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    claimed = Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING).select_related("recipient")
    return token, list(claimed.order_by("pk"))


def _finish(delivery: Delivery, token: str, status: str, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk, claim=token).update(status=status, updated_at=timezone.now(), **fields)


def _skip_reason(user, opted_out: set[int]) -> str:
    if not user.is_active:
        return str(SKIP_INACTIVE)
    if not user.email:
        return str(SKIP_NO_ADDRESS)
    if user.pk in opted_out:
        return str(SKIP_OPTED_OUT)
    return ""


def _deliver(delivery: Delivery, token: str, opted_out: set[int]) -> bool:
    """Send one claimed row, or record why it is skipped; False when sending failed."""
    user = delivery.recipient
    reason = _skip_reason(user, opted_out)
    if reason:
        _finish(delivery, token, Delivery.Status.SKIPPED, skip_reason=reason)
        return True
    try:
        EmailMessage(subject=delivery.subject, body=delivery.body, to=[user.email]).send()
    except Exception as error:  # SMTP refusals, timeouts, DNS: the row keeps the reason and is tried again
        status = Delivery.Status.FAILED if delivery.attempts >= MAX_ATTEMPTS else Delivery.Status.PENDING
        _finish(delivery, token, status, last_error=f"{type(error).__name__}: {error}"[:2000])
        logger.warning("notification %s to user %s failed: %s", delivery.event_key, user.pk, error)
        return False
    _finish(delivery, token, Delivery.Status.SENT, email=user.email, sent_at=timezone.now(), last_error="")
    return True


def send_pending(event_keys: list[str]) -> int:
    """Send the events' pending deliveries that this call claims; returns how many failed (and wait for a retry)."""
    token, claimed = _claim(event_keys)
    # The choice is read at sending time: a user who turned e-mails off after the event gets nothing.
    opted_out = NotificationPreference.objects.opted_out_ids({row.recipient_id for row in claimed})
    return sum(not _deliver(row, token, opted_out) for row in claimed)


def resend_stale(*, now=None) -> int:
    """Deliveries lost on the way (pending or sending, untouched for STALE_AFTER): send them again; how many events."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    # updated_at is left as it was, so that the query below finds these rows too.
    Delivery.objects.filter(status=Delivery.Status.SENDING, updated_at__lt=cutoff).update(
        status=Delivery.Status.PENDING, claim=""
    )
    stale = Delivery.objects.filter(status=Delivery.Status.PENDING, updated_at__lt=cutoff)
    keys = sorted(set(stale.values_list("event_key", flat=True)))
    for start in range(0, len(keys), KEYS_PER_TASK):
        enqueue(keys[start : start + KEYS_PER_TASK])
    return len(keys)


@shared_task(name="ita.send_notifications", bind=True, max_retries=len(RETRY_DELAYS))
def send_notifications_task(self, event_keys: list[str]) -> None:
    """Send the events' pending e-mails; retry the failed ones later (on a worker; in-process, the sweep does)."""
    failed = send_pending(event_keys)
    if failed and not self.request.is_eager and self.request.retries < len(RETRY_DELAYS):
        raise self.retry(countdown=RETRY_DELAYS[self.request.retries])
