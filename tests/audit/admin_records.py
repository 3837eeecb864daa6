"""One record of every admin that shows a patient's record, for a clinic, built through
the services as the app and the admin write them."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from appointments import services as appointment_services
from episodes import services as episode_services
from outcomes import services as outcome_services
from patients import services as patient_services
from patients.models import Patient, ReferralOutcome
from practice.models import Clinic, StaffMember
from programs.sessions import ExerciseDone, session_log
from reminders import planner
from reminders.models import Notification
from tests.factories import make_diagnosis, make_patient, make_prescription

# Every admin of a patient record, by its URL prefix.
PATIENT_ADMINS = [
    "patients_patient",
    "patients_diagnosis",
    "patients_redflagscreening",
    "patients_clinicalalert",
    "patients_referraloutcome",
    "programs_prescription",
    "programs_exercisesession",
    "outcomes_questionnaireresponse",
    "reminders_notification",
    "appointments_appointment",
    "episodes_episodeclosure",
]


@dataclass
class ClinicRecords:
    clinic: Clinic
    therapist: StaffMember
    patient: Patient
    # admin URL prefix -> (a record of that admin, the patient it belongs to)
    records: dict[str, tuple[models.Model, Patient]] = field(default_factory=dict)


def build_records(clinic: Clinic, therapist: StaffMember, *, name: str) -> ClinicRecords:
    patient = make_patient(
        clinic=clinic, primary_therapist=therapist, last_name=name, consent_email=True
    )
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    prescription = make_prescription(
        diagnosis=diagnosis,
        prescribed_by=therapist,
        start_date=timezone.localdate() - datetime.timedelta(days=7),
    )
    planner.plan(now=timezone.now(), horizon=datetime.timedelta(days=1))
    item = prescription.exercises.order_by("pk").first()
    assert item is not None
    # Leg pain rising by 3 stops the exercise and raises an alert.
    session, _ = session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=1),
        pain_extent="calf",
        exercises=[ExerciseDone(prescribed_exercise_id=item.pk, sets=2, reps=10)],
        leg_pain_before=3,
        leg_pain_after=6,
        back_pain_before=2,
        back_pain_after=2,
    )
    response = outcome_services.questionnaire_submit(
        patient=patient, code="nprs", answers={"pain": 6}
    )
    appointment = appointment_services.appointment_book(
        patient=patient,
        therapist=therapist,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        actor=therapist.user,
    )
    screening = patient_services.red_flag_screen(
        patient=patient, flags={"history_of_cancer": True}, screened_by=therapist
    )
    outcome = patient_services.referral_outcome_record(
        patient=patient,
        recorded_by=therapist,
        outcome=ReferralOutcome.Outcome.NOT_CLEARED,
        physician_name="Dr. Okafor",
        note="Imaging booked.",
    )
    discharged = make_patient(clinic=clinic, primary_therapist=therapist, last_name=f"{name}Done")
    episode_services.patient_discharge(patient=discharged, actor=therapist.user)

    own = {
        "patients_patient": patient,
        "patients_diagnosis": diagnosis,
        "patients_redflagscreening": screening,
        "patients_clinicalalert": patient.alerts.order_by("pk").first(),
        "patients_referraloutcome": outcome,
        "programs_prescription": prescription,
        "programs_exercisesession": session,
        "outcomes_questionnaireresponse": response,
        "reminders_notification": Notification.objects.filter(patient=patient).first(),
        "appointments_appointment": appointment,
    }
    missing = [prefix for prefix, obj in own.items() if obj is None]
    assert not missing, f"no record built for {missing}"
    records: dict[str, tuple[models.Model, Patient]] = {
        prefix: (obj, patient) for prefix, obj in own.items() if obj is not None
    }
    records["episodes_episodeclosure"] = (discharged.episode_closures.get(), discharged)
    return ClinicRecords(clinic=clinic, therapist=therapist, patient=patient, records=records)
