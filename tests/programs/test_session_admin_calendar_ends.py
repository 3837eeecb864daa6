"""The admin's session list drills down by date (year, month, day) at the ends of the
calendar too: a session stored in year 9999 before sessions were checked, or a hand-made
URL, is never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from programs.models import ExerciseSession
from tests.factories import make_prescription
from tests.programs.test_safety import _log

pytestmark = pytest.mark.django_db

SESSIONS = "admin:programs_exercisesession_changelist"


@pytest.fixture
def stray(patient, diagnosis, therapist) -> ExerciseSession:
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    session, _ = _log(patient, list(prescription.exercises.filter(phase=1)[:1]))
    ExerciseSession.objects.filter(pk=session.pk).update(
        performed_at=datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC)
    )
    return session


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def test_the_session_list_offers_the_year_of_a_stray_session(therapist_client, stray):
    response = therapist_client.get(reverse(SESSIONS))

    assert response.status_code == 200
    assert "performed_at__year=9999" in response.text


@pytest.mark.parametrize(
    "period",
    [
        {"performed_at__year": "9999"},
        {"performed_at__year": "9999", "performed_at__month": "12"},
        {"performed_at__year": "9999", "performed_at__month": "12", "performed_at__day": "31"},
    ],
)
def test_the_last_period_of_the_calendar_is_refused_as_a_lookup_not_a_crash(
    therapist_client, stray, period
):
    url = reverse(SESSIONS)

    response = therapist_client.get(url, period)

    assert response.status_code == 302
    assert response.url == f"{url}?e=1"
    assert therapist_client.get(response.url).status_code == 200


def test_a_period_before_the_last_still_narrows_the_list(therapist_client, stray, patient):
    response = therapist_client.get(
        reverse(SESSIONS), {"performed_at__year": "9999", "performed_at__month": "11"}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("admin:outcomes_questionnaireresponse_changelist", "answered_at"),
        ("admin:appointments_appointment_changelist", "starts_at"),
    ],
)
def test_every_clinic_list_by_date_refuses_the_last_year_alike(client, url_name, field):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "x"))
    url = reverse(url_name)

    response = client.get(url, {f"{field}__year": "9999"})

    assert response.status_code == 302
    assert response.url == f"{url}?e=1"
