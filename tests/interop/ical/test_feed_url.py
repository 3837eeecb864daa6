"""GET /ical/<token>.ics: the token is the only credential, stored as its hash; revoked,
renewed-away and unknown tokens are 404s; each read is in the access log; the queries
do not grow with the appointments."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import RecordAccess
from episodes import services as episode_services
from interop.ical import services
from interop.models import CalendarFeed
from tests.factories import issue_calendar_feed, make_appointment, make_patient_user

from .conftest import events, feed_path, read_feed

pytestmark = pytest.mark.django_db


def test_the_feed_is_a_private_uncached_calendar(feed_client, patient, therapist):
    make_appointment(patient=patient, therapist=therapist)
    response = feed_client.get(feed_path(issue_calendar_feed(patient=patient).token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert (
        b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.content
    )


_AS_JSON = {
    "feeds": "SELECT row_to_json(t)::text FROM interop_calendarfeed t",
    "logged": "SELECT row_to_json(t)::text FROM audit_recordaccess t",
}


def _rows(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(_AS_JSON[table])
        return [row for (row,) in cursor.fetchall()]


def test_the_raw_token_is_nowhere_in_the_database(feed_client, patient):
    make_patient_user(patient)
    issued = issue_calendar_feed(patient=patient)

    read_feed(feed_client, issued.token)

    feeds, logged = _rows("feeds"), _rows("logged")
    assert (len(feeds), len(logged)) == (1, 1)
    for row in feeds + logged:
        assert issued.token not in row
    assert len(issued.token) >= 43
    assert issued.feed.token_hash == services.token_hash(issued.token)


@pytest.mark.parametrize("token", ["nosuchtoken", "x" * 43, "a" * 129])
def test_an_unknown_token_is_a_404(feed_client, patient, token):
    issue_calendar_feed(patient=patient)

    assert feed_client.get(feed_path(token)).status_code == 404


def test_a_revoked_token_is_a_404_and_its_row_is_kept(feed_client, patient, therapist):
    issued = issue_calendar_feed(patient=patient)
    assert feed_client.get(feed_path(issued.token)).status_code == 200

    services.calendar_feed_revoke(patient=patient, actor=therapist.user)

    assert feed_client.get(feed_path(issued.token)).status_code == 404
    kept = CalendarFeed.objects.get(pk=issued.feed.pk)
    assert (kept.revoked_by, kept.revoked_at is not None) == (therapist.user, True)


def test_renewing_stops_the_old_url_and_opens_a_new_one(feed_client, patient, therapist):
    old = issue_calendar_feed(patient=patient)

    new = services.calendar_feed_issue(patient=patient, actor=therapist.user)

    assert feed_client.get(feed_path(old.token)).status_code == 404
    assert feed_client.get(feed_path(new.token)).status_code == 200
    assert CalendarFeed.objects.filter(patient=patient).count() == 2
    assert CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).get() == new.feed


def test_an_archived_patients_feed_is_a_404(feed_client, patient, therapist):
    token = issue_calendar_feed(patient=patient).token

    episode_services.patient_archive(patient=patient, actor=therapist.user, note="Moved away.")

    assert feed_client.get(feed_path(token)).status_code == 404


def test_a_read_of_a_patients_feed_is_logged_under_their_login(feed_client, patient):
    user = make_patient_user(patient).user
    token = issue_calendar_feed(patient=patient).token

    read_feed(feed_client, token)

    logged = RecordAccess.objects.get()
    assert (logged.user, logged.patient, logged.action) == (user, patient, "view")
    assert logged.path == f"/ical/feed-{CalendarFeed.objects.get().pk}.ics"


def test_without_a_login_the_read_is_logged_under_who_issued_it(feed_client, patient, therapist):
    token = services.calendar_feed_issue(patient=patient, actor=therapist.user).token

    read_feed(feed_client, token)

    assert RecordAccess.objects.get().user == therapist.user


def test_a_read_of_a_schedule_logs_each_patient_shown(
    feed_client, patient, same_clinic_patient, therapist
):
    soon = timezone.now().replace(minute=0, second=0, microsecond=0)
    for who, days in ((patient, 2), (same_clinic_patient, 3), (patient, 4)):
        make_appointment(
            patient=who, therapist=therapist, starts_at=soon + datetime.timedelta(days)
        )

    read_feed(feed_client, issue_calendar_feed(staff=therapist).token)

    logged = RecordAccess.objects.values_list("user", "patient")
    assert sorted(logged) == sorted(
        [(therapist.user.pk, patient.pk), (therapist.user.pk, same_clinic_patient.pk)]
    )


def _queries_for(feed_client, token: str, expected_events: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        _, calendar = read_feed(feed_client, token)
    assert len(events(calendar)) == expected_events
    return len(queries)


@pytest.mark.parametrize("owner", ["patient", "therapist"])
def test_the_queries_are_the_same_for_one_appointment_or_twenty(
    feed_client, patient, therapist, owner
):
    issued = issue_calendar_feed(
        **({"patient": patient} if owner == "patient" else {"staff": therapist})
    )
    soon = timezone.now().replace(minute=0, second=0, microsecond=0)
    make_appointment(patient=patient, therapist=therapist, starts_at=soon + datetime.timedelta(1))
    one = _queries_for(feed_client, issued.token, 1)

    for day in range(2, 21):
        make_appointment(
            patient=patient, therapist=therapist, starts_at=soon + datetime.timedelta(days=day)
        )
    twenty = _queries_for(feed_client, issued.token, 20)

    assert one == twenty
