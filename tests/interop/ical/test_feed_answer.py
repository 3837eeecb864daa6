"""What GET /ical/<token>.ics answers whatever the calendar app asks for: the calendar
for any Accept, its Content-Language the calendar's own, and a 404 that leaves the
token out of Django's log."""

from __future__ import annotations

import logging

import pytest

from tests.factories import issue_calendar_feed, make_appointment

from .conftest import feed_path

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", ["text/calendar", "text/html", "application/json", "*/*"])
def test_the_calendar_whatever_accept_says(feed_client, patient, therapist, accept):
    make_appointment(patient=patient, therapist=therapist)
    token = issue_calendar_feed(patient=patient).token

    response = feed_client.get(feed_path(token), HTTP_ACCEPT=accept)

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_an_unknown_token_asked_as_a_calendar_is_a_404_saying_so(feed_client):
    response = feed_client.get(feed_path("x" * 43), HTTP_ACCEPT="text/calendar")

    assert response.status_code == 404
    assert response.json()["detail"] == "There is no calendar at this address."


@pytest.mark.parametrize(("language", "expected"), [("es", "es"), ("en", "en"), ("", "en")])
def test_content_language_is_the_patients(feed_client, patient, language, expected):
    patient.language = language
    patient.save(update_fields=["language"])

    response = feed_client.get(
        feed_path(issue_calendar_feed(patient=patient).token), HTTP_ACCEPT_LANGUAGE="de, en;q=0.5"
    )

    assert response["Content-Language"] == expected


def test_a_spanish_browser_reading_an_english_patients_feed_gets_english(feed_client, patient):
    patient.language = "en"
    patient.save(update_fields=["language"])

    response = feed_client.get(
        feed_path(issue_calendar_feed(patient=patient).token), HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response["Content-Language"] == "en"
    assert b"X-WR-CALNAME:Appointments - " in response.content


@pytest.mark.parametrize("token", ["x" * 43, "a" * 129])
def test_a_404_is_logged_without_the_token(feed_client, caplog, token):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = feed_client.get(feed_path(token))

    assert response.status_code == 404
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages == ["Not Found: /ical/<token>"]
    assert all(token not in r.getMessage() for r in caplog.records)
