"""The patient's notifications inbox: what was sent to them, read marks, nobody else's."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import RecordAccess
from reminders.models import ArchivedNotification, Channel, Kind, Notification
from tests.clients import bearer, error_of
from tests.factories import make_notification, make_patient, make_patient_user

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/me/notifications/"
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def read_url(pk: object) -> str:
    return f"{INBOX}{pk}/read/"


def sent(patient, *, hours_ago: int = 1, **fields) -> Notification:
    at = NOW - datetime.timedelta(hours=hours_ago)
    return make_notification(
        patient, at=at, status=Notification.Status.SENT, sent_at=at, attempts=1, **fields
    )


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def patient_api(patient):
    return bearer(make_patient_user(patient, username="patient.one").user)


@pytest.fixture
def neighbour(clinic, therapist):
    return make_patient_user(
        make_patient(clinic=clinic, first_name="Next", primary_therapist=therapist),
        username="patient.two",
    )


def test_the_inbox_lists_only_the_callers_sent_notifications_newest_first(
    patient_api, patient, neighbour, therapist
):
    older = sent(patient, hours_ago=5, kind=Kind.APPOINTMENT, channel=Channel.SMS)
    newer = sent(patient, hours_ago=1, kind=Kind.EXERCISE, channel=Channel.PUSH)
    make_notification(patient, at=NOW + datetime.timedelta(hours=1))  # still pending
    make_notification(patient, status=Notification.Status.CANCELLED)
    make_notification(
        patient,
        staff=therapist,
        kind=Kind.ROUTINE_ALERT,
        status=Notification.Status.SENT,
        sent_at=NOW,
    )  # to staff about them
    sent(neighbour)

    response = patient_api.get(INBOX)

    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert rows[0] == {
        "id": newer.pk,
        "kind": "exercise",
        "channel": "push",
        "sent_at": "2026-03-10T11:00:00Z",
        "title": "Time for your exercises",
        "body": "It's time for today's exercises.",
        "read_at": None,
    }
    assert rows[1]["title"] == "Appointment reminder"
    assert RecordAccess.objects.filter(patient_id=patient.pk).exists()


def test_the_inbox_is_in_the_patients_language(patient_api, patient):
    patient.language = "es"
    patient.save(update_fields=["language"])
    sent(patient)

    response = patient_api.get(INBOX)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"
    assert response.json()["results"][0]["title"] == "Es hora de sus ejercicios"


def test_the_inbox_shows_a_message_in_the_language_it_was_sent_in(patient_api, patient):
    # No language of their own: the reminder went out in English, whatever the phone says.
    sent(patient)

    response = patient_api.get(INBOX, HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["results"][0]["title"] == "Time for your exercises"


def test_archived_notifications_are_left_out(patient_api, patient):
    row = sent(patient)
    values = {f.attname: getattr(row, f.attname) for f in Notification._meta.concrete_fields}
    ArchivedNotification.objects.create(**values, archived_at=NOW)
    row.delete()

    assert patient_api.get(INBOX).json()["results"] == []


def test_marking_read_is_idempotent_and_keeps_the_first_time(patient_api, patient):
    row = sent(patient)

    first = patient_api.post(read_url(row.pk))
    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        again = patient_api.post(read_url(row.pk))

    assert first.status_code == again.status_code == 200
    assert first.json()["read_at"] == again.json()["read_at"] == "2026-03-10T12:00:00Z"
    row.refresh_from_db()
    assert row.read_at == NOW
    assert patient_api.get(INBOX).json()["results"][0]["read_at"] == "2026-03-10T12:00:00Z"


def test_another_patients_or_an_unsent_notification_is_a_404(patient_api, patient, neighbour):
    theirs = sent(neighbour)
    pending = make_notification(patient)

    for pk in (theirs.pk, pending.pk, "junk", 0):
        response = patient_api.post(read_url(pk))
        assert response.status_code == 404, pk
        assert error_of(response)["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_the_callers_unread(patient_api, patient, neighbour):
    already = sent(patient, hours_ago=3, read_at=NOW - datetime.timedelta(hours=2))
    unread = [sent(patient, hours_ago=2), sent(patient, hours_ago=1)]
    theirs = sent(neighbour)

    response = patient_api.post(f"{INBOX}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    for row in unread:
        row.refresh_from_db()
        assert row.read_at == NOW
    already.refresh_from_db()
    assert already.read_at == NOW - datetime.timedelta(hours=2)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert patient_api.post(f"{INBOX}read-all/").json() == {"marked": 0}


def test_staff_cannot_use_the_inbox(therapist):
    api = bearer(therapist.user)

    assert api.get(INBOX).status_code == 403
    assert api.post(f"{INBOX}read-all/").status_code == 403


def test_the_inbox_makes_the_same_queries_for_one_row_as_for_many(patient_api, patient):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = patient_api.get(INBOX, {"page_size": 50})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    sent(patient)
    one = count()
    for hours in range(2, 12):
        sent(patient, hours_ago=hours, kind=Kind.NUDGE if hours % 2 else Kind.EXERCISE)
    assert count() == one


def test_unread_lists_only_those_not_read_and_its_count_is_the_badge(patient_api, patient):
    read = sent(patient, hours_ago=3, read_at=NOW - datetime.timedelta(hours=2))
    unread = [sent(patient, hours_ago=2), sent(patient, hours_ago=1)]

    only_unread = patient_api.get(INBOX, {"unread": "true"}).json()
    only_read = patient_api.get(INBOX, {"unread": "false"}).json()

    assert only_unread["count"] == 2
    assert [r["id"] for r in only_unread["results"]] == [unread[1].pk, unread[0].pk]
    assert [r["id"] for r in only_read["results"]] == [read.pk]
    assert patient_api.get(INBOX).json()["count"] == 3


def test_an_unread_filter_that_is_not_a_boolean_is_a_400(patient_api, patient):
    sent(patient)
    response = patient_api.get(INBOX, {"unread": "maybe"})
    assert response.status_code == 400
    assert "unread" in error_of(response)["errors"]


def test_a_missing_notification_is_a_404_in_the_patients_spanish(patient_api, patient):
    response = patient_api.post(read_url(987654), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert error_of(response)["detail"] == "No encontrado."
