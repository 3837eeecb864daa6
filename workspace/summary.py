"""The patient summary: what a clinician takes in at a glance, composed from the reads
of the apps below (diagnosis, program and phase, pain, adherence, next appointment,
open alerts, latest ODI).

Read for one patient (the patient page's header) or for a page of them (the patient
list's columns) in the same fixed number of queries, however many patients and however
long their records. Each part is read only for a user allowed to see it (`parts_for`):
the front desk, which reads no clinical record, gets the hold and the next appointment,
and nothing it may not see is even loaded.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from appointments.models import Appointment
from appointments.selectors import next_appointments
from core.localtime import local_today, patient_zone
from outcomes.models import Code
from outcomes.selectors import MeasureSummary, measure_summaries_of
from patients.models import Chronicity, Diagnosis, Patient
from patients.selectors import OpenAlerts, latest_diagnoses, open_alerts
from programs.adherence import SUMMARY_DAYS, adherence_summaries
from programs.selectors import CurrentProgram, current_programs

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practice.models import User


class Part(StrEnum):
    DIAGNOSIS = "diagnosis"  # cause, side, ICD-10 codes, chronicity
    HOLD = "hold"
    PROGRAM = "program"  # the current program, its phase and the phase's week
    PAIN = "pain"  # back and leg pain after sessions: latest and change from baseline
    ADHERENCE = "adherence"  # over the last 7 and 28 days
    NEXT_APPOINTMENT = "next_appointment"
    ALERTS = "alerts"  # open ones
    ODI = "odi"  # the latest, with the change from baseline and the MCID verdict


# The permission each part needs: that of the records it is read from. The hold needs
# none beyond the patient's own: booking needs it, as the API's `on_medical_hold`.
PERMISSIONS: dict[Part, str | None] = {
    Part.DIAGNOSIS: "patients.view_diagnosis",
    Part.HOLD: None,
    Part.PROGRAM: "programs.view_prescription",
    Part.PAIN: "programs.view_exercisesession",
    Part.ADHERENCE: "programs.view_exercisesession",
    Part.NEXT_APPOINTMENT: "appointments.view_appointment",
    Part.ALERTS: "patients.view_clinicalalert",
    Part.ODI: "outcomes.view_questionnaireresponse",
}


def may_see(user: User | AnonymousUser, part: Part) -> bool:
    permission = PERMISSIONS[part]
    return permission is None or user.has_perm(permission)


def parts_for(user: User | AnonymousUser) -> frozenset[Part]:
    """The parts of the summary `user` may see."""
    return frozenset(part for part in Part if may_see(user, part))


@dataclass(frozen=True)
class AdherenceWindow:
    """The last `days` local days up to today: days with a session against the days
    the open program scheduled (percent None without an open program or a scheduled
    day)."""

    days: int
    days_with_session: int
    scheduled_days: int | None
    percent: int | None


@dataclass(frozen=True)
class PatientSummary:
    """A patient at a glance; a part not read (not asked for, or not seen by the user)
    is None, as is one the record does not have (no diagnosis, no program)."""

    patient: Patient
    today: datetime.date  # the patient's local date
    parts: frozenset[Part]
    diagnosis: Diagnosis | None = None  # the latest
    program: CurrentProgram | None = None
    adherence: tuple[AdherenceWindow, ...] | None = None  # 7 days, then 28
    next_appointment: Appointment | None = None
    alerts: OpenAlerts | None = None
    odi: MeasureSummary | None = None

    def shows(self, part: Part) -> bool:
        return part in self.parts

    @property
    def chronicity(self) -> Chronicity | None:
        """Acute, subacute or chronic on the patient's local date."""
        return self.diagnosis.chronicity(self.today) if self.diagnosis is not None else None

    @property
    def phase_week(self) -> int | None:
        """The week of the current phase; None without an open program."""
        if self.program is None or not self.program.is_open:
            return None
        return self.program.phase_week(self.today)


