from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from patients.models import Patient

from . import selectors
from .consent import sms_opt_in, sms_opt_out
from .device_tokens import token_claim, token_remove
from .inbox import notification_mark_read, notifications_mark_all_read
from .models import Device, Notification
from .receipts import notification_receipt_record
from .staff_contacts import staff_contact_update, staff_device_register, staff_device_remove

# Every write of the app, from one place: replies to texts live in `consent`, staff
# contacts and devices in `staff_contacts`, delivery receipts in `receipts`, the
# patient's read marks in `inbox`.
__all__ = [
    "device_register",
    "device_remove",
    "notification_mark_read",
    "notification_receipt_record",
    "notifications_cancel_pending",
    "notifications_mark_all_read",
    "sms_opt_in",
    "sms_opt_out",
    "staff_contact_update",
    "staff_device_register",
    "staff_device_remove",
]


@transaction.atomic
def device_register(*, patient: Patient, token: str, platform: str) -> tuple[Device, bool]:
    """Register a push token; (device, created). A token seen before moves to this patient
    (from another patient, or from a staff member who used the same phone)."""
    return token_claim(
        model=Device, owner_field="patient", owner=patient, token=token, platform=platform
    )


@transaction.atomic
def device_remove(*, patient: Patient, token: str) -> bool:
    """Drop a push token of this patient's; False when there was none (already gone)."""
    return token_remove(model=Device, owner_field="patient", owner=patient, token=token)


def notifications_cancel_pending(
    *, patient: Patient, reason: str, kinds: Iterable[str] | None = None
) -> int:
    """Cancel the messages to the patient still waiting to be sent (all kinds, or `kinds`),
    with the reason shown in the outbox; one statement. Messages to staff about the patient
    (an urgent alert above all) are not the patient's to cancel. Rows already claimed by a
    delivery are left to it: the delivery asks `cancel_rules.cancel_reason` again before sending."""
    rows = selectors.patient_messages_pending(patients=[patient], kinds=kinds)
    return rows.update(
        status=Notification.Status.CANCELLED, last_error=reason, updated_at=timezone.now()
    )
