"""Staff members' alert contacts and devices: how they agree to be reached.

A staff member edits their own; a clinic admin may edit those of their clinic's staff.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from core.records import record_save
from practice.models import Role, StaffMember, User
from practice.tenancy import staff_of

from .device_tokens import token_claim, token_remove
from .models import StaffContact, StaffDevice


def may_edit_contact(*, user: User, staff: StaffMember) -> bool:
    """The staff member themself, a clinic admin of their clinic, or the operator."""
    if user.is_superuser:
        return True
    me = staff_of(user)
    if me is None:
        return False
    return me.pk == staff.pk or (me.role == Role.CLINIC_ADMIN and me.clinic_id == staff.clinic_id)


def contact_editable_staff(*, user: User) -> QuerySet[StaffMember]:
    """Whose contact `user` may edit (`may_edit_contact`, as a queryset): their own; a
    clinic admin, their clinic's; the operator, everyone's."""
    staff = StaffMember.objects.for_user(user).select_related("user")
    me = staff_of(user)
    if user.is_superuser or (me is not None and me.role == Role.CLINIC_ADMIN):
        return staff
    return staff.filter(pk=me.pk) if me is not None else staff.none()


@transaction.atomic
def staff_contact_update(
    *,
    staff: StaffMember,
    actor: User,
    phone: str = "",
    consent_email: bool = True,
    consent_sms: bool = False,
    consent_push: bool = False,
) -> StaffContact:
    """Create or change a staff member's alert contact; the history keeps who and when."""
    if not may_edit_contact(user=actor, staff=staff):
        raise PermissionDenied("Only the staff member or a clinic admin of their clinic may.")
    if consent_sms and not phone:
        raise ValidationError({"phone": "Alerts by SMS need a phone number."})
    contact = StaffContact.objects.select_for_update().filter(staff=staff).first()
    contact = contact or StaffContact(staff=staff)
    contact.phone = phone
    contact.consent_email = consent_email
    contact.consent_sms = consent_sms
    contact.consent_push = consent_push
    record_save(contact, actor=actor)
    return contact


@transaction.atomic
def staff_device_register(
    *, staff: StaffMember, token: str, platform: str
) -> tuple[StaffDevice, bool]:
    """Register a staff phone's push token; (device, created). A token has one owner: it
    moves here from another staff member or from a patient who used the same phone."""
    return token_claim(
        model=StaffDevice, owner_field="staff", owner=staff, token=token, platform=platform
    )


@transaction.atomic
def staff_device_remove(*, staff: StaffMember, token: str) -> bool:
    """Drop one of this staff member's tokens; False when there was none."""
    return token_remove(model=StaffDevice, owner_field="staff", owner=staff, token=token)
