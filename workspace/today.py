"""The Today page's reads: today's appointments per therapist, open alerts and the
patients needing attention, for the clinic or for one clinician's own patients.

"Today" is the clinic's date. A clinician's own patients are those whose primary
therapist they are and those they see today; the front desk and the clinic admin
read the whole clinic. What a row offers (check-in, attended, no-show) follows the
rules of appointments.arrivals and appointments.services, so a button shown is one the
service accepts (unless someone else acted first: the service decides then).

A fixed number of queries however many patients: appointments, alerts (two), the
attention reads (workspace.attention).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.utils import timezone

from appointments.models import Appointment
from appointments.selectors import UPCOMING_STATUSES
from core.localtime import local_midnight, local_today, zone_of
from patients.alerts import OPEN_ALERT
from patients.models import ClinicalAlert, Patient
from practice.models import StaffMember, User

from .attention import SEE_ALERTS, Attention, patients_needing_attention

MINE, CLINIC = "mine", "clinic"
CHECK_IN, ATTENDED, NO_SHOW = "check-in", "attended", "no-show"
SEE_APPOINTMENTS = "appointments.view_appointment"
SEE_PATIENTS = "patients.view_patient"
MAY_ACT_ON_APPOINTMENTS = "appointments.change_appointment"
# A start page, not a list: the inbox and the patient list hold the rest.
ALERTS_SHOWN = 30
ATTENTION_SHOWN = 60
# The inbox's order: urgent before routine, then the newest first.
_URGENT_FIRST = Case(When(severity=ClinicalAlert.Severity.URGENT, then=0), default=1)
_ACTION_LABELS = {CHECK_IN: "Check in", ATTENDED: "Attended", NO_SHOW: "No-show"}


def scope_of(staff: StaffMember, asked: str | None) -> str:
    """The scope a page shows: a clinician's own patients unless they ask for the
    clinic; the clinic for everyone else. Any other value asked is ignored."""
    if not staff.is_clinician:
        return CLINIC
    return CLINIC if asked == CLINIC else MINE


@dataclass(frozen=True)
class Action:
    name: str  # CHECK_IN, ATTENDED or NO_SHOW

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self.name]


@dataclass(frozen=True)
class Visit:
    appointment: Appointment
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class TherapistDay:
    therapist: StaffMember
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class Counts:
    # None: the user reads no appointments (the first four) or no patients (attention).
    appointments: int | None  # today's, cancelled ones left out
    checked_in: int | None
    attended: int | None
    to_come: int | None  # booked, not checked in and not started yet
    needing_attention: int | None
    open_alerts: int | None = None  # None: the user reads no alerts
    urgent_alerts: int | None = None


@dataclass(frozen=True)
class Today:
    day: datetime.date
    scope: str
    may_switch: bool
    therapists: tuple[TherapistDay, ...] | None  # None: the user reads no appointments
    counts: Counts
    attention: tuple[Attention, ...] | None  # None: the user reads no patients
    alerts: tuple[ClinicalAlert, ...] | None = None  # None: the user reads no alerts
    patients: tuple[Patient, ...] = field(default=(), repr=False)  # every patient shown


def _actions(
    appointment: Appointment, *, now: datetime.datetime, allowed: bool
) -> tuple[Action, ...]:
    if not allowed or appointment.status not in UPCOMING_STATUSES:
        return ()
    found = []
    if appointment.checked_in_at is None:
        found.append(Action(CHECK_IN))
    if appointment.starts_at <= now:  # an outcome needs the visit to have started
        found.append(Action(ATTENDED))
        if appointment.checked_in_at is None:
            found.append(Action(NO_SHOW))
    return tuple(found)


def _scope_patients(
    user: User, staff: StaffMember, scope: str, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Patient]:
    patients = Patient.objects.for_user(user)
    if scope == CLINIC:
        return patients
    seen_today = Appointment.objects.filter(
        patient=OuterRef("pk"), therapist=staff, starts_at__gte=start, starts_at__lt=end
    ).exclude(status=Appointment.Status.CANCELLED)
    return patients.filter(Q(primary_therapist=staff) | Exists(seen_today))


def _therapist_days(
    appointments: list[Appointment], *, me: StaffMember, now: datetime.datetime, allowed: bool
) -> tuple[TherapistDay, ...]:
    def therapist_order(a: Appointment) -> tuple[bool, str, str, int]:
        user = a.therapist.user
        # The signed-in clinician's own day comes first.
        return (a.therapist_id != me.pk, user.last_name, user.first_name, a.therapist_id)

    ordered = sorted(appointments, key=lambda a: (therapist_order(a), a.starts_at, a.pk))
    return tuple(
        TherapistDay(
            therapist=rows[0].therapist,
            visits=tuple(Visit(a, _actions(a, now=now, allowed=allowed)) for a in rows),
        )
        for _, group in groupby(ordered, key=lambda a: a.therapist_id)
        for rows in [list(group)]
    )


def _alerts(
    user: User, patients: QuerySet[Patient]
) -> tuple[tuple[ClinicalAlert, ...] | None, int | None, int | None]:
    if not user.has_perm(SEE_ALERTS):
        return None, None, None
    open_alerts = ClinicalAlert.objects.for_user(user).filter(
        OPEN_ALERT, patient__in=patients.values("pk")
    )
    totals = open_alerts.aggregate(
        total=Count("pk"), urgent=Count("pk", filter=Q(severity=ClinicalAlert.Severity.URGENT))
    )
    shown = open_alerts.select_related("patient").order_by(_URGENT_FIRST, "-created_at", "-pk")
    return tuple(shown[:ALERTS_SHOWN]), totals["total"], totals["urgent"]


def _to_come(appointment: Appointment, now: datetime.datetime) -> bool:
    """Booked and the patient not here yet, before its start: an overdue visit is
    late, not to come."""
    return (
        appointment.status in UPCOMING_STATUSES
        and appointment.checked_in_at is None
        and appointment.starts_at > now
    )


def _visit_counts(
    appointments: list[Appointment] | None, now: datetime.datetime
) -> dict[str, int | None]:
    if appointments is None:
        return dict.fromkeys(("appointments", "checked_in", "attended", "to_come"))
    return {
        "appointments": len(appointments),
        "checked_in": sum(a.checked_in_at is not None for a in appointments),
        "attended": sum(a.status == Appointment.Status.ATTENDED for a in appointments),
        "to_come": sum(_to_come(a, now) for a in appointments),
    }


def _todays_appointments(
    user: User, patients: QuerySet[Patient], start: datetime.datetime, end: datetime.datetime
) -> list[Appointment] | None:
    if not user.has_perm(SEE_APPOINTMENTS):
        return None
    return list(
        Appointment.objects.for_user(user)
        .filter(starts_at__gte=start, starts_at__lt=end, patient__in=patients.values("pk"))
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("patient", "therapist__user")
    )


def today_for(*, user: User, staff: StaffMember, scope: str) -> Today:
    """The Today page of `user` (working at `staff.clinic`) in `scope` (`scope_of`).

    Each section is read only for a user allowed to read what it shows: a role whose
    permissions were taken away sees no patient's name there."""
    clinic = staff.clinic
    zone = zone_of(clinic.time_zone)
    now = timezone.now()
    day = local_today(zone, now)
    start = local_midnight(day, zone)
    end = local_midnight(day + datetime.timedelta(days=1), zone)
    patients = _scope_patients(user, staff, scope, start, end)

    appointments = _todays_appointments(user, patients, start, end)
    therapists = (
        None
        if appointments is None
        else _therapist_days(
            appointments, me=staff, now=now, allowed=user.has_perm(MAY_ACT_ON_APPOINTMENTS)
        )
    )
    alerts, open_count, urgent_count = _alerts(user, patients)
    attention = (
        patients_needing_attention(patients=patients, user=user, zone=zone)
        if user.has_perm(SEE_PATIENTS)
        else None
    )
    shown_attention = None if attention is None else tuple(attention[:ATTENTION_SHOWN])

    counts = Counts(
        **_visit_counts(appointments, now),
        needing_attention=None if attention is None else len(attention),
        open_alerts=open_count,
        urgent_alerts=urgent_count,
    )
    shown = {
        p.pk: p
        for p in [
            *(a.patient for a in appointments or ()),
            *(a.patient for a in alerts or ()),
            *(row.patient for row in shown_attention or ()),
        ]
    }
    return Today(
        day=day,
        scope=scope,
        may_switch=staff.is_clinician,
        therapists=therapists,
        counts=counts,
        attention=shown_attention,
        alerts=alerts,
        patients=tuple(shown.values()),
    )
