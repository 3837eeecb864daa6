"""The patient's notifications inbox: what was sent to them, and whether they read it.

Only messages to the patient (not staff messages about them) that went out (`sent`,
whatever the provider's receipt said afterwards). Rows the daily archive moved out of
the outbox (`ArchivedNotification`, older than the retention) are left out: the inbox
shows the last `REMINDERS_RETENTION_DAYS`, the archive stays the delivery record. One
patient's rows are read through the outbox's (patient, kind, -scheduled_for) index, so
the inbox adds no index to the table the pipeline writes.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from patients.models import Patient

from .models import Notification


def patient_inbox(*, patient: Patient) -> QuerySet[Notification]:
    """The patient's sent notifications, newest first."""
    return Notification.objects.filter(
        patient=patient, staff__isnull=True, status=Notification.Status.SENT
    ).order_by("-sent_at", "-id")


def notification_mark_read(
    *, patient: Patient, notification_id: int, now: datetime.datetime | None = None
) -> Notification:
    """Mark one of the patient's sent notifications read; already read keeps its first
    `read_at`. Raises `Notification.DoesNotExist` for one not in their inbox."""
    inbox = patient_inbox(patient=patient)
    # The pipeline is done with a sent row, so no lock is needed; the guard keeps the
    # first reading when two phones mark it at once.
    inbox.filter(pk=notification_id, read_at__isnull=True).update(read_at=now or timezone.now())
    return inbox.get(pk=notification_id)


def notifications_mark_all_read(*, patient: Patient, now: datetime.datetime | None = None) -> int:
    """Mark every unread notification in the patient's inbox read; how many were."""
    return (
        patient_inbox(patient=patient)
        .filter(read_at__isnull=True)
        .update(read_at=now or timezone.now())
    )
