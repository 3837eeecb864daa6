"""The visits' part of the admin walk-through's world (tests.admin_world): a signed
note of the attended visit with its procedures and an addendum, a certified plan of
care, a monitoring episode with time, a payer, the patient's coverage and a fee."""

from __future__ import annotations

import datetime

from django.utils import timezone

from appointments.models import Appointment
from patients.models import Patient
from practice.models import Clinic, StaffMember
from tests.factories.visits import (
    make_addendum,
    make_coverage,
    make_fee,
    make_payer,
    make_plan_of_care,
    make_procedure_line,
    make_rtm_episode,
    make_rtm_time_entry,
    make_visit_note,
)
from visits import services

# Only a clinical page may show it: the front desk must never read it.
NOTE_ASSESSMENT = "Peripheralises with flexion in sitting"


def fill_visits(clinic: Clinic, therapist: StaffMember, patient: Patient) -> None:
    make_coverage(patient=patient, payer=make_payer(clinic=clinic, name="Medicare Part B"))
    make_fee(clinic=clinic)
    visit = patient.appointments.filter(status=Appointment.Status.ATTENDED).order_by("pk").first()
    assert visit is not None, "the world's patient has no attended visit"
    note = make_visit_note(
        appointment=visit, therapist=therapist, assessment=NOTE_ASSESSMENT, plan="Extension."
    )
    make_procedure_line(note=note, **{"97110": 25, "97112": 15, "97140": 10})
    make_addendum(note=services.visit_note_sign(note=note, staff_member=therapist))
    today = timezone.localdate()
    make_plan_of_care(
        patient=patient,
        therapist=therapist,
        starts_on=today - datetime.timedelta(days=7),
        certified_on=today - datetime.timedelta(days=6),
    )
    episode = make_rtm_episode(
        patient=patient, therapist=therapist, starts_on=today - datetime.timedelta(days=5)
    )
    make_rtm_time_entry(episode=episode, clinician=therapist)
