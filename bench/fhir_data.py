"""The clinics bench.fhir_read reads through the FHIR API: N patients, each with a
diagnosis, a program from a seeded template with its prescribed exercises, exercise
sessions with pain readings (many for the first, "heavy", patient), questionnaire
answers of the four instruments, and 50 appointments, attended ones with a signed visit
note. Rows are bulk-created, not through the services, for speed, but as the services
would leave them: answers are checked and scored by their instrument
(`Instrument.clean`, `Instrument.score`), sessions have complete pain pairs, a cancelled
appointment its time, side and reason, a signed note its signer.

Django must be set up (bench.configure) before these functions run.
"""

from __future__ import annotations

import datetime
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ensure_clinic

if TYPE_CHECKING:
    from patients.models import Patient
    from practice.models import Clinic, StaffMember
    from programs.models import Prescription

TEMPLATE = "mckenzie-extension"
BATCH = 2000
APPOINTMENTS = 50
# Every fifth appointment cancelled (by the patient on odd ones), every tenth from the
# fourth a no-show; the rest attended, but the last few, which are still to come.
CANCEL_EVERY = 5
NO_SHOW_EVERY = 10
NO_SHOW_AT = 3
UPCOMING = 3
APPOINTMENT_EVERY_DAYS = 6
# Of each instrument, the heavy patient answers this many, the others one (a baseline).
HEAVY_ANSWERS_EACH = 5
HISTORY_DAYS = 310  # the program began this long ago; sessions are daily from then


@dataclass(frozen=True)
class Shape:
    patients: int
    heavy_sessions: int
    sessions: int

    @property
    def slug(self) -> str:
        return f"bench-fhir-{self.patients}-{self.heavy_sessions}-{self.sessions}"


def seed(shape: Shape) -> tuple[int, int, float]:
    """The clinic of `shape`, made once and then reused: its id, its heavy patient's id
    and the seconds spent."""
    from django.db import transaction

    from patients.models import Patient

    started = time.monotonic()
    clinic, therapist = ensure_clinic(
        slug=shape.slug, name=f"Bench FHIR {shape.patients}", therapist=f"{shape.slug}.therapist"
    )
    if Patient.objects.filter(clinic=clinic).count() < shape.patients:
        with transaction.atomic():
            _seed(clinic, therapist, shape)
    heavy = Patient.objects.filter(clinic=clinic).order_by("pk").values_list("pk", flat=True)[0]
    return clinic.pk, heavy, time.monotonic() - started


def _seed(clinic: Clinic, therapist: StaffMember, shape: Shape) -> None:
    from django.utils import timezone

    from patients.models import Cause, Diagnosis, Patient, Side
    from programs.models import PrescribedExercise, Prescription, ProgramTemplate
    from programs.services import template_doses

    now = timezone.now()
    start = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS)
    patients = Patient.objects.bulk_create(
        [
            Patient(
                clinic=clinic,
                mrn=f"FHIR-{i:06d}",
                first_name=f"Pat{i % 97}",
                last_name=f"Fhir{i:06d}",
                date_of_birth=datetime.date(1950 + i % 45, 1 + i % 12, 1 + i % 28),
                email=f"fhir{i}@example.com",
                phone="+16175550100",
                time_zone="America/New_York",
                primary_therapist=therapist,
            )
            for i in range(shape.patients)
        ],
        batch_size=BATCH,
    )
    diagnoses = Diagnosis.objects.bulk_create(
        [
            Diagnosis(
                patient=p,
                cause=Cause.HERNIATED_DISC,
                side=Side.LEFT,
                icd10_code="M51.16",
                secondary_icd10_codes=["M54.17"],
                onset_date=start - datetime.timedelta(days=30),
                diagnosed_on=start - datetime.timedelta(days=2),
                diagnosed_by=therapist,
            )
            for p in patients
        ],
        batch_size=BATCH,
    )
    template = ProgramTemplate.objects.get(slug=TEMPLATE)
    doses = template_doses(template)
    programs = Prescription.objects.bulk_create(
        [
            Prescription(
                patient=p,
                diagnosis=d,
                template=template,
                name=template.name,
                prescribed_by=therapist,
                start_date=start,
                phase_names=list(template.phases.order_by("number").values_list("name", flat=True)),
                weekdays=list(range(7)),
                reminder_times=["08:00", "18:00"],
            )
            for p, d in zip(patients, diagnoses, strict=True)
        ],
        batch_size=BATCH,
    )
    PrescribedExercise.objects.bulk_create(
        [
            PrescribedExercise(
                prescription=program,
                exercise=dose.exercise,
                phase=dose.phase,
                order=dose.order,
                **{**dose.exercise.dosage, **dose.dosage},
            )
            for program in programs
            for dose in doses
        ],
        batch_size=BATCH,
    )
    _sessions(programs, shape, start)
    _answers(patients, start)
    _appointments(patients, therapist, start, now)


