"""The clinic bench.api_load drives: N patients with logins, diagnoses, open programs and
some sessions, bulk-created (not through the services, for speed), and their tokens.

Django must be set up (bench.configure) before these functions run.
"""

from __future__ import annotations

import datetime
import time
import uuid

from . import ensure_clinic

CLINIC = "bench-api"
TEMPLATE = "mckenzie-extension"
BATCH = 2000
# Every bench login shares it; the database is the benchmark's own.
PASSWORD = "bench-password"  # noqa: S105  a throwaway login of a throwaway database


def session_body(prescribed_exercise_id: int) -> dict[str, object]:
    """A patient's session report, as POST /api/v1/me/sessions/ takes it."""
    return {
        "client_id": str(uuid.uuid4()),
        "performed_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "leg_pain_before": 5,
        "leg_pain_after": 4,
        "pain_extent": "thigh",
        "exercises": [{"prescribed_exercise": prescribed_exercise_id, "sets": 2, "reps": 10}],
    }


def seed(patients: int, sessions: int) -> tuple[int, float]:
    """Create the clinic once (or reuse it when it already has enough patients)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from patients.models import Cause, Diagnosis, Patient, Side
    from practice.models import User
    from programs.models import (
        ExerciseSession,
        ExtentChange,
        PainExtent,
        PrescribedExercise,
        Prescription,
        ProgramTemplate,
        SessionExercise,
    )
    from programs.services import template_doses

    started = time.monotonic()
    clinic, therapist = ensure_clinic(
        slug=CLINIC, name="Bench API Clinic", therapist="bench.therapist", password=PASSWORD
    )
    have = Patient.objects.filter(clinic=clinic).count()
    if have >= patients:
        return therapist.pk, time.monotonic() - started

    template = ProgramTemplate.objects.get(slug=TEMPLATE)
    doses = template_doses(template)
    phase_names = list(template.phases.order_by("number").values_list("name", flat=True))
    password = make_password(PASSWORD)  # once; every patient shares the hash
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        for start in range(have, patients, BATCH):
            numbers = range(start, min(start + BATCH, patients))
            # Users left behind when another bench emptied the patients table are reused.
            names = [f"bench.patient.{i}" for i in numbers]
            User.objects.bulk_create(
                [User(username=name, password=password, email="p@example.com") for name in names],
                ignore_conflicts=True,
            )
            by_name = User.objects.filter(username__in=names).in_bulk(field_name="username")
            users = [by_name[name] for name in names]
            rows = Patient.objects.bulk_create(
                [
                    Patient(
                        clinic=clinic,
                        user=user,
                        mrn=f"BENCH-{i:07d}",
                        first_name=f"Pat{i % 97}",
                        last_name=f"Bench{i:07d}",
                        date_of_birth=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                        email="p@example.com",
                        time_zone="America/New_York",
                        primary_therapist=therapist,
                    )
                    for i, user in zip(numbers, users, strict=True)
                ]
            )
            diagnoses = Diagnosis.objects.bulk_create(
                [
                    Diagnosis(
                        patient=p,
                        cause=Cause.HERNIATED_DISC,
                        side=Side.LEFT,
                        icd10_code="M51.16",
                        onset_date=today - datetime.timedelta(days=20),
                        diagnosed_by=therapist,
                    )
                    for p in rows
                ]
            )
            programs = Prescription.objects.bulk_create(
                [
                    Prescription(
                        patient=p,
                        diagnosis=d,
                        template=template,
                        name=template.name,
                        prescribed_by=therapist,
                        start_date=today,
                        phase_names=phase_names,
                        weekdays=list(range(7)),
                        reminder_times=["08:00", "18:00"],
                    )
                    for p, d in zip(rows, diagnoses, strict=True)
                ]
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
        # Some history: one session each for the first `sessions` patients.
        programs = list(
            Prescription.objects.filter(patient__clinic=clinic)
            .select_related("patient")
            .order_by("patient_id")[: min(sessions, patients)]
        )
        first_item = dict(
            PrescribedExercise.objects.filter(prescription__in=programs, phase=1, order=0)
            .order_by("prescription_id")
            .values_list("prescription_id", "pk")
        )
        stored = ExerciseSession.objects.bulk_create(
            [
                ExerciseSession(
                    patient=program.patient,
                    prescription=program,
                    client_id=uuid.uuid4(),
                    performed_at=now - datetime.timedelta(days=1),
                    leg_pain_before=5,
                    leg_pain_after=4,
                    pain_extent=PainExtent.THIGH,
                    extent_change=ExtentChange.FIRST,
                )
                for program in programs
            ]
        )
        SessionExercise.objects.bulk_create(
            [
                SessionExercise(
                    session=session,
                    prescribed_exercise_id=first_item[session.prescription_id],
                    sets=1,
                    reps=10,
                )
                for session in stored
                if session.prescription_id in first_item
            ]
        )
    return therapist.pk, time.monotonic() - started


def settle() -> None:
    """VACUUM ANALYZE the database, on every run: planner statistics for the rows just
    bulk-loaded, and the visibility map that lets the patient list's COUNT(*) read the
    clinic index alone, as autovacuum would have made them on a server that has run a
    while. A rerun also starts from the same state after the rows earlier runs wrote."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def tokens(therapist_id: int, count: int) -> tuple[str, list[tuple[str, int]]]:
    """The therapist's access token, and (token, a prescribed exercise id) per patient."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from practice.models import StaffMember
    from programs.models import PrescribedExercise

    staff = StaffMember.objects.select_related("user").get(pk=therapist_id)
    items = (
        PrescribedExercise.objects.filter(
            prescription__patient__clinic=staff.clinic, prescription__status="active", phase=1
        )
        .order_by("prescription__patient_id", "order")
        .distinct("prescription__patient_id")
        .select_related("prescription__patient__user")[:count]
    )
    patients = [
        (str(RefreshToken.for_user(item.prescription.patient.user).access_token), item.pk)
        for item in items
        if item.prescription.patient.user is not None  # every bench patient has a login
    ]
    return str(RefreshToken.for_user(staff.user).access_token), patients
