"""Appointment for each booked visit; Encounter for each attended one."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter

from appointments.cancel import appointment_cancel
from appointments.models import Appointment
from interop.fhir.resources import scheduling
from tests.factories.appointments import make_appointment
from tests.factories.outcomes import make_questionnaire_response
from tests.factories.patients import make_diagnosis
from tests.factories.programs import make_session
from tests.factories.visits import make_attended_appointment, make_visit_note
from visits.note_models import NoteKind

pytestmark = pytest.mark.django_db

HL7 = "http://terminology.hl7.org/CodeSystem"


def _appointment(appointment: Appointment) -> dict:
    clinic = appointment.patient.clinic
    row = scheduling.appointment_rows(clinic).get(pk=appointment.pk)
    resource = scheduling.render_appointment(row)
    FhirAppointment.model_validate(resource)
    return resource


def _encounter(appointment: Appointment) -> dict:
    clinic = appointment.patient.clinic
    row = scheduling.encounter_rows(clinic).get(pk=appointment.pk)
    resource = scheduling.render_encounter(row)
    Encounter.model_validate(resource)
    return resource


def _participants(resource: dict) -> tuple[dict, dict]:
    patient, therapist = resource["participant"]
    return patient, therapist


def test_a_booked_appointment_has_its_time_kind_and_both_participants(patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)

    resource = _appointment(appointment)

    assert resource["id"] == str(appointment.pk)
    assert resource["status"] == "booked"
    assert resource["start"] == appointment.starts_at.astimezone(datetime.UTC).isoformat()
    assert resource["end"] == appointment.ends_at.astimezone(datetime.UTC).isoformat()
    assert resource["minutesDuration"] == 45
    assert resource["appointmentType"]["coding"][0]["system"] == f"{HL7}/v2-0276"
    assert resource["appointmentType"]["coding"][0]["code"] == "FOLLOWUP"
    assert resource["serviceType"][0]["coding"][0]["code"] == "follow_up"
    patient_part, therapist_part = _participants(resource)
    assert patient_part["actor"] == {"reference": f"Patient/{patient.pk}"}
    assert patient_part["status"] == "needs-action"
    assert therapist_part["actor"] == {"display": "Sam One, PT, DPT"}
    assert "cancelationReason" not in resource


def test_an_evaluation_is_a_routine_appointment_type(patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist, kind="evaluation")

    resource = _appointment(appointment)

    assert resource["appointmentType"]["coding"][0]["code"] == "ROUTINE"
    assert resource["serviceType"][0]["coding"][0]["display"] == "Evaluation"


def test_a_confirmed_appointment_is_booked_with_the_patient_accepted(patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    Appointment.objects.filter(pk=appointment.pk).update(
        status=Appointment.Status.CONFIRMED, confirmed_at=timezone.now()
    )

    resource = _appointment(appointment)

    assert resource["status"] == "booked"
    assert _participants(resource)[0]["status"] == "accepted"


def test_a_checked_in_appointment_has_arrived(patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    Appointment.objects.filter(pk=appointment.pk).update(checked_in_at=timezone.now())

    assert _appointment(appointment)["status"] == "arrived"


@pytest.mark.parametrize(
    ("status", "fhir_status"),
    [(Appointment.Status.ATTENDED, "fulfilled"), (Appointment.Status.NO_SHOW, "noshow")],
)
def test_past_visits_are_fulfilled_or_noshow(patient, therapist, status, fhir_status):
    appointment = make_attended_appointment(patient=patient, therapist=therapist)
    Appointment.objects.filter(pk=appointment.pk).update(status=status)

    assert _appointment(appointment)["status"] == fhir_status


def test_cancelled_by_the_clinic_gives_the_provider_and_the_reason(patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    appointment_cancel(appointment=appointment, reason="Therapist ill.", actor=therapist.user)

    resource = _appointment(appointment)

    assert resource["status"] == "cancelled"
    assert resource["cancelationReason"] == {
        "coding": [
            {
                "system": f"{HL7}/appointment-cancellation-reason",
                "code": "prov",
                "display": "Provider",
            }
        ],
        "text": "Therapist ill.",
    }
    assert _participants(resource)[0]["status"] == "accepted"


def test_cancelled_by_the_patient_declines_and_says_patient(patient, therapist):
    appointment = make_appointment(patient=patient, therapist=therapist)
    Appointment.objects.filter(pk=appointment.pk).update(
        status=Appointment.Status.CANCELLED, cancelled_by_patient=True, cancelled_at=timezone.now()
    )

    resource = _appointment(appointment)

    assert resource["cancelationReason"]["coding"][0]["code"] == "pat"
    assert "text" not in resource["cancelationReason"]
    assert _participants(resource)[0]["status"] == "declined"


def test_an_attended_visit_is_a_finished_ambulatory_encounter(diagnosis, therapist):
    appointment = make_attended_appointment(patient=diagnosis.patient, therapist=therapist)

    resource = _encounter(appointment)

    assert resource["id"] == str(appointment.pk)
    assert resource["status"] == "finished"
    assert resource["class"] == {
        "system": f"{HL7}/v3-ActCode",
        "code": "AMB",
        "display": "ambulatory",
    }
    assert resource["appointment"] == [{"reference": f"Appointment/{appointment.pk}"}]
    assert resource["subject"] == {"reference": f"Patient/{diagnosis.patient_id}"}
    assert resource["participant"] == [{"individual": {"display": "Sam One, PT, DPT"}}]
    assert resource["period"]["start"] == appointment.starts_at.astimezone(datetime.UTC).isoformat()
    assert resource["reasonReference"] == [{"reference": f"Condition/{diagnosis.pk}"}]
    assert "type" not in resource


def test_the_encounter_type_is_the_visit_notes_kind(diagnosis, therapist):
    note = make_visit_note(patient=diagnosis.patient, therapist=therapist, kind=NoteKind.PROGRESS)

    resource = _encounter(note.appointment)

    assert resource["type"][0]["coding"][0]["code"] == "progress"
    assert resource["type"][0]["coding"][0]["display"] == "Progress note"


def test_a_video_visit_is_a_virtual_encounter(diagnosis, therapist):
    appointment = make_attended_appointment(patient=diagnosis.patient, therapist=therapist)
    Appointment.objects.filter(pk=appointment.pk).update(telehealth_url="https://video.example")

    assert _encounter(appointment)["class"]["code"] == "VR"


def test_a_patient_without_a_diagnosis_by_the_visit_has_no_reason(patient, therapist):
    appointment = make_attended_appointment(patient=patient, therapist=therapist)

    assert "reasonReference" not in _encounter(appointment)


def test_the_reason_is_the_newest_diagnosis_by_the_day_of_the_visit(diagnosis, therapist):
    appointment = make_attended_appointment(patient=diagnosis.patient, therapist=therapist)
    later = make_diagnosis(patient=diagnosis.patient, diagnosed_by=therapist)
    type(later).objects.filter(pk=later.pk).update(
        diagnosed_on=timezone.localdate() + datetime.timedelta(days=1)
    )

    assert _encounter(appointment)["reasonReference"] == [
        {"reference": f"Condition/{diagnosis.pk}"}
    ]


def test_only_attended_appointments_are_encounters(patient, therapist):
    attended = make_attended_appointment(patient=patient, therapist=therapist)
    make_appointment(patient=patient, therapist=therapist)

    rows = scheduling.encounter_rows(patient.clinic)

    assert [row.pk for row in rows] == [attended.pk]


def test_rendering_costs_the_same_queries_for_one_visit_as_for_five(diagnosis, therapist):
    patient = diagnosis.patient
    clinic = patient.clinic

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as booked:
            [scheduling.render_appointment(r) for r in scheduling.appointment_rows(clinic)]
        with CaptureQueriesContext(connection) as attended:
            [scheduling.render_encounter(r) for r in scheduling.encounter_rows(clinic)]
        return len(booked), len(attended)

    now = timezone.now().replace(second=0, microsecond=0)
    make_visit_note(
        appointment=make_attended_appointment(
            patient=patient, therapist=therapist, starts_at=now - datetime.timedelta(days=1)
        )
    )
    one = queries()
    for days in range(2, 6):
        make_attended_appointment(
            patient=patient, therapist=therapist, starts_at=now - datetime.timedelta(days=days)
        )

    assert queries() == one == (1, 2)
    assert scheduling.encounter_rows(clinic).count() == 5


def test_everything_of_a_patient_in_care_validates_and_its_references_resolve(
    therapist_api, prescription, therapist
):
    patient = prescription.patient
    make_session(patient=patient)
    for code in ("nprs", "odi", "rmdq", "startback"):
        make_questionnaire_response(patient=patient, code=code)
    make_visit_note(patient=patient, therapist=therapist)
    make_appointment(patient=patient, therapist=therapist)

    response = therapist_api.get(f"/fhir/R4/Patient/{patient.pk}/$everything?_count=100")

    assert response.status_code == 200, response.content
    body = response.json()
    Bundle.model_validate(body)
    held = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in body["entry"]}
    assert {"Encounter", "Appointment", "Observation", "QuestionnaireResponse", "Condition"} <= {
        key.split("/")[0] for key in held
    }
    text = response.content.decode()
    for target in re.findall(r'"reference": ?"([A-Za-z]+/[^"]+)"', text):
        assert target in held, target
