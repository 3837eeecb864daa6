"""Every service that locks a patient's row together with rows of their record takes the
patient's first, so two of them (a discharge and a booking, a phase change, an added
exercise) queue behind each other and never wait for each other in a cycle."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import services as appointment_services
from episodes import services
from practice.models import Role
from programs.models import Exercise
from programs.services import prescription_add_exercise
from tests.factories import make_prescription, make_staff

from .conftest import NOW

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PATIENT = "patients_patient"
THERAPIST = "practice_staffmember"
APPOINTMENT = "practice_appointment"
PROGRAM = "programs_prescription"
_FROM = re.compile(r'\bFROM "(\w+)"')


def _row_locks(call: Callable[[], object]) -> list[str]:
    """The tables whose rows `call` locks, in the order it locks them."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return [
        _table(query["sql"])
        for query in captured.captured_queries
        if re.search(r"\bFOR (NO KEY )?UPDATE\b", query["sql"])
    ]


def _table(sql: str) -> str:
    found = _FROM.search(sql)
    assert found is not None, sql
    return found.group(1)


def test_a_booking_locks_the_patient_then_the_therapist(patient, therapist):
    locks = _row_locks(
        lambda: appointment_services.appointment_book(
            patient=patient, therapist=therapist, starts_at=NOW + DAY
        )
    )
    assert locks == [PATIENT, THERAPIST]


def test_a_past_visit_locks_the_patient_then_the_therapist(patient, therapist):
    locks = _row_locks(
        lambda: appointment_services.appointment_record_past(
            patient=patient, therapist=therapist, starts_at=NOW - DAY, reason="Walk-in."
        )
    )
    assert locks == [PATIENT, THERAPIST]


def test_a_reschedule_locks_the_patient_then_the_appointment_then_the_therapist(
    clinic, patient, therapist
):
    appointment = appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + DAY
    )
    colleague = make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.lock")
    locks = _row_locks(
        lambda: appointment_services.appointment_reschedule(
            appointment=appointment, starts_at=NOW + 2 * DAY, therapist=colleague
        )
    )
    assert locks == [PATIENT, APPOINTMENT, THERAPIST]


def test_a_discharge_locks_the_patient_before_the_programs_and_appointments(
    patient, therapist, episode
):
    locks = _row_locks(lambda: services.patient_discharge(patient=patient, actor=therapist.user))
    assert locks[0] == PATIENT
    assert {PROGRAM, APPOINTMENT} <= set(locks)


def test_adding_an_exercise_locks_the_patient_before_the_program(diagnosis, therapist):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    exercise = (
        Exercise.objects.exclude(pk__in=program.exercises.values("exercise"))
        .exclude(contraindications__cause=diagnosis.cause)
        .first()
    )
    locks = _row_locks(
        lambda: prescription_add_exercise(prescription=program, exercise=exercise, actor=therapist)
    )
    assert locks[:2] == [PATIENT, PROGRAM]
