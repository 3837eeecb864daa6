"""How staff are reached about alerts: which channels a staff member may be sent on.

One rule for the planner (which picks channels for many staff at once) and the delivery
task (which asks again for one row just before sending): a channel needs an active
login, the staff member's consent for it (`StaffContact`; without a row, email only),
and an address: the login's email, the contact's phone, a registered staff device.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Exists, OuterRef, QuerySet

from practice.models import CLINICIAN_ROLES, Role, StaffMember

from .models import Channel, StaffContact, StaffDevice

# The order a message tries when one channel is enough (routine alerts, the digest).
ROUTINE_ORDER = (Channel.PUSH, Channel.EMAIL)
ALL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PUSH)
# Who hears of a clinic's alerts: its clinicians and its clinic admins, nobody else (a
# primary therapist who moved clinic or changed role included).
ALERT_ROLES = frozenset({*CLINICIAN_ROLES, Role.CLINIC_ADMIN})


def contact_of(staff: StaffMember) -> StaffContact | None:
    """The staff member's contact row (already joined, or one query); None without one."""
    return getattr(staff, "contact", None)


def channel_refusal(
    staff: StaffMember | None, channel: str, *, contact: StaffContact | None, has_device: bool
) -> str | None:
    """Why `channel` may not reach this staff member; None when it may."""
    if staff is None:
        return "No staff member to tell."
    if not staff.user.is_active:
        return f"{staff} can no longer log in."
    if channel == Channel.EMAIL:
        return _email_refusal(staff, contact)
    if channel == Channel.SMS:
        return _sms_refusal(staff, contact)
    if channel == Channel.PUSH:
        return _push_refusal(staff, contact, has_device=has_device)
    return f"Staff are not reached by {channel}."


def _email_refusal(staff: StaffMember, contact: StaffContact | None) -> str | None:
    """The login's address; consent unless withdrawn (no contact row: email agreed)."""
    if not staff.user.email:
        return f"{staff} has no email address."
    if contact is not None and not contact.consent_email:
        return f"{staff} has not agreed to alerts by email."
    return None


def _sms_refusal(staff: StaffMember, contact: StaffContact | None) -> str | None:
    if contact is None or not contact.consent_sms:
        return f"{staff} has not agreed to alerts by SMS."
    if not contact.phone:
        return f"{staff} has no phone number for alerts."
    return None


def _push_refusal(
    staff: StaffMember, contact: StaffContact | None, *, has_device: bool
) -> str | None:
    if contact is None or not contact.consent_push:
        return f"{staff} has not agreed to alerts by push."
    if not has_device:
        return f"{staff} has no device registered for alerts."
    return None


def role_refusal(staff: StaffMember, *, clinic_id: int) -> str | None:
    """Why this staff member may not hear of the clinic's alerts; None when they may."""
    if staff.clinic_id != clinic_id:
        return f"{staff} is not at the patient's clinic."
    if staff.role not in ALERT_ROLES:
        return f"{staff} is neither a clinician nor a clinic admin."
    return None


def channels(staff: StaffMember) -> list[str]:
    """Every channel that may reach a staff member loaded by `reachable_staff`."""
    contact = contact_of(staff)
    has_device = bool(getattr(staff, "has_device", False))
    return [
        channel
        for channel in ALL_CHANNELS
        if channel_refusal(staff, channel, contact=contact, has_device=has_device) is None
    ]


def first_channel(staff: StaffMember) -> str | None:
    """The one channel for a routine message: push, else email (never SMS at night)."""
    allowed = channels(staff)
    return next((channel for channel in ROUTINE_ORDER if channel in allowed), None)


def reachable_staff(
    *, clinic_ids: Collection[int], roles: Collection[str]
) -> QuerySet[StaffMember]:
    """Active staff of these clinics in these roles, with what `channels` needs joined or
    annotated: one query however many."""
    return (
        StaffMember.objects.filter(
            clinic_id__in=list(clinic_ids), role__in=list(roles), user__is_active=True
        )
        .select_related("user", "contact")
        .annotate(has_device=Exists(StaffDevice.objects.filter(staff_id=OuterRef("pk"))))
        .order_by("pk")
    )
