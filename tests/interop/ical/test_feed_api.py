"""The calendar feed through the API: the patient's own, a clinician's own schedule, and
staff managing a patient's. The URL comes once, in the POST's answer."""

from __future__ import annotations

import pytest

from audit.models import RecordAccess
from interop.models import CalendarFeed

from .conftest import feed_path

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/calendar-feed/"
STAFF_ME = "/api/v1/staff/me/calendar-feed/"


def _patient_feed(patient_id: object) -> str:
    return f"/api/v1/patients/{patient_id}/calendar-feed/"


def _token(url: str) -> str:
    assert url.startswith("http://127.0.0.1:8000/ical/")
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def _issue_renew_revoke(api, path: str, feed_client) -> None:
    """Issue, renew and revoke through `path`, checking each step."""
    assert api.get(path).json() == {"live": False, "since": None}

    issued = api.post(path)
    assert issued.status_code == 201, issued.content
    first = _token(issued.json()["url"])
    assert feed_client.get(feed_path(first)).status_code == 200

    state = api.get(path)
    assert state.json() == {"live": True, "since": issued.json()["since"]}
    assert first not in state.content.decode()

    renewed = api.post(path)
    assert renewed.status_code == 201
    second = _token(renewed.json()["url"])
    assert second != first
    assert feed_client.get(feed_path(first)).status_code == 404
    assert feed_client.get(feed_path(second)).status_code == 200

    assert api.delete(path).status_code == 204
    assert feed_client.get(feed_path(second)).status_code == 404
    assert api.get(path).json() == {"live": False, "since": None}
    assert api.delete(path).status_code == 204  # a retry answers the same


def test_a_patient_issues_renews_and_revokes_their_own_feed(patient_api, patient, feed_client):
    _issue_renew_revoke(patient_api, ME, feed_client)

    assert CalendarFeed.objects.filter(patient=patient).count() == 2
    assert RecordAccess.objects.filter(patient=patient, path=ME).exists()


def test_a_clinician_issues_renews_and_revokes_their_schedule(
    therapist_api, therapist, feed_client
):
    _issue_renew_revoke(therapist_api, STAFF_ME, feed_client)

    assert CalendarFeed.objects.filter(staff=therapist).count() == 2


@pytest.mark.parametrize("owner", ["me", "staff me", "patient"])
def test_the_answer_with_the_url_is_never_stored(patient_api, therapist_api, patient, owner):
    api, path = {
        "me": (patient_api, ME),
        "staff me": (therapist_api, STAFF_ME),
        "patient": (therapist_api, _patient_feed(patient.pk)),
    }[owner]

    response = api.post(path)

    assert response.status_code == 201
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives
    assert "no-cache" not in directives
    assert api.get(path)["Cache-Control"] == "private, no-cache"  # the state, no secret


def test_the_front_desk_has_no_schedule_to_subscribe_to(front_desk_api):
    response = front_desk_api.post(STAFF_ME)

    assert response.status_code == 400
    assert response.json()["detail"] == "staff: Only clinicians have a schedule to subscribe to."


def test_staff_manage_a_patients_feed(therapist_api, patient, feed_client):
    _issue_renew_revoke(therapist_api, _patient_feed(patient.pk), feed_client)

    feeds = CalendarFeed.objects.filter(patient=patient)
    assert {f.created_by_id for f in feeds} == {f.revoked_by_id for f in feeds}
    assert RecordAccess.objects.filter(patient=patient, action="change").exists()


def test_the_front_desk_may_change_patients_and_so_their_feeds(front_desk_api, patient):
    assert front_desk_api.post(_patient_feed(patient.pk)).status_code == 201


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_another_clinics_patient_is_a_404(therapist_api, other_patient, method):
    response = getattr(therapist_api, method)(_patient_feed(other_patient.pk))

    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("patient_id", ["abc", "99999999999999999999", "0"])
def test_an_id_that_names_no_patient_is_a_404(therapist_api, patient_id):
    assert therapist_api.post(_patient_feed(patient_id)).status_code == 404


def test_patients_cannot_use_the_staff_endpoints(patient_api, patient):
    assert patient_api.post(_patient_feed(patient.pk)).status_code == 403
    assert patient_api.post(STAFF_ME).status_code == 403


def test_staff_cannot_use_the_patients_endpoint(therapist_api):
    assert therapist_api.post(ME).status_code == 403