def _sessions(programs: list[Prescription], shape: Shape, start: datetime.date) -> None:
    from programs.models import ExerciseSession, ExtentChange, PainExtent

    extents = (PainExtent.FOOT, PainExtent.CALF, PainExtent.THIGH, PainExtent.BUTTOCK)
    rows = []
    for index, program in enumerate(programs):
        count = shape.heavy_sessions if index == 0 else shape.sessions
        for n in range(count):
            leg = max(0, 7 - n // 40)
            rows.append(
                ExerciseSession(
                    patient_id=program.patient_id,
                    prescription=program,
                    client_id=uuid.uuid4(),
                    # 18:00 in New York, on the patient's own day.
                    performed_at=datetime.datetime.combine(
                        start + datetime.timedelta(days=n), datetime.time(23), datetime.UTC
                    ),
                    back_pain_before=3 + n % 3,
                    back_pain_after=3 + (n + 1) % 3,
                    leg_pain_before=leg,
                    leg_pain_after=max(0, leg - 1),
                    pain_extent_before=extents[min(n // 80, 3)],
                    pain_extent=extents[min(n // 80 + 1, 3)],
                    extent_change=ExtentChange.SAME if n else ExtentChange.FIRST,
                )
            )
    ExerciseSession.objects.bulk_create(rows, batch_size=BATCH)


def _answers(patients: list[Patient], start: datetime.date) -> None:
    from outcomes import instruments
    from outcomes.models import Code, Occasion, QuestionnaireResponse

    rows = []
    for index, patient in enumerate(patients):
        for code in Code.values:
            instrument = instruments.get(code)
            assert instrument is not None
            for k in range(HEAVY_ANSWERS_EACH if index == 0 else 1):
                raw = {
                    item.key: item.values[(i + k) % len(item.values)]
                    for i, item in enumerate(instrument.items)
                }
                cleaned = instrument.clean(raw)
                result = instrument.score(cleaned)
                due_on = start + datetime.timedelta(days=28 * k)
                rows.append(
                    QuestionnaireResponse(
                        patient=patient,
                        code=code,
                        answers=cleaned,
                        score=result.score,
                        band=result.band,
                        subscale=result.subscale,
                        occasion=Occasion.BASELINE if k == 0 else Occasion.FOLLOW_UP,
                        instrument_version=instrument.version,
                        language=instrument.language,
                        due_on=due_on,
                        answered_at=datetime.datetime.combine(
                            due_on, datetime.time(15), datetime.UTC
                        ),
                    )
                )
    QuestionnaireResponse.objects.bulk_create(rows, batch_size=BATCH)


def _appointments(
    patients: list[Patient],
    therapist: StaffMember,
    start: datetime.date,
    now: datetime.datetime,
) -> None:
    from appointments.models import Appointment
    from visits.note_models import NoteKind, VisitNote

    status = Appointment.Status
    rows = []
    first_day = start + datetime.timedelta(days=1)
    for patient in patients:
        for k in range(APPOINTMENTS):
            day = first_day + datetime.timedelta(days=APPOINTMENT_EVERY_DAYS * k)
            if k >= APPOINTMENTS - UPCOMING:
                day = now.date() + datetime.timedelta(days=7 * (k - APPOINTMENTS + UPCOMING + 1))
            starts_at = datetime.datetime.combine(day, datetime.time(14), datetime.UTC)
            row = Appointment(
                patient=patient,
                therapist=therapist,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=45),
                kind=Appointment.Kind.EVALUATION if k == 0 else Appointment.Kind.FOLLOW_UP,
                status=status.ATTENDED,
            )
            if starts_at > now:
                row.status = status.CONFIRMED if k % 2 else status.SCHEDULED
                row.confirmed_at = now if k % 2 else None
            elif k % CANCEL_EVERY == CANCEL_EVERY - 1:
                row.status = status.CANCELLED
                row.cancelled_at = starts_at - datetime.timedelta(days=1)
                row.cancelled_by_patient = k % 2 == 1
                row.cancellation_reason = "Could not get a ride." if k % 2 else "Therapist ill."
            elif k % NO_SHOW_EVERY == NO_SHOW_AT:
                row.status = status.NO_SHOW
            rows.append(row)
    stored = Appointment.objects.bulk_create(rows, batch_size=BATCH)
    VisitNote.objects.bulk_create(
        [
            VisitNote(
                appointment=a,
                patient=a.patient,
                therapist=therapist,
                kind=NoteKind.EVALUATION
                if a.kind == Appointment.Kind.EVALUATION
                else NoteKind.DAILY,
                visit_on=a.starts_at.date(),
                back_pain=4,
                leg_pain=5,
                assessment="Improving.",
                plan="Continue the program.",
                signed_at=a.starts_at + datetime.timedelta(hours=2),
                signed_by=therapist,
            )
            for a in stored
            if a.status == status.ATTENDED
        ],
        batch_size=BATCH,
    )


def settle() -> None:
    """VACUUM ANALYZE: planner statistics for the rows just bulk-loaded."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