# --- one read per part, for a page of patients ------------------------------------------


def diagnoses_of(patients: Sequence[Patient]) -> dict[int, Diagnosis]:
    """Each diagnosed patient's latest diagnosis. One query."""
    return latest_diagnoses(patients=patients)


def programs_of(patients: Sequence[Patient]) -> dict[int, CurrentProgram]:
    """Each patient's current program with its phase and pain readings. Two queries."""
    return current_programs(patients=patients)


def adherence_of(
    patients: Sequence[Patient], now: datetime.datetime | None = None
) -> dict[int, tuple[AdherenceWindow, ...]]:
    """Each patient's adherence over the last 7 and 28 days. Three queries."""
    return {
        pk: tuple(
            AdherenceWindow(
                days=days,
                days_with_session=found["days_with_session"],
                scheduled_days=found["scheduled_days"],
                percent=found["adherence_percent"],
            )
            for days in SUMMARY_DAYS
            for found in [summary[f"last_{days}_days"]]
        )
        for pk, summary in adherence_summaries(patients=patients, now=now).items()
    }


def next_appointments_of(
    patients: Sequence[Patient], now: datetime.datetime | None = None
) -> dict[int, Appointment]:
    """Each patient's next upcoming appointment, given its patient (whose zone the
    header reads) from `patients`. One query."""
    by_pk = {p.pk: p for p in patients}
    found = next_appointments(patients=patients, now=now)
    for pk, appointment in found.items():
        appointment.patient = by_pk[pk]
    return found


def alerts_of(patients: Sequence[Patient]) -> dict[int, OpenAlerts]:
    """The open alerts of each patient with some. One query."""
    return open_alerts(patients=patients)


def odi_of(patients: Sequence[Patient]) -> dict[int, MeasureSummary]:
    """Each patient's ODI: baseline, latest and the MCID verdict. One query."""
    return {
        pk: measures[Code.ODI]
        for pk, measures in measure_summaries_of(patients=patients).items()
        if measures[Code.ODI].latest is not None
    }


# --- the whole summary ----------------------------------------------------------------


def patient_summaries(
    *,
    patients: Sequence[Patient],
    parts: Collection[Part] = frozenset(Part),
    now: datetime.datetime | None = None,
) -> dict[int, PatientSummary]:
    """The summary of each patient, by patient id, with `parts` only (all by default;
    pass `parts_for(user)`). At most nine queries however many patients."""
    patients = list(patients)
    shown = frozenset(parts)
    now = now or timezone.now()
    empty: dict[int, Any] = {}
    diagnoses = diagnoses_of(patients) if Part.DIAGNOSIS in shown else empty
    programs = programs_of(patients) if shown & {Part.PROGRAM, Part.PAIN} else empty
    adherence = adherence_of(patients, now) if Part.ADHERENCE in shown else empty
    visits = next_appointments_of(patients, now) if Part.NEXT_APPOINTMENT in shown else empty
    alerts = alerts_of(patients) if Part.ALERTS in shown else empty
    odi = odi_of(patients) if Part.ODI in shown else empty
    return {
        p.pk: PatientSummary(
            patient=p,
            today=local_today(patient_zone(p), now),
            parts=shown,
            diagnosis=diagnoses.get(p.pk),
            program=programs.get(p.pk),
            adherence=adherence.get(p.pk),
            next_appointment=visits.get(p.pk),
            alerts=alerts.get(p.pk),
            odi=odi.get(p.pk),
        )
        for p in patients
    }


def patient_summary(
    *,
    patient: Patient,
    parts: Collection[Part] = frozenset(Part),
    now: datetime.datetime | None = None,
) -> PatientSummary:
    """One patient's summary: `patient_summaries` of one, so the header and the list's
    columns read the same."""
    return patient_summaries(patients=[patient], parts=parts, now=now)[patient.pk]
