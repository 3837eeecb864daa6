"""Visits: notes, plans of care, remote monitoring, payers."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from appointments import services as appointment_services
from appointments.models import Appointment
from patients.models import Patient
from practice.models import Clinic, StaffMember
from visits import plans, rtm_services, services
from visits.billing_models import Coverage, Fee, Payer
from visits.note_models import Addendum, ProcedureLine, VisitNote
from visits.plan_models import Goal, PlanOfCare
from visits.rtm_models import ConsentMethod, RtmEpisode, RtmTimeEntry
from visits.units import Procedure, Rule

from .patients import patient_and_clinician
from .practice import ClinicFactory

_numbers = itertools.count(1)


def make_attended_appointment(
    *,
    patient: Patient | None = None,
    therapist: StaffMember | None = None,
    starts_at: datetime.datetime | None = None,
    **kwargs: Any,
) -> Appointment:
    """A visit that happened (an hour ago unless given), recorded as attended."""
    patient, therapist = patient_and_clinician(patient, therapist)
    an_hour_ago = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    return appointment_services.appointment_record_past(
        patient=patient,
        therapist=therapist,
        starts_at=starts_at or an_hour_ago,
        reason="Entered after the visit.",
        actor=therapist.user,
        **kwargs,
    )


def make_visit_note(
    *,
    appointment: Appointment | None = None,
    patient: Patient | None = None,
    therapist: StaffMember | None = None,
    kind: str | None = None,
    signed: bool = False,
    **fields: Any,
) -> VisitNote:
    """A note of an attended visit; `signed` fills in the assessment and plan and signs."""
    appointment = appointment or make_attended_appointment(patient=patient, therapist=therapist)
    therapist = therapist or appointment.therapist
    note = services.visit_note_start(appointment=appointment, therapist=therapist, kind=kind)
    if signed:
        fields = {"assessment": "Improving.", "plan": "Continue the program.", **fields}
    if fields:
        note = services.visit_note_update(note=note, staff_member=therapist, fields=fields)
    if signed:
        note = services.visit_note_sign(note=note, staff_member=therapist)
    return note


def make_procedure_line(*, note: VisitNote | None = None, **procedures: int) -> ProcedureLine:
    """`make_procedure_line(note=n, **{"97110": 25})`; one 97110 of 23 minutes by default."""
    note = note or make_visit_note()
    wanted = [Procedure(code, minutes) for code, minutes in (procedures or {"97110": 23}).items()]
    return services.visit_note_set_procedures(
        note=note, staff_member=note.therapist, procedures=wanted
    )[0]


def make_addendum(*, note: VisitNote | None = None, **kwargs: Any) -> Addendum:
    note = note or make_visit_note(signed=True)
    kwargs = {"reason": "Late finding.", "text": "Patient called: less leg pain.", **kwargs}
    return services.addendum_add(note=note, author=note.therapist, **kwargs)


def make_payer(*, clinic: Clinic | None = None, **kwargs: Any) -> Payer:
    kwargs = {"name": f"Payer {next(_numbers)}", "rule": Rule.CMS.value, **kwargs}
    return Payer.objects.create(clinic=clinic or ClinicFactory.create(), **kwargs)


def make_coverage(
    *, patient: Patient | None = None, payer: Payer | None = None, **kwargs: Any
) -> Coverage:
    patient = patient or patient_and_clinician(None, None)[0]
    payer = payer or make_payer(clinic=patient.clinic)
    kwargs = {
        "member_id": f"M{next(_numbers):08d}",
        "starts_on": datetime.date(2020, 1, 1),
        **kwargs,
    }
    return Coverage.objects.create(patient=patient, payer=payer, **kwargs)


def make_fee(*, clinic: Clinic | None = None, **kwargs: Any) -> Fee:
    kwargs = {"code": "97110", "amount": Decimal("45.00"), **kwargs}
    return Fee.objects.create(clinic=clinic or ClinicFactory.create(), **kwargs)


def make_plan_of_care(
    *,
    patient: Patient | None = None,
    therapist: StaffMember | None = None,
    certified_on: datetime.date | None = None,
    **kwargs: Any,
) -> PlanOfCare:
    """Twice a week for 6 weeks from today, with one short-term goal; certified on
    `certified_on` when given."""
    patient, therapist = patient_and_clinician(patient, therapist)
    starts_on = kwargs.pop("starts_on", timezone.localdate())
    kwargs = {
        "visits_per_week": 2,
        "weeks": 6,
        "physician_name": "Dr. Ana Ruiz",
        "goals": [
            plans.GoalInput(
                term=Goal.Term.SHORT,
                description="Walk 20 minutes without leg pain.",
                measure="Leg pain 2/10 or less after a 20-minute walk.",
                target_date=starts_on + datetime.timedelta(weeks=3),
            )
        ],
        **kwargs,
    }
    plan = plans.plan_of_care_create(
        patient=patient, therapist=therapist, starts_on=starts_on, **kwargs
    )
    if certified_on is not None:
        plan = plans.plan_of_care_certify(
            plan=plan, staff_member=therapist, certified_on=certified_on
        )
    return plan


def make_goal(*, plan: PlanOfCare | None = None) -> Goal:
    return (plan or make_plan_of_care()).goals.get()


def make_rtm_episode(
    *, patient: Patient | None = None, therapist: StaffMember | None = None, **kwargs: Any
) -> RtmEpisode:
    """Consent given at noon (UTC) of the first day, or now when that is later."""
    patient, therapist = patient_and_clinician(patient, therapist)
    now = timezone.now()
    starts_on = kwargs.get("starts_on")
    noon = (
        datetime.datetime.combine(starts_on, datetime.time(12), datetime.UTC) if starts_on else now
    )
    kwargs = {"consent_at": min(noon, now), "consent_method": ConsentMethod.IN_PERSON, **kwargs}
    return rtm_services.rtm_episode_start(patient=patient, staff_member=therapist, **kwargs)


def make_rtm_time_entry(*, episode: RtmEpisode | None = None, **kwargs: Any) -> RtmTimeEntry:
    episode = episode or make_rtm_episode()
    clinician = kwargs.pop("clinician", None) or episode.consent_recorded_by
    kwargs = {
        "worked_on": episode.starts_on,
        "minutes": 20,
        "interactive": True,
        "note": "Reviewed the week's sessions; called the patient.",
        **kwargs,
    }
    return rtm_services.rtm_time_entry_add(episode=episode, clinician=clinician, **kwargs)
