"""Reads with rules for staff messages: which open alerts a staff member is told about."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

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
    # The therapist learns of a patient's cancellation the way they learn of the rest.
    ClinicalAlert.Kind.APPOINTMENT_CANCELLED,
    # Plan-of-care deadlines and remote monitoring short of data days (visits.watch).
    ClinicalAlert.Kind.RECERTIFICATION_DUE,
    ClinicalAlert.Kind.PROGRESS_NOTE_DUE,
    ClinicalAlert.Kind.RTM_DATA_SHORT,
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


def open_alerts_by_staff(staff_members: Iterable[StaffMember]) -> dict[int, list[ClinicalAlert]]:
    """staff id -> the open alerts their digest lists, oldest first: their own patients',
    and, for a clinician, those of the clinic's patients with no primary therapist there
    (none, or one who moved clinic, changed role or can no longer log in). One query for
    any number of staff members."""
    members = {staff.pk: staff for staff in staff_members}
    listed: dict[int, list[ClinicalAlert]] = {pk: [] for pk in members}
    if not members:
        return listed
    alerts = (
        open_alerts()
        .filter(patient__clinic_id__in={staff.clinic_id for staff in members.values()})
        .filter(Q(severity=ClinicalAlert.Severity.URGENT) | Q(kind__in=ROUTINE_KINDS))
        .select_related("patient__primary_therapist__user")
        .only(
            "pk",
            "created_at",
            "severity",
            "patient__clinic_id",
            "patient__primary_therapist__clinic_id",
            "patient__primary_therapist__role",
            "patient__primary_therapist__user__is_active",
        )
        .order_by("created_at", "pk")
    )
    for alert in alerts:
        for pk, staff in members.items():
            if _digest_lists(staff, alert):
                listed[pk].append(alert)
    return listed


def _digest_lists(staff: StaffMember, alert: ClinicalAlert) -> bool:
    patient = alert.patient
    if patient.clinic_id != staff.clinic_id:
        return False
    therapist = patient.primary_therapist
    if therapist is not None and therapist.pk == staff.pk:
        return True
    return staff.is_clinician and (
        therapist is None
        or therapist.clinic_id != patient.clinic_id
        or therapist.role not in CLINICIAN_ROLES
        or not therapist.user.is_active
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
