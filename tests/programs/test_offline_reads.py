"""Offline-friendly reads: an ETag on the patient's reads with a 304 for a matching
If-None-Match, answers marked per caller and language, and ?since= on /me/sessions/."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
import time_machine
from django.utils import timezone

from audit.models import RecordAccess
from core.api.filters import SINCE_OVERLAP
from tests.clients import error_of
from tests.factories import make_prescription, make_session

pytestmark = pytest.mark.django_db

PROGRAM = "/api/v1/me/program/"
SESSIONS = "/api/v1/me/sessions/"


@pytest.fixture
def prescription(diagnosis, therapist):
    # Started a week ago, so sessions of earlier days are plausible.
    start = timezone.localdate() - datetime.timedelta(days=7)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)


def test_the_program_carries_an_etag_and_a_matching_one_is_a_304_with_no_body(
    patient_api, prescription
):
    first = patient_api.get(PROGRAM)
    etag = first["ETag"]

    again = patient_api.get(PROGRAM, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert etag.startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_a_logged_session_changes_the_etag(patient_api, patient, prescription):
    etag = patient_api.get(PROGRAM)["ETag"]
    make_session(patient=patient)

    after = patient_api.get(PROGRAM, HTTP_IF_NONE_MATCH=etag)

    assert after.status_code == 200
    assert after["ETag"] != etag
    assert after.json()["today"]["sessions_logged"] == 1


def test_a_stopped_exercise_changes_the_etag(patient_api, patient, prescription):
    etag = patient_api.get(PROGRAM)["ETag"]
    make_session(
        patient=patient,
        performed_at=timezone.now() - datetime.timedelta(days=2),  # not today's count
        leg_pain_before=2,
        leg_pain_after=5,
    )

    after = patient_api.get(PROGRAM, HTTP_IF_NONE_MATCH=etag)

    assert after.status_code == 200
    assert after.json()["today"]["sessions_logged"] == 0
    assert after.json()["stopped_exercises"]


def test_another_patients_etag_never_matches(patient_api, same_clinic_patient_api):
    # Neither has a diagnosis or a program: the two answers are the same bytes.
    mine = patient_api.get(PROGRAM)
    theirs = same_clinic_patient_api.get(PROGRAM, HTTP_IF_NONE_MATCH=mine["ETag"])

    assert theirs.content == mine.content
    assert theirs.status_code == 200
    assert theirs["ETag"] != mine["ETag"]


def test_answers_vary_by_caller_and_language_and_stay_private(patient_api, prescription):
    response = patient_api.get(PROGRAM)
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    cache_control = {v.strip() for v in response["Cache-Control"].split(",")}

    not_modified = patient_api.get(PROGRAM, HTTP_IF_NONE_MATCH=response["ETag"])

    assert {"authorization", "accept-language"} <= vary
    assert {"private", "no-cache"} <= cache_control
    assert not_modified["Vary"] == response["Vary"]
    assert not_modified["Cache-Control"] == response["Cache-Control"]


def test_a_304_is_still_a_read_in_the_access_log(patient_api, patient, prescription):
    etag = patient_api.get(PROGRAM)["ETag"]
    RecordAccess.objects.all()._raw_delete(RecordAccess.objects.db)  # the log of the first read

    assert patient_api.get(PROGRAM, HTTP_IF_NONE_MATCH=etag).status_code == 304

    row = RecordAccess.objects.get()
    assert row.patient_id == patient.pk
    assert row.action == RecordAccess.Action.VIEW


def test_my_sessions_answer_304_until_a_session_is_logged(patient_api, patient, prescription):
    make_session(patient=patient)
    etag = patient_api.get(SESSIONS)["ETag"]

    assert patient_api.get(SESSIONS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_session(patient=patient)
    after = patient_api.get(SESSIONS, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after.json()["count"] == 2


def test_since_gives_only_the_sessions_logged_after_it(patient_api, patient, prescription):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(hours=2), tick=False):
        make_session(patient=patient)
    with time_machine.travel(start, tick=False):
        later = make_session(patient=patient, performed_at=start - datetime.timedelta(hours=5))
    # In another offset, as a phone in Madrid would write it.
    cursor = (start - datetime.timedelta(hours=1)).astimezone(
        datetime.timezone(datetime.timedelta(hours=1))
    )

    response = patient_api.get(SESSIONS, {"since": cursor.isoformat()})

    assert response.status_code == 200, response.json()
    assert [row["id"] for row in response.json()["results"]] == [later.pk]
    # The minute before `since` comes again, for a session committed late; then nothing.
    held = datetime.datetime.fromisoformat(response.json()["results"][0]["created_at"])
    again = patient_api.get(SESSIONS, {"since": held.isoformat()}).json()["results"]
    assert [row["id"] for row in again] == [later.pk]
    past = (held + SINCE_OVERLAP).isoformat()
    assert patient_api.get(SESSIONS, {"since": past}).json()["results"] == []


def test_since_with_an_unencoded_plus_is_read_as_the_plus_it_was(
    patient_api, patient, prescription
):
    make_session(patient=patient)
    before = (timezone.now() - datetime.timedelta(days=1)).astimezone(
        datetime.timezone(datetime.timedelta(hours=2))
    )
    raw = before.isoformat(timespec="seconds")  # ...+02:00, sent with the + as is

    response = patient_api.get(f"{SESSIONS}?since={raw}")

    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 1
    encoded = patient_api.get(f"{SESSIONS}?since={quote(raw)}")
    assert encoded.json()["count"] == 1


@pytest.mark.parametrize("value", ["2026-03-01T09:30:00", "yesterday", "2026-13-01T00:00Z"])
def test_a_since_without_an_offset_or_not_a_moment_is_a_400_naming_it(
    patient_api, prescription, value
):
    response = patient_api.get(SESSIONS, {"since": value})

    assert response.status_code == 400
    body = error_of(response)
    assert list(body["errors"]) == ["since"]
    assert body["detail"].startswith("since: Give an ISO 8601 date and time with its UTC offset")


def test_a_since_past_year_9999_once_its_offset_is_applied_is_a_400_not_a_500(
    patient_api, prescription
):
    # -23:00 is a valid ISO offset that PostgreSQL refuses, and in UTC this is year 10000.
    response = patient_api.get(SESSIONS, {"since": "9999-12-31T23:59-23:00"})

    assert response.status_code == 400
    assert list(error_of(response)["errors"]) == ["since"]


def test_a_since_in_the_first_minute_of_year_1_answers_everything(patient_api, prescription):
    make_session(patient=prescription.patient)
    response = patient_api.get(SESSIONS, {"since": "0001-01-01T00:00:30Z"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
