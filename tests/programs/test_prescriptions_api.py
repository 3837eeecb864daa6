"""Prescribing and adjusting programs over the API: clinic-scoped, role-checked, all-or-nothing."""

from __future__ import annotations

import pytest

from patients.models import Cause, Side
from patients.services import red_flag_screen
from programs.models import Exercise, PrescribedExercise, Prescription, ProgramTemplate
from programs.schedule import default_start_date
from tests.factories import make_diagnosis, make_patient

pytestmark = pytest.mark.django_db

URL = "/api/v1/prescriptions/"
OVERRIDE = "Stable grade I slip on flexion-extension films; progressed below symptom threshold."


@pytest.fixture
def spondy_diagnosis(patient, therapist):
    return make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.SPONDYLOLISTHESIS,
        side=Side.BILATERAL,
        icd10_code="M43.16",
    )


def _body(patient, diagnosis, **extra) -> dict:
    return {
        "patient": patient.pk,
        "diagnosis": diagnosis.pk,
        "template": "mckenzie-extension",
        "weekdays": [0, 2, 4],
        "reminder_times": ["08:00", "18:30"],
        **extra,
    }


def _nothing_prescribed() -> bool:
    return not Prescription.objects.exists() and not PrescribedExercise.objects.exists()


# ---------------------------------------------------------------- prescribing


def test_prescribing_mckenzie_extension_for_a_herniated_disc(
    therapist_api, therapist, patient, diagnosis
):
    response = therapist_api.post(URL, _body(patient, diagnosis, notes="Extension preference."))
    assert response.status_code == 201, response.json()
    body = response.json()
    template = ProgramTemplate.objects.get(slug="mckenzie-extension")
    assert body["template"] == "mckenzie-extension"
    assert body["name"] == template.name
    assert body["status"] == "active"
    assert body["prescribed_by"] == therapist.pk
    assert body["weekdays"] == [0, 2, 4]
    assert body["reminder_times"] == ["08:00", "18:30"]
    assert body["current_phase"] == 1
    assert body["current_phase_name"] == body["phase_names"][0]
    assert body["start_date"] == default_start_date(patient).isoformat()

    prescription = Prescription.objects.get(pk=body["id"])
    assert prescription.patient == patient
    assert prescription.prescribed_by == therapist
    assert len(body["exercises"]) == prescription.exercises.count() > 0
    first = body["exercises"][0]
    assert first["exercise_name"]
    assert first["dosage_text"]
    assert first["phase"] == 1
    assert first["contraindication_override"] == ""
    assert prescription.history.first().history_user == therapist.user


def test_a_template_may_be_named_by_id(therapist_api, patient, diagnosis):
    template = ProgramTemplate.objects.get(slug="low-impact-aerobic")
    response = therapist_api.post(URL, _body(patient, diagnosis, template=template.pk))
    assert response.status_code == 201, response.json()
    assert response.json()["template"] == "low-impact-aerobic"


