"""A questionnaire answer carries no date the patient can write: when it was answered
and the day it was due come from the server's clock and the schedule, whatever the app
sends."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from outcomes.models import QuestionnaireResponse
from tests.clients import bearer
from tests.factories import answers_for, make_diagnosis, make_patient_user

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "sent",
    [
        {"answered_at": "0001-01-01T00:00:00+05:00", "due_on": "9999-12-31"},
        {"answered_at": "9999-12-31T23:59:59-05:00", "due_on": "0001-01-01"},
    ],
)
def test_dates_sent_with_the_answers_are_ignored(patient, therapist, sent):
    with time_machine.travel(NOW, tick=False):
        make_diagnosis(patient=patient, diagnosed_by=therapist)
        api = bearer(make_patient_user(patient, username="patient.one").user)
        body = {"answers": answers_for("nprs"), **sent}
        response = api.post("/api/v1/me/questionnaires/nprs/responses/", body, format="json")
    assert response.status_code == 201, response.json()
    stored = QuestionnaireResponse.objects.get(patient=patient)
    assert stored.answered_at == NOW
    assert stored.due_on == datetime.date(2026, 3, 2)  # the baseline, due on diagnosis day
    assert response.json()["due_on"] == "2026-03-02"
