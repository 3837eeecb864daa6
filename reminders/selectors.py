"""Reads with rules for staff messages: which open alerts a staff member is told about."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import F, Q, QuerySet

from patients.alerts import OPEN_ALERT
from patients.models import ClinicalAlert, Patient
from practice.models import CLINICIAN_ROLES, StaffMember

from .models import Notification

# Routine alerts that reach staff outside the inbox (the others wait there, or, like the
# inactivity alert, have their own message).
ROUTINE_KINDS = (
    ClinicalAlert.Kind.PAIN_INCREASE,
    ClinicalAlert.Kind.PERIPHERALIZATION,
    ClinicalAlert.Kind.NO_IMPROVEMENT,
    ClinicalAlert.Kind.EXERCISED_DURING_HOLD,
    ClinicalAlert.Kind.REFERRAL_NEEDED,
)


# What the planner reads of an alert: when it was raised, and whose patient it is about.
PLANNED_ALERT_FIELDS = ("created_at", "patient__clinic", "patient__primary_therapist")


def open_alerts() -> QuerySet[ClinicalAlert]:
    """Neither acknowledged nor resolved (`ClinicalAlert.is_open`)."""
    return ClinicalAlert.objects.filter(OPEN_ALERT)


def open_alerts_raised(
    *,
    severity: str,
    after: datetime.datetime,
    until: datetime.datetime,
    kinds: Iterable[str] | None = None,
) -> list[ClinicalAlert]:
    """Open alerts of this severity (and of these kinds) raised in (after, until], oldest
    first, with what the planner reads of them (`PLANNED_ALERT_FIELDS`)."""
    alerts = open_alerts().filter(severity=severity, created_at__gt=after, created_at__lte=until)
    if kinds is not None:
        alerts = alerts.filter(kind__in=list(kinds))
    return list(
        alerts.select_related("patient").only(*PLANNED_ALERT_FIELDS).order_by("created_at", "pk")
    )


def open_alerts_for(staff: StaffMember) -> list[ClinicalAlert]:
    """The open alerts a staff member's digest lists, oldest first: their own patients',
    and, for a clinician, those of the clinic's patients with no primary therapist there
    (none, or one who moved clinic, changed role or can no longer log in)."""
    mine = Q(patient__primary_therapist=staff)
    if staff.is_clinician:
        mine |= (
            Q(patient__primary_therapist__isnull=True)
            | ~Q(patient__primary_therapist__clinic_id=F("patient__clinic_id"))
            | ~Q(patient__primary_therapist__role__in=CLINICIAN_ROLES)
            | Q(patient__primary_therapist__user__is_active=False)
        )
    return list(
        open_alerts()
        .filter(mine, patient__clinic_id=staff.clinic_id)
        .filter(Q(severity=ClinicalAlert.Severity.URGENT) | Q(kind__in=ROUTINE_KINDS))
        .only("pk", "created_at", "severity")
        .order_by("created_at", "pk")
    )


def patient_messages_pending(
    *, patients: Iterable[Patient], kinds: Iterable[str] | None = None
) -> QuerySet[Notification]:
    """Messages to these patients still waiting to be sent (all kinds, or `kinds`); staff
    messages about them are not theirs."""
    rows = Notification.objects.filter(
        patient__in=list(patients), staff__isnull=True, status=Notification.Status.PENDING
    )
    return rows if kinds is None else rows.filter(kind__in=list(kinds))
