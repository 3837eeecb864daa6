"""A clinic with demo-like data for the admin walk-through, plus a second clinic with
one of everything, so every admin page has an own and a foreign object to open.

Built through the services, as the demo and the admin write it."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from appointments import services as appointment_services
from episodes import services as episode_services
from outcomes import services as outcome_services
from patients import services as patient_services
from patients.models import Patient
from practice.models import Clinic, Role, StaffMember, User
from programs.sessions import ExerciseDone, session_log
from reminders import planner
from tests.admin_world_visits import NOTE_ASSESSMENT, fill_visits
from tests.factories import (
    ClinicFactory,
    make_diagnosis,
    make_patient,
    make_prescription,
    make_staff,
)

# Strings only a clinical page may show: the front desk must never see them.
DIAGNOSIS_CODE = "M51.16"
DIAGNOSIS_NOTE = "Posterolateral L5-S1 extrusion on MRI"
SCREENING_NOTE = "Dorsiflexion 3/5 on the left since Tuesday"
SESSION_NOTE = "Prone press-up sent a burning line to the calf"
SECRET_TEXTS = (DIAGNOSIS_CODE, DIAGNOSIS_NOTE, SCREENING_NOTE, SESSION_NOTE, NOTE_ASSESSMENT)

ROLES = {
    "physical_therapist": Role.PHYSICAL_THERAPIST,
    "osteopathic_physician": Role.OSTEOPATHIC_PHYSICIAN,
    "front_desk": Role.FRONT_DESK,
    "clinic_admin": Role.CLINIC_ADMIN,
}


@dataclass
class ClinicData:
    clinic: Clinic
    therapist: StaffMember
    patients: list[Patient] = field(default_factory=list)


@dataclass
class World:
    own: ClinicData
    other: ClinicData
    users: dict[str, User]


def _treated(clinic: Clinic, therapist: StaffMember, last_name: str) -> Patient:
    patient = make_patient(clinic=clinic, primary_therapist=therapist, last_name=last_name)
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    type(diagnosis).objects.filter(pk=diagnosis.pk).update(notes=DIAGNOSIS_NOTE)
    make_prescription(
        diagnosis=diagnosis,
        prescribed_by=therapist,
        start_date=timezone.localdate() - datetime.timedelta(days=7),
    )
    return patient


def _session(patient: Patient, *, leg_before: int, leg_after: int, notes: str = "") -> None:
    item = patient.prescriptions.get().exercises.order_by("pk").first()
    assert item is not None, "the program has no exercise"
    session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=1),
        pain_extent="calf",
        exercises=[ExerciseDone(prescribed_exercise_id=item.pk, sets=2, reps=10)],
        leg_pain_before=leg_before,
        leg_pain_after=leg_after,
        back_pain_before=2,
        back_pain_after=2,
        notes=notes,
    )


def _fill_clinic(clinic: Clinic, therapist: StaffMember, *, full: bool) -> ClinicData:
    data = ClinicData(clinic=clinic, therapist=therapist)
    treated = _treated(clinic, therapist, "Treated")
    _session(treated, leg_before=3, leg_after=3)
    # Leg pain rising by 3 stops the exercise and raises an open alert.
    _session(treated, leg_before=3, leg_after=6, notes=SESSION_NOTE)
    outcome_services.questionnaire_submit(patient=treated, code="nprs", answers={"pain": 6})
    appointment_services.appointment_book(
        patient=treated,
        therapist=therapist,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        kind="follow_up",
        actor=therapist.user,
    )
    appointment_services.appointment_record_past(
        patient=treated,
        therapist=therapist,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        reason="Paper chart entered after the network outage.",
        actor=therapist.user,
    )
    fill_visits(clinic, therapist, treated)
    data.patients.append(treated)

    held = _treated(clinic, therapist, "Held")
    patient_services.red_flag_screen(
        patient=held, flags={"foot_drop": True}, screened_by=therapist, notes=SCREENING_NOTE
    )
    data.patients.append(held)
    if not full:
        return data

    referred = _treated(clinic, therapist, "Referred")
    patient_services.red_flag_screen(
        patient=referred, flags={"history_of_cancer": True}, screened_by=therapist
    )
    data.patients.append(referred)

    cleared = _treated(clinic, therapist, "Cleared")
    patient_services.red_flag_screen(
        patient=cleared, flags={"saddle_numbness": True}, screened_by=therapist
    )
    patient_services.medical_hold_clear(
        patient=cleared, cleared_by=therapist, note="Seen in the emergency department: no CES."
    )
    # An acknowledged, still open alert beside the resolved one.
    _session(cleared, leg_before=2, leg_after=5)
    patient_services.alert_acknowledge(
        alert=cleared.alerts.filter(resolved_at__isnull=True).get(), staff_member=therapist
    )
    data.patients.append(cleared)

    discharged = _treated(clinic, therapist, "Discharged")
    episode_services.patient_discharge(
        patient=discharged, actor=therapist.user, note="Goals met, independent with the program."
    )
    data.patients.append(discharged)
    data.patients.append(make_patient(clinic=clinic, last_name="Newcomer"))
    return data


def build_world() -> World:
    own_clinic = ClinicFactory.create(name="Walkthrough Spine", slug="walkthrough-spine")
    other_clinic = ClinicFactory.create(name="Faraway Physio", slug="faraway-physio")
    own_pt = make_staff(clinic=own_clinic, role=Role.PHYSICAL_THERAPIST, username="walk.pt")
    other_pt = make_staff(clinic=other_clinic, role=Role.PHYSICAL_THERAPIST, username="far.pt")
    users = {
        name: make_staff(clinic=own_clinic, role=role, username=f"walk.{name}").user
        for name, role in ROLES.items()
        if role != Role.PHYSICAL_THERAPIST
    }
    users["physical_therapist"] = own_pt.user
    users["superuser"] = User.objects.create_superuser(username="walk.root", password="x" * 20)
    world = World(
        own=_fill_clinic(own_clinic, own_pt, full=True),
        other=_fill_clinic(other_clinic, other_pt, full=False),
        users=users,
    )
    # Reminders planned for the coming day: exercise, appointment and urgent rows.
    planner.plan(now=timezone.now())
    return world
