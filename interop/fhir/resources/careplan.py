"""CarePlan and ServiceRequest for each prescription.

A prescription is one exercise program, so it gives one CarePlan (the plan: every
prescribed exercise as an activity) and one ServiceRequest (the order for exercise
therapy), as the HL7 Physical Activity IG's exercise prescription is a single
ServiceRequest `basedOn` its CarePlan, performed by the patient.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import translation

from interop.fhir import codes, systems
from interop.fhir.resources.definitions import (
    ACTIVITY_DEFINITION,
    PLAN_DEFINITION,
    dosage_text,
    dosage_timing,
    exercise_code,
)
from interop.fhir.types import FhirType, Resource, Source, coding, concept, reference
from practice.models import Clinic
from programs.holds import HoldKind, current_hold
from programs.models import PrescribedExercise, Prescription, StopReason, generic_phase_name

CARE_PLAN = "CarePlan"
SERVICE_REQUEST = "ServiceRequest"

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# A hold stops the program (programs.holds), so an active program of a held patient
# is on hold whatever its own status says.
_STATUS = {
    Prescription.Status.PAUSED: "on-hold",
    Prescription.Status.COMPLETED: "completed",
    Prescription.Status.STOPPED: "revoked",
}


def request_status(prescription: Prescription) -> str:
    """The status both resources share (CarePlan and ServiceRequest use the same
    request-status codes)."""
    if prescription.status == Prescription.Status.ACTIVE:
        return "on-hold" if current_hold(prescription.patient) is not None else "active"
    return _STATUS[Prescription.Status(prescription.status)]


def rows(clinic: Clinic) -> QuerySet[Prescription]:
    exercises = PrescribedExercise.objects.select_related("exercise").order_by(
        "phase", "order", "pk"
    )
    return (
        Prescription.objects.for_clinic(clinic)
        .select_related("patient", "prescribed_by__user", "template")
        .prefetch_related(Prefetch("exercises", queryset=exercises))
    )


def named(prescriptions: QuerySet[Prescription]) -> set[str]:
    """The definitions these programs' CarePlans and ServiceRequests name: the templates
    and every prescribed exercise (read from keys, for $everything)."""
    templates = prescriptions.exclude(template=None).values_list("template__slug", flat=True)
    exercises = PrescribedExercise.objects.filter(
        prescription__in=prescriptions.values("pk")
    ).values_list("exercise__slug", flat=True)
    return {systems.canonical(PLAN_DEFINITION, slug) for slug in templates} | {
        systems.canonical(ACTIVITY_DEFINITION, slug) for slug in exercises
    }


def schedule_repeat(prescription: Prescription) -> Resource:
    """The program's days of the week and its reminder times of day."""
    repeat: Resource = {}
    days = [
        WEEKDAY_CODES[day] for day in sorted(prescription.weekdays) if 0 <= day < len(WEEKDAY_CODES)
    ]
    if days:
        repeat["dayOfWeek"] = days
    if prescription.reminder_times:
        repeat["timeOfDay"] = [f"{time}:00" for time in sorted(prescription.reminder_times)]
    return repeat


def activity_status(prescription: Prescription, item: PrescribedExercise) -> str:
    """Every phase's exercises are listed; the status says which are being done now.
    Earlier phases are done, later ones not begun; a plan that ended never reaches its
    later phases."""
    if item.stopped_for_pain_at is not None:
        return "stopped"
    current, plan = prescription.current_phase, request_status(prescription)
    if item.phase < current:
        return "completed"
    if item.phase > current:
        return "not-started" if plan in ("active", "on-hold") else "cancelled"
    return {
        "active": "in-progress",
        "on-hold": "on-hold",
        "completed": "completed",
        "revoked": "stopped",
    }[plan]


def stop_reason(item: PrescribedExercise) -> Resource:
    text = item.stop_message or (
        str(StopReason(item.stop_reason).label) if item.stop_reason else "Stopped for pain"
    )
    if not item.stop_reason:
        return {"text": text}
    return concept(
        systems.local_code_system(codes.EXERCISE_STOP_REASON_SYSTEM),
        item.stop_reason,
        str(StopReason(item.stop_reason).label),
        text=text,
    )


def _activity(prescription: Prescription, item: PrescribedExercise) -> Resource:
    description = f"Phase {item.phase}: {item.exercise.name}, {dosage_text(item)}."
    if item.contraindication_override:
        description += f" Prescribed despite a contraindication: {item.contraindication_override}"
    repeat = {**schedule_repeat(prescription), **(dosage_timing(item) or {}).get("repeat", {})}
    detail: Resource = {
        "kind": "ServiceRequest",
        "instantiatesCanonical": [systems.canonical(ACTIVITY_DEFINITION, item.exercise.slug)],
        "code": exercise_code(item.exercise.category),
        "status": activity_status(prescription, item),
        "description": description,
    }
    if item.stopped_for_pain_at is not None:
        detail["statusReason"] = stop_reason(item)
    if repeat:
        detail["scheduledTiming"] = {"repeat": repeat}
    return {"detail": detail}


def _common(prescription: Prescription) -> Resource:
    found: Resource = {"id": str(prescription.pk)}
    if prescription.template is not None:
        found["instantiatesCanonical"] = [
            systems.canonical(PLAN_DEFINITION, prescription.template.slug)
        ]
    return found


