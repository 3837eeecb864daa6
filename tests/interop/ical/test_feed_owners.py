"""A feed opens only while its owner may still be shown it: not after the patient's
archiving (even once reactivated), not for a closed login, not for the schedule of
staff who are no longer clinicians."""

from __future__ import annotations

import pytest

from episodes import services as episode_services
from interop.ical import services
from practice.models import Role
from tests.factories import issue_calendar_feed, make_patient_user

from .conftest import feed_path

pytestmark = pytest.mark.django_db


def test_a_feed_issued_before_an_archiving_stays_dead_after_reactivation(
    feed_client, patient, therapist
):
    old = issue_calendar_feed(patient=patient).token
    episode_services.patient_archive(patient=patient, actor=therapist.user, note="Moved away.")

    episode_services.patient_reactivate(patient=patient, actor=therapist.user)

    assert feed_client.get(feed_path(old)).status_code == 404
    new = services.calendar_feed_issue(patient=patient, actor=therapist.user).token
    assert feed_client.get(feed_path(new)).status_code == 200


def test_a_discharge_and_return_keeps_the_feed(feed_client, patient, therapist):
    token = issue_calendar_feed(patient=patient).token
    episode_services.patient_discharge(patient=patient, actor=therapist.user)

    episode_services.patient_reactivate(patient=patient, actor=therapist.user)

    assert feed_client.get(feed_path(token)).status_code == 200


def test_a_patients_closed_login_closes_their_feed(feed_client, patient):
    user = make_patient_user(patient).user
    token = issue_calendar_feed(patient=patient).token
    assert feed_client.get(feed_path(token)).status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert feed_client.get(feed_path(token)).status_code == 404


def test_a_patient_without_a_login_keeps_their_feed(feed_client, patient):
    assert patient.user is None

    assert feed_client.get(feed_path(issue_calendar_feed(patient=patient).token)).status_code == 200


def test_a_clinicians_closed_login_closes_their_schedule(feed_client, therapist):
    token = issue_calendar_feed(staff=therapist).token

    therapist.user.is_active = False
    therapist.user.save(update_fields=["is_active"])

    assert feed_client.get(feed_path(token)).status_code == 404


def test_staff_no_longer_a_clinician_have_no_schedule_feed(feed_client, therapist):
    token = issue_calendar_feed(staff=therapist).token
    assert feed_client.get(feed_path(token)).status_code == 200

    therapist.role = Role.FRONT_DESK
    therapist.save(update_fields=["role"])

    assert feed_client.get(feed_path(token)).status_code == 404
