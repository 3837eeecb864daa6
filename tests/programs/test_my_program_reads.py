"""GET /me/program/ reads today's count of sessions, the latest diagnosis and the topics
to link in the program's own query; what it reads is what the separate reads give."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from education.models import Topic
from patients.models import Cause, Diagnosis, Patient
from programs.selectors import open_prescription, open_program_for_today
from programs.today import program_today
from tests.factories import make_diagnosis, make_prescription, make_session

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
START = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
# 23:30 on Monday 9 March in New York (EDT), 03:30 on Tuesday in UTC.
LATE_EVENING = datetime.datetime(2026, 3, 10, 3, 30, tzinfo=UTC)


def _plans(patient: Patient):
    patient = Patient.objects.get(pk=patient.pk)
    program, reads = open_program_for_today(patient)
    assert program is not None
    assert reads is not None
    plain = open_prescription(patient, with_exercises=True)
    assert plain is not None
    return reads, program_today(patient, program, reads=reads), program_today(patient, plain)


def test_todays_count_and_latest_diagnosis_read_with_the_program_match_the_plain_reads(
    patient, therapist
):
    with time_machine.travel(START, tick=False):
        first = make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=200)
        make_prescription(diagnosis=first, prescribed_by=therapist)
        make_diagnosis(
            patient=patient,
            diagnosed_by=therapist,
            cause=Cause.PIRIFORMIS_SYNDROME,
            icd10_code="G57.02",
            onset_days_ago=3,
        )
    with time_machine.travel(LATE_EVENING + datetime.timedelta(hours=3), tick=False):
        # Logged at 01:00 on Tuesday in New York, read below at 23:30 on Monday.
        make_session(patient=patient, performed_at=LATE_EVENING + datetime.timedelta(hours=2))
    with time_machine.travel(LATE_EVENING, tick=False):
        # Today in New York (summer time since Sunday): 23:00 and 21:00; yesterday: 23:59.
        for at in ("2026-03-10T03:00Z", "2026-03-10T01:00Z", "2026-03-09T03:59Z"):
            make_session(patient=patient, performed_at=datetime.datetime.fromisoformat(at))

        reads, folded, plain = _plans(patient)

    assert reads.topics is not None  # PostgreSQL: read with the program too
    assert reads.date == datetime.date(2026, 3, 9)
    assert reads.sessions_logged == 2
    assert reads.diagnosis is not None
    assert reads.diagnosis.cause == Cause.PIRIFORMIS_SYNDROME
    assert folded == plain
    assert [t.matches for t in folded.education] == [t.matches for t in plain.education]
    assert [(t.slug, t.title) for t in folded.education] == [
        (t.slug, t.title) for t in plain.education
    ]
    assert folded.education


def test_the_topics_read_with_the_program_carry_their_titles_in_the_active_language(
    patient, therapist
):
    make_prescription(diagnosis=make_diagnosis(patient=patient, diagnosed_by=therapist))
    with translation.override("es"):
        _, folded, plain = _plans(patient)
        titles = [t.title for t in folded.education]
        assert titles == [t.title for t in plain.education]
    spanish = dict(Topic.objects.values_list("slug", "title_es"))
    assert titles == [spanish[t.slug] for t in folded.education]
    english = dict(Topic.objects.values_list("slug", "title_en"))
    assert titles != [english[t.slug] for t in folded.education]


def test_a_patient_without_a_diagnosis_reads_only_the_general_topics(
    patient, other_patient, therapist
):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    # A diagnosis is never deleted through the services; a program read without one is
    # what a custom program of a patient never diagnosed here would show.
    Diagnosis.objects.filter(pk=diagnosis.pk).update(patient=other_patient)
    reads, folded, plain = _plans(patient)

    assert reads.sessions_logged == 0
    assert reads.diagnosis is None
    assert folded == plain
    assert [t.matches for t in folded.education] == [t.matches for t in plain.education]


def test_the_program_page_reads_diagnosis_sessions_and_topics_inside_the_program_query(
    patient_api, patient, therapist
):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    make_session(patient=patient)

    with CaptureQueriesContext(connection) as captured:
        response = patient_api.get("/api/v1/me/program/")

    assert response.status_code == 200
    assert response.json()["today"]["sessions_logged"] == 1
    reads = [q["sql"] for q in captured if '"patients_diagnosis"' in q["sql"]]
    assert len(reads) == 1
    assert '"programs_exercisesession"' in reads[0]
    assert '"programs_prescribedexercise"' in reads[0]
    assert [q["sql"] for q in captured if '"education_topic"' in q["sql"]] == reads
    assert response.json()["today"]["education"]
    statements = [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]  # the test's
    assert len(statements) == 5  # the user, the patient, this one, the media, the access log
