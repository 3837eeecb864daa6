"""CarePlan and ServiceRequest for each prescription."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.servicerequest import ServiceRequest

from interop.fhir import systems
from interop.fhir.resources import careplan
from patients.models import Patient
from programs import services as program_services
from programs.models import Category, PrescribedExercise, Prescription, StopReason
from tests.factories import make_diagnosis, make_patient, make_prescription
from tests.factories.programs import ExerciseFactory

pytestmark = pytest.mark.django_db

SNOMED = "http://snomed.info/sct"
PA = "http://hl7.org/fhir/us/physical-activity/CodeSystem/pa-temporary-codes"


def _row(prescription: Prescription) -> Prescription:
    return careplan.rows(prescription.patient.clinic).get(pk=prescription.pk)


def _care_plan(prescription: Prescription) -> dict:
    resource = careplan.render_care_plan(_row(prescription))
    CarePlan.model_validate(resource)
    return resource


def _service_request(prescription: Prescription) -> dict:
    resource = careplan.render_service_request(_row(prescription))
    ServiceRequest.model_validate(resource)
    return resource


def _details(resource: dict) -> list[dict]:
    return [a["detail"] for a in resource["activity"] if "detail" in a]


def test_care_plan_of_a_template_program(prescription, diagnosis):
    resource = _care_plan(prescription)
    assert resource["id"] == str(prescription.pk)
    assert resource["status"] == "active"
    assert resource["intent"] == "plan"
    assert resource["instantiatesCanonical"] == [
        systems.canonical("PlanDefinition", "mckenzie-extension")
    ]
    assert resource["subject"] == {"reference": f"Patient/{prescription.patient_id}"}
    assert resource["addresses"] == [{"reference": f"Condition/{diagnosis.pk}"}]
    assert resource["period"] == {"start": prescription.start_date.isoformat()}
    assert resource["category"][0]["coding"][0] == {
        "system": PA,
        "code": "PhysicalActivity",
        "display": "Physical Activity",
    }
    assert resource["author"]["display"] == str(prescription.prescribed_by)
    assert resource["activity"][0] == {
        "reference": {"reference": f"ServiceRequest/{prescription.pk}"}
    }


def test_care_plan_lists_every_phase_with_the_current_one_in_progress(prescription):
    assert len(prescription.phase_names) > 1
    details = _details(_care_plan(prescription))
    items = list(prescription.exercises.order_by("phase", "order", "pk"))
    assert len(details) == len(items)
    for item, detail in zip(items, details, strict=True):
        assert detail["instantiatesCanonical"] == [
            systems.canonical("ActivityDefinition", item.exercise.slug)
        ]
        assert detail["status"] == ("in-progress" if item.phase == 1 else "not-started")
        assert detail["description"].startswith(f"Phase {item.phase}: {item.exercise.name}, ")


def test_advanced_program_shows_earlier_phases_completed(prescription, therapist):
    program_services.prescription_advance_phase(prescription=prescription, actor=therapist.user)
    prescription.refresh_from_db()
    statuses = {(d["description"][:7], d["status"]) for d in _details(_care_plan(prescription))}
    assert ("Phase 1", "completed") in statuses
    assert ("Phase 2", "in-progress") in statuses


def test_activity_carries_dosage_and_schedule_as_timing(diagnosis, therapist):
    walk = ExerciseFactory.create(
        category=Category.LOW_IMPACT_AEROBIC, sets=None, reps=None, minutes=20, times_per_day=2
    )
    prescription = program_services.program_prescribe(
        patient=diagnosis.patient,
        diagnosis=diagnosis,
        prescribed_by=therapist,
        weekdays=[0, 2, 4],
        reminder_times=["18:30", "07:00"],
        exercises=[program_services.ExerciseDose(exercise=walk)],
    )
    resource = _care_plan(prescription)
    assert "instantiatesCanonical" not in resource
    (detail,) = _details(resource)
    assert detail["scheduledTiming"] == {
        "repeat": {
            "dayOfWeek": ["mon", "wed", "fri"],
            "timeOfDay": ["07:00:00", "18:30:00"],
            "frequency": 2,
            "period": 1,
            "periodUnit": "d",
            "duration": 20,
            "durationUnit": "min",
        }
    }
    assert "20 min, 2x a day" in detail["description"]
    assert detail["code"]["coding"][0] == {
        "system": SNOMED,
        "code": "229072005",
        "display": "Aerobic exercises",
    }
    request = _service_request(prescription)
    assert request["occurrenceTiming"]["repeat"]["dayOfWeek"] == ["mon", "wed", "fri"]
    assert request["patientInstruction"] == f"Phase 1: {walk.name}: 20 min, 2x a day"
    assert "instantiatesCanonical" not in request


def test_a_stopped_exercise_is_shown_stopped_with_its_reason(prescription):
    item = prescription.exercises.order_by("phase", "order").first()
    PrescribedExercise.objects.filter(pk=item.pk).update(
        stopped_for_pain_at=timezone.now(),
        stop_reason=StopReason.LEG_PAIN_ROSE,
        stop_message="Leg pain rose from 3 to 6 after the session.",
    )
    details = _details(_care_plan(prescription))
    stopped = [d for d in details if d["status"] == "stopped"]
    assert len(stopped) == 1
    reason = stopped[0]["statusReason"]
    assert reason["text"] == "Leg pain rose from 3 to 6 after the session."
    assert reason["coding"][0]["code"] == "leg_pain_rose"
    assert reason["coding"][0]["system"] == systems.local_code_system("exercise-stop-reason")
    instruction = _service_request(prescription)["patientInstruction"]
    assert "stopped: contact your therapist" in instruction


def test_a_resumed_exercise_is_no_longer_stopped(prescription, therapist):
    item = prescription.exercises.order_by("phase", "order").first()
    PrescribedExercise.objects.filter(pk=item.pk).update(
        stopped_for_pain_at=timezone.now(), stop_reason=StopReason.PAIN_ROSE
    )
    item.refresh_from_db()
    program_services.exercise_resume(item=item, staff_member=therapist, note="Reviewed.")
    assert all(d["status"] != "stopped" for d in _details(_care_plan(prescription)))


@pytest.mark.parametrize(
    ("status", "fhir", "current_phase_activity"),
    [
        (Prescription.Status.PAUSED, "on-hold", "on-hold"),
        (Prescription.Status.COMPLETED, "completed", "completed"),
        (Prescription.Status.STOPPED, "revoked", "stopped"),
    ],
)
def test_status_mapping(prescription, therapist, status, fhir, current_phase_activity):
    program_services.prescription_set_status(
        prescription=prescription, status=status, actor=therapist.user
    )
    resource = _care_plan(prescription)
    assert resource["status"] == fhir
    assert _service_request(prescription)["status"] == fhir
    statuses = {(d["description"][:7], d["status"]) for d in _details(resource)}
    assert ("Phase 1", current_phase_activity) in statuses
    later = "not-started" if status == Prescription.Status.PAUSED else "cancelled"
    assert ("Phase 2", later) in statuses


@pytest.mark.parametrize("hold", ["medical_hold_since", "referral_hold_since"])
def test_an_active_program_of_a_held_patient_is_on_hold(prescription, hold):
    since = timezone.now()
    Patient.objects.filter(pk=prescription.patient_id).update(**{hold: since})
    plan = _care_plan(prescription)
    assert plan["status"] == "on-hold"
    assert _service_request(prescription)["status"] == "on-hold"
    # Why, for a reader who sees only the plan.
    why = plan["note"][0]
    assert ("red-flag" in why["text"]) == (hold == "medical_hold_since")
    assert ("physician" in why["text"]) == (hold == "referral_hold_since")
    assert why["time"] == since.isoformat()


def test_an_unheld_program_says_nothing_of_holds(prescription):
    assert "note" not in _care_plan(prescription)


def test_a_completed_program_stays_completed_through_a_hold(prescription, therapist):
    program_services.prescription_set_status(
        prescription=prescription, status=Prescription.Status.COMPLETED, actor=therapist.user
    )
    Patient.objects.filter(pk=prescription.patient_id).update(medical_hold_since=timezone.now())
    assert _care_plan(prescription)["status"] == "completed"


def test_service_request_as_the_physical_activity_ig_models_it(prescription, diagnosis):
    prescription.prescribed_by.npi = "1234567893"
    prescription.prescribed_by.save(update_fields=["npi"])
    resource = _service_request(prescription)
    assert resource["id"] == str(prescription.pk)
    assert resource["status"] == "active"
    assert resource["intent"] == "order"
    assert resource["code"]["coding"] == [
        {"system": SNOMED, "code": "229065009", "display": "Exercise therapy (regime/therapy)"}
    ]
    categories = [c["coding"][0] for c in resource["category"]]
    assert [(c["system"], c["code"]) for c in categories] == [
        (PA, "PhysicalActivity"),
        (SNOMED, "91251008"),
    ]
    assert resource["basedOn"] == [{"reference": f"CarePlan/{prescription.pk}"}]
    assert resource["reasonReference"] == [{"reference": f"Condition/{diagnosis.pk}"}]
    assert resource["subject"] == {"reference": f"Patient/{prescription.patient_id}"}
    assert resource["performer"] == [{"reference": f"Patient/{prescription.patient_id}"}]
    assert resource["requester"]["identifier"] == {
        "system": "http://hl7.org/fhir/sid/us-npi",
        "value": "1234567893",
    }
    assert resource["authoredOn"] == prescription.created_at.isoformat()
    assert resource["instantiatesCanonical"] == [
        systems.canonical("PlanDefinition", "mckenzie-extension")
    ]
    timing = resource["occurrenceTiming"]["repeat"]
    assert timing["boundsPeriod"] == {"start": prescription.start_date.isoformat()}
    assert timing["timeOfDay"] == ["08:00:00", "18:00:00"]
    assert len(timing["dayOfWeek"]) == 7
    first = prescription.exercises.filter(phase=1).order_by("order").first()
    assert resource["patientInstruction"].startswith("Phase 1 (")
    assert f"{first.exercise.name}: " in resource["patientInstruction"]


def test_notes_become_a_note(diagnosis, therapist):
    prescription = make_prescription(
        diagnosis=diagnosis, prescribed_by=therapist, notes="Walk after the exercises."
    )
    assert _care_plan(prescription)["note"] == [{"text": "Walk after the exercises."}]
    assert _service_request(prescription)["note"] == [{"text": "Walk after the exercises."}]


def test_another_clinics_programs_are_not_rows(prescription, other_clinic):
    assert not careplan.rows(other_clinic).filter(pk=prescription.pk).exists()


@pytest.mark.parametrize("render", [careplan.render_care_plan, careplan.render_service_request])
def test_rendering_costs_the_same_queries_for_one_program_as_for_many(clinic, therapist, render):
    for _ in range(5):
        patient = make_patient(clinic=clinic, primary_therapist=therapist)
        make_prescription(diagnosis=make_diagnosis(patient=patient, diagnosed_by=therapist))
    counts = []
    for size in (1, 5):
        with CaptureQueriesContext(connection) as queries:
            for row in careplan.rows(clinic).order_by("pk")[:size]:
                render(row)
        counts.append(len(queries))
    assert counts[0] == counts[1]
