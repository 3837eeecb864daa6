"""Reads of the practice with a rule in them."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CLINICIAN_ROLES, StaffMember


def clinicians_bookable() -> QuerySet[StaffMember]:
    """Staff a patient can be booked with: the clinician roles (those who treat, as
    `StaffMember.is_clinician` says) whose login is open. Not clinic-scoped here: the
    caller's scope (`visible_to`) applies that."""
    return (
        StaffMember.objects.filter(role__in=CLINICIAN_ROLES, user__is_active=True)
        .select_related("user", "clinic")
        .order_by("user__last_name", "user__first_name", "pk")  # pk: pages never overlap
    )
