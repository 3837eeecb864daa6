"""What closing a patient's episode of care would close, read before anyone confirms."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from appointments.models import Appointment
from appointments.selectors import appointments_upcoming
from patients.models import Patient
from programs.models import Prescription
from reminders.models import Kind, Notification
from reminders.selectors import patient_messages_pending

# The reminders a discharge cancels. The emergency guidance of a medical hold is not a
# reminder: it still goes. Messages to staff about the patient are not the patient's.
REMINDER_KINDS = (Kind.EXERCISE, Kind.APPOINTMENT, Kind.QUESTIONNAIRE, Kind.NUDGE)


@dataclass(frozen=True)
class ClosurePreview:
    patient: Patient
    programs: list[Prescription]
    appointments: list[Appointment]
    pending_reminders: int


def pending_reminders(*, patients: Sequence[Patient]) -> QuerySet[Notification]:
    """What `reminders.services.notifications_cancel_pending` cancels on a discharge."""
    return patient_messages_pending(patients=patients, kinds=REMINDER_KINDS)


def episode_closure_previews(
    *, patients: Sequence[Patient], now: datetime.datetime | None = None
) -> list[ClosurePreview]:
    """For each patient, the open programs, the appointments still to come and the
    number of reminders waiting to be sent: three queries however many patients."""
    programs: dict[int, list[Prescription]] = defaultdict(list)
    for program in Prescription.objects.filter(
        patient__in=patients, status__in=Prescription.OPEN_STATUSES
    ).order_by("start_date", "pk"):
        programs[program.patient_id].append(program)
    appointments: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in appointments_upcoming(patients=patients, now=now or timezone.now()):
        appointments[appointment.patient_id].append(appointment)
    reminders = dict(
        pending_reminders(patients=patients)
        .order_by()
        .values_list("patient_id")
        .annotate(n=Count("pk"))
    )
    return [
        ClosurePreview(
            patient=patient,
            programs=programs[patient.pk],
            appointments=appointments[patient.pk],
            pending_reminders=reminders.get(patient.pk, 0),
        )
        for patient in patients
    ]


def episode_closure_preview(
    *, patient: Patient, now: datetime.datetime | None = None
) -> ClosurePreview:
    return episode_closure_previews(patients=[patient], now=now)[0]
