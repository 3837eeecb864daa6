"""Cancelling a patient's visits still to come in one go (on discharge or archive)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from patients.models import Patient
from practice.models import User

from .models import Appointment
from .selectors import appointments_upcoming


@transaction.atomic
def appointments_cancel_upcoming(
    *, patient: Patient, reason: str, actor: User | None = None
) -> list[Appointment]:
    """Cancel the patient's booked appointments still to come, e.g. on discharge: one
    update statement and one history insert, each history row carrying `reason`."""
    upcoming = list(appointments_upcoming(patients=[patient]).select_for_update(of=("self",)))
    now = timezone.now()
    for appointment in upcoming:
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancellation_reason = reason
        # The rows are locked, so their read sequence is the stored one.
        appointment.sequence += 1
        # A bulk update does not run auto_now.
        appointment.updated_at = now
    bulk_update_with_history(
        upcoming,
        Appointment,
        ["status", "cancelled_at", "cancellation_reason", "sequence", "updated_at"],
        default_user=actor if actor is not None and actor.is_authenticated else None,
        default_change_reason=reason,
    )
    return upcoming