def test_a_custom_program_takes_dosed_exercises_in_phases(therapist_api, patient, diagnosis):
    body = _body(patient, diagnosis, template=None)
    del body["template"]
    body["exercises"] = [
        {"exercise": "bird-dog", "phase": 1, "sets": 2, "reps": 8},
        {"exercise": Exercise.objects.get(slug="glute-bridge").pk, "phase": 1},
        {"exercise": "front-plank", "phase": 2, "hold_seconds": 20, "times_per_day": 1},
    ]
    response = therapist_api.post(URL, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["phase_names"] == ["Phase 1", "Phase 2"]
    rows = [(e["exercise"], e["phase"], e["order"]) for e in data["exercises"]]
    assert rows == [("bird-dog", 1, 0), ("glute-bridge", 1, 1), ("front-plank", 2, 2)]
    bird_dog = data["exercises"][0]
    assert (bird_dog["sets"], bird_dog["reps"]) == (2, 8)
    bridge = Exercise.objects.get(slug="glute-bridge")
    assert data["exercises"][1]["reps"] == bridge.reps  # the library's default dosage


def test_stabilization_for_spondylolisthesis_is_refused_naming_the_exercise(
    therapist_api, patient, spondy_diagnosis
):
    response = therapist_api.post(
        URL, _body(patient, spondy_diagnosis, template="dynamic-lumbar-stabilization")
    )
    assert response.status_code == 400
    body = response.json()["errors"]
    assert "override_reason" in body
    assert "contraindicated" in body["override_reason"][0]
    slugs = [c["exercise"] for c in body["contraindications"]]
    assert "prone-back-extension" in slugs
    superman = next(c for c in body["contraindications"] if c["exercise"] == "prone-back-extension")
    assert superman["cause"] == "spondylolisthesis"
    assert superman["reason"]
    assert _nothing_prescribed()


def test_stabilization_for_spondylolisthesis_succeeds_with_an_override_reason(
    therapist_api, patient, spondy_diagnosis
):
    response = therapist_api.post(
        URL,
        _body(
            patient,
            spondy_diagnosis,
            template="dynamic-lumbar-stabilization",
            override_reason=OVERRIDE,
        ),
    )
    assert response.status_code == 201, response.json()
    items = {e["exercise"]: e for e in response.json()["exercises"]}
    assert items["prone-back-extension"]["contraindication_override"] == OVERRIDE
    assert items["bird-dog"]["contraindication_override"] == ""


def test_a_second_open_program_is_refused(therapist_api, patient, diagnosis, prescription):
    response = therapist_api.post(URL, _body(patient, diagnosis))
    assert response.status_code == 400
    assert "already has an open program" in response.json()["errors"]["non_field_errors"][0]
    assert Prescription.objects.count() == 1


def test_a_patient_on_medical_hold_gets_no_program(therapist_api, therapist, patient, diagnosis):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    response = therapist_api.post(URL, _body(patient, diagnosis))
    assert response.status_code == 400
    assert "medical hold" in str(response.json())
    assert _nothing_prescribed()


def test_another_clinics_patient_or_diagnosis_in_the_body_is_a_400(
    therapist_api, patient, diagnosis, other_patient, other_therapist
):
    foreign = make_diagnosis(patient=other_patient, diagnosed_by=other_therapist)
    response = therapist_api.post(URL, _body(other_patient, foreign))
    assert response.status_code == 400
    assert {"patient", "diagnosis"} <= response.json()["errors"].keys()

    response = therapist_api.post(URL, _body(patient, foreign))
    assert response.status_code == 400
    assert "diagnosis" in response.json()["errors"]
    assert _nothing_prescribed()


def test_another_patients_diagnosis_of_the_same_clinic_is_refused(
    therapist_api, therapist, clinic, patient
):
    second = make_patient(clinic=clinic, first_name="Jo")
    their_diagnosis = make_diagnosis(patient=second, diagnosed_by=therapist)
    response = therapist_api.post(URL, _body(patient, their_diagnosis))
    assert response.status_code == 400
    assert "diagnosis" in response.json()["errors"]
    assert _nothing_prescribed()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"patient": "abc"}, "patient"),
        ({"patient": 1.5}, "patient"),
        ({"patient": True}, "patient"),
        ({"patient": 10**30}, "patient"),
        ({"diagnosis": None}, "diagnosis"),
        ({"template": "no-such-template"}, "template"),
        ({"template": "bad\x00slug"}, "template"),
        ({"template": ["mckenzie-extension"]}, "template"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": "next tuesday"}, "start_date"),
        ({"weekdays": [7]}, "weekdays"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": "0,1"}, "weekdays"),
        ({"weekdays": [True]}, "weekdays"),
        ({"reminder_times": ["25:00"]}, "reminder_times"),
        ({"reminder_times": ["08:00\x00"]}, "reminder_times"),
        ({"notes": "nul \x00 byte"}, "notes"),
        ({"override_reason": ["because"]}, "override_reason"),
        ({"exercises": [{"exercise": "bird-dog"}]}, "template"),
    ],
)
def test_bad_prescribe_input_is_a_400_per_field_and_stores_nothing(
    therapist_api, patient, diagnosis, change, field
):
    response = therapist_api.post(URL, {**_body(patient, diagnosis), **change}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert _nothing_prescribed()


@pytest.mark.parametrize(
    "exercise",
    [
        {"exercise": "no-such-exercise"},
        {"exercise": "bird-dog", "sets": 0},
        {"exercise": "bird-dog", "reps": 1001},
        {"exercise": "bird-dog", "phase": 0},
        {"exercise": "bird-dog", "minutes": "ten"},
        {},
    ],
)
def test_bad_custom_exercises_are_a_400_and_store_nothing(
    therapist_api, patient, diagnosis, exercise
):
    body = _body(patient, diagnosis)
    del body["template"]
    body["exercises"] = [exercise]
    response = therapist_api.post(URL, body)
    assert response.status_code == 400
    assert "exercises" in response.json()["errors"]
    assert _nothing_prescribed()


def test_a_body_that_is_not_an_object_is_a_400(therapist_api):
    response = therapist_api.post(URL, ["patient"], format="json")
    assert response.status_code == 400
    response = therapist_api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_front_desk_cannot_prescribe_or_read_programs(front_desk_api, patient, diagnosis):
    assert front_desk_api.post(URL, _body(patient, diagnosis)).status_code == 403
    assert front_desk_api.get(URL).status_code == 403
    assert _nothing_prescribed()


def test_front_desk_cannot_change_a_program(front_desk_api, prescription):
    base = f"{URL}{prescription.pk}"
    assert front_desk_api.post(f"{base}/advance-phase/").status_code == 403
    assert front_desk_api.post(f"{base}/status/", {"status": "paused"}).status_code == 403
    item = prescription.exercises.first()
    assert front_desk_api.patch(f"{base}/exercises/{item.pk}/", {"sets": 2}).status_code == 403


def test_a_patient_gets_403_on_staff_endpoints(patient_api, patient, diagnosis, prescription):
    assert patient_api.get(URL).status_code == 403
    assert patient_api.get(f"{URL}{prescription.pk}/").status_code == 403
    assert patient_api.post(URL, _body(patient, diagnosis)).status_code == 403
    assert patient_api.post(f"{URL}{prescription.pk}/advance-phase/").status_code == 403
    assert patient_api.get(f"/api/v1/patients/{patient.pk}/sessions/").status_code == 403


def test_anonymous_callers_are_401(anon, prescription):
    assert anon.get(URL).status_code == 401
    assert anon.get(f"{URL}{prescription.pk}/").status_code == 401


def test_prescriptions_are_never_deleted(therapist_api, prescription):
    response = therapist_api.delete(f"{URL}{prescription.pk}/")
    assert response.status_code == 405
    assert therapist_api.put(f"{URL}{prescription.pk}/", {}).status_code == 405
    assert Prescription.objects.filter(pk=prescription.pk).exists()