def pa_category() -> Resource:
    return concept(codes.PA_TEMPORARY_CODES, *codes.PA_CATEGORY)


def render_care_plan(prescription: Prescription) -> Resource:
    with translation.override("en"):
        phase = f"phase {prescription.current_phase}: {prescription.current_phase_name}"
    resource: Resource = {
        "resourceType": CARE_PLAN,
        **_common(prescription),
        "status": request_status(prescription),
        "intent": "plan",
        "category": [pa_category()],
        "title": prescription.name,
        "description": f"Exercise program, now in {phase}.",
        "subject": reference("Patient", prescription.patient_id),
        "period": {"start": prescription.start_date.isoformat()},
        "created": prescription.created_at.isoformat(),
        "author": codes.clinician(prescription.prescribed_by),
        "addresses": [reference("Condition", prescription.diagnosis_id)],
        # The order this plan is carried out by, then each exercise of every phase.
        "activity": [
            {"reference": reference(SERVICE_REQUEST, prescription.pk)},
            *(_activity(prescription, item) for item in prescription.exercises.all()),
        ],
    }
    notes = [{"text": prescription.notes}] if prescription.notes else []
    hold = hold_note(prescription)
    if hold is not None:
        notes.insert(0, hold)
    if notes:
        resource["note"] = notes
    return resource


# Why a plan is on hold (R4's CarePlan has no statusReason): a reader seeing a paused
# plan learns that a red flag or a pending physician's assessment stopped it.
_HOLD_TEXT = {
    HoldKind.MEDICAL: "On hold: a red-flag screening was positive (an emergency); "
    "no exercise until a clinician clears it.",
    HoldKind.REFERRAL: "On hold: waiting for a physician's assessment before treatment goes on.",
}


def hold_note(prescription: Prescription) -> Resource | None:
    if prescription.status != Prescription.Status.ACTIVE:
        return None
    patient = prescription.patient
    kind = current_hold(patient)
    if kind is None:
        return None
    since = patient.medical_hold_since if kind == HoldKind.MEDICAL else patient.referral_hold_since
    note: Resource = {"text": _HOLD_TEXT[kind]}
    if since is not None:
        note["time"] = since.isoformat()
    return note


def _instruction(prescription: Prescription) -> str:
    """The current phase's exercises with their dosage, as the patient does them."""
    items = [e for e in prescription.exercises.all() if e.phase == prescription.current_phase]
    done = []
    for item in items:
        line = f"{item.exercise.name}: {dosage_text(item)}"
        if item.stopped_for_pain_at is not None:
            line += " (stopped: contact your therapist before doing it again)"
        done.append(line)
    number = prescription.current_phase
    with translation.override("en"):
        name = prescription.current_phase_name
    # A custom program's phases are only numbered: "Phase 1", not "Phase 1 (Phase 1)".
    phase = f"Phase {number}" if name == generic_phase_name(number) else f"Phase {number} ({name})"
    return f"{phase}: " + "; ".join(done or ["none"])


def render_service_request(prescription: Prescription) -> Resource:
    timing: Resource = {"boundsPeriod": {"start": prescription.start_date.isoformat()}}
    timing.update(schedule_repeat(prescription))
    resource: Resource = {
        "resourceType": SERVICE_REQUEST,
        **_common(prescription),
        "basedOn": [reference(CARE_PLAN, prescription.pk)],
        "status": request_status(prescription),
        "intent": "order",
        "category": [
            pa_category(),
            {"coding": [coding(systems.SNOMED, *codes.SNOMED_PHYSICAL_THERAPY)]},
        ],
        "priority": "routine",
        "code": concept(systems.SNOMED, *codes.SNOMED_EXERCISE_THERAPY, text=prescription.name),
        "subject": reference("Patient", prescription.patient_id),
        "occurrenceTiming": {"repeat": timing},
        "authoredOn": prescription.created_at.isoformat(),
        "requester": codes.clinician(prescription.prescribed_by),
        # An exercise prescription is carried out by the patient (the IG's example).
        "performer": [reference("Patient", prescription.patient_id)],
        "reasonReference": [reference("Condition", prescription.diagnosis_id)],
        "patientInstruction": _instruction(prescription),
    }
    if prescription.notes:
        resource["note"] = [{"text": prescription.notes}]
    return resource


# `updated_at` changes with the program (status, phase, schedule); a change to one of
# its exercises alone (a dosage, a stop or a resumption) leaves it as it was.
TYPES: tuple[FhirType, ...] = (
    FhirType(
        name=CARE_PLAN,
        sources=(
            Source(
                rows=rows,
                render=render_care_plan,
                patient="patient_id",
                date="start_date",
                last_updated="updated_at",
                names=named,
            ),
        ),
        documentation="Each prescribed exercise program: status (a patient's hold puts "
        "it on hold), period, the template it instantiates, and every exercise of every "
        "phase with its dosage and schedule.",
    ),
    FhirType(
        name=SERVICE_REQUEST,
        sources=(
            Source(
                rows=rows,
                render=render_service_request,
                patient="patient_id",
                date="start_date",
                last_updated="updated_at",
                names=named,
            ),
        ),
        documentation="The order for exercise therapy behind each program, as the HL7 "
        "Physical Activity IG models an exercise prescription.",
    ),
)
