"""The clinic cancelling one visit still to come, with the reason the desk gives.

The row stays (cancelled, when and why; who is in the history). That stops its
reminders: the planner cancels the pending reminders of an appointment no longer
booked, and delivery asks again before anything goes out (reminders.cancel_rules).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.localtime import moment_text
from practice.models import User

from .models import Appointment
from .patient_changes import MAX_REASON_LENGTH, cancellation_store
from .selectors import UPCOMING_STATUSES

__all__ = ["MAX_REASON_LENGTH", "appointment_cancel", "cancel_refusal"]


def cancel_refusal(appointment: Appointment) -> str | None:
    """Why the clinic can no longer cancel this visit; None while it is still to come.

    A visit that has started is happening or happened: what is left is marking it
    attended or a no-show, not cancelling it."""
    if appointment.status == Appointment.Status.CANCELLED:
        return f"This visit was already cancelled ({moment_text(appointment.cancelled_at)})."
    if appointment.status not in UPCOMING_STATUSES:
        return f"This visit is {appointment.get_status_display().lower()}; it is a record now."
    if appointment.starts_at <= timezone.now():
        return (
            f"This visit started at {moment_text(appointment.starts_at)}; "
            "mark it attended or a no-show instead."
        )
    return None


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, reason: str, actor: User | None) -> Appointment:
    """Cancel a visit still to come on the clinic's side; `reason` is required."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the visit is cancelled."})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Keep the reason to {MAX_REASON_LENGTH} characters or fewer."}
        )
    # Read again under the lock: the patient may have cancelled in the app meanwhile.
    locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    refusal = cancel_refusal(locked)
    if refusal is not None:
        raise ValidationError(refusal)
    cancellation_store(locked, reason=reason, by_patient=False, actor=actor)
    return locked
