"""/api/v1/patients/{id}/rtm/: a patient's remote monitoring with its periods (the
patient's own days with data), months of clinicians' time and what each bills; started
with consent, set up, and time logged through the API."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import RecordAccess
from tests.clients import bearer, error_of
from tests.factories import make_coverage, make_payer, make_rtm_time_entry
from tests.visits import rtm_course
from tests.visits.rtm_course import MONITORED_FROM, D
from visits.rtm_models import RtmEpisode, RtmTimeEntry

pytestmark = pytest.mark.django_db

ON_THE_20TH = D(2026, 12, 20)


def url(patient, tail: str = "") -> str:
    return f"/api/v1/patients/{patient.pk}/rtm/{tail}"


def call(user, method: str, path: str, body=None, *, day: datetime.date = ON_THE_20TH):
    """As `user` at noon of `day` in New York, with a token made then."""
    with time_machine.travel(rtm_course.at(day, 12, zone="America/New_York"), tick=False):
        return getattr(bearer(user), method)(path, body, format="json")


@pytest.fixture
def episode(patient, therapist):
    make_coverage(
        patient=patient,
        payer=make_payer(clinic=patient.clinic, accepts_2026_rtm_codes=True),
    )
    return rtm_course.monitored(patient, therapist)


def _entry(**changes):
    return {
        "worked_on": "2026-12-10",
        "minutes": 25,
        "interactive": True,
        "note": "Reviewed the week's sessions; called the patient.",
        **changes,
    }


def test_a_patient_never_monitored_reads_no_episode(therapist, patient):
    response = call(therapist.user, "get", url(patient))

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "episode": None,
        "set_up": None,
        "current_period": None,
        "periods": [],
        "months": [],
    }


def test_starting_monitoring_records_the_consent(therapist, patient):
    response = call(
        therapist.user,
        "post",
        url(patient),
        {"consent_at": "2026-12-20T15:00:00Z", "consent_method": "in_person"},
    )

    assert response.status_code == 201, response.json()
    episode = response.json()["episode"]
    assert episode["starts_on"] == "2026-12-20"  # the patient's own today
    assert episode["consent_recorded_by"] == therapist.pk
    assert episode["consent_method"] == "in_person"
    assert response.json()["current_period"]["ends_on"] == "2027-01-18"


def test_a_patient_already_monitored_is_not_started_again(therapist, patient, episode):
    response = call(
        therapist.user,
        "post",
        url(patient),
        {"consent_at": "2026-12-20T15:00:00Z", "consent_method": "phone"},
    )

    assert response.status_code == 400
    assert error_of(response)["detail"] == "This patient is already being monitored."


def test_sixteen_days_with_data_bill_98977(therapist, patient, episode):
    rtm_course.sessions_on(
        patient, [MONITORED_FROM + datetime.timedelta(days=n) for n in range(16)]
    )

    body = call(therapist.user, "get", url(patient)).json()

    period = body["current_period"]
    assert (period["starts_on"], period["ends_on"]) == ("2026-12-01", "2026-12-30")
    assert (period["days_with_data"], period["days_needed"]) == (16, 0)
    assert period["billed"]["code"] == "98977"
    assert period["at_risk"] is False
    assert body["episode"]["id"] == episode.pk


def test_fewer_days_bill_the_2026_code_and_risk_the_full_one(therapist, patient, episode):
    rtm_course.sessions_on(patient, [MONITORED_FROM + datetime.timedelta(days=n) for n in range(5)])

    period = call(therapist.user, "get", url(patient)).json()["current_period"]

    assert period["days_with_data"] == 5
    assert period["days_left"] == 10  # 21 to 30 December
    assert period["billed"]["code"] == "98985"
    assert period["at_risk"] is True  # 11 days still needed in 10


def test_logged_time_bills_by_the_calendar_month(therapist, patient, episode):
    added = call(therapist.user, "post", url(patient, "time-entries/"), _entry(minutes=25))
    call(therapist.user, "post", url(patient, "time-entries/"), _entry(minutes=20))

    assert added.status_code == 201, added.json()
    assert added.json()["clinician"] == therapist.pk
    (month,) = call(therapist.user, "get", url(patient)).json()["months"]
    assert (month["month"], month["minutes"], month["interactive"]) == ("2026-12-01", 45, True)
    assert [(b["code"], b["units"]) for b in month["billed"]] == [("98980", 1), ("98981", 1)]


def test_time_without_an_interactive_call_bills_nothing(therapist, patient, episode):
    call(therapist.user, "post", url(patient, "time-entries/"), _entry(interactive=False))

    (month,) = call(therapist.user, "get", url(patient)).json()["months"]

    assert (month["minutes"], month["billed"]) == (25, [])


def test_time_entries_are_listed_latest_first(therapist, patient, episode):
    for day in ("2026-12-03", "2026-12-12"):
        call(therapist.user, "post", url(patient, "time-entries/"), _entry(worked_on=day))

    listed = call(therapist.user, "get", url(patient, "time-entries/")).json()

    assert [e["worked_on"] for e in listed["results"]] == ["2026-12-12", "2026-12-03"]


def test_time_entries_sort_by_the_fields_offered_and_refuse_others(therapist, patient, episode):
    for minutes in (30, 10):
        call(therapist.user, "post", url(patient, "time-entries/"), _entry(minutes=minutes))

    by_minutes = call(therapist.user, "get", url(patient, "time-entries/?ordering=minutes"))
    bogus = call(therapist.user, "get", url(patient, "time-entries/?ordering=note"))

    assert [e["minutes"] for e in by_minutes.json()["results"]] == [10, 30]
    assert bogus.status_code == 400
    assert "ordering" in bogus.json()["errors"]


def test_time_needs_an_open_episode(therapist, patient):
    response = call(therapist.user, "post", url(patient, "time-entries/"), _entry())

    assert response.status_code == 400
    assert error_of(response)["detail"] == (
        "This patient has no open monitoring episode: start one first."
    )


def test_time_outside_the_episode_is_a_400(therapist, patient, episode):
    response = call(
        therapist.user, "post", url(patient, "time-entries/"), _entry(worked_on="2026-11-20")
    )

    assert response.status_code == 400
    assert "worked_on" in response.json()["errors"]


def test_the_set_up_bills_98975_once(therapist, patient, episode):
    first = call(therapist.user, "post", url(patient, "onboard/"), {"onboarded_on": "2026-12-01"})
    again = call(therapist.user, "post", url(patient, "onboard/"), {"onboarded_on": "2026-12-02"})

    assert first.status_code == 200, first.json()
    assert first.json()["set_up"]["code"] == "98975"
    assert first.json()["episode"]["onboarded_by"] == therapist.pk
    assert again.status_code == 400


# ---------------------------------------------------------------- who may

ROUTES = [
    ("get", "", None),
    ("post", "", {"consent_at": "2026-12-20T15:00:00Z", "consent_method": "phone"}),
    ("post", "onboard/", {"onboarded_on": "2026-12-01"}),
    ("get", "time-entries/", None),
    ("post", "time-entries/", _entry()),
]


@pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
def test_front_desk_and_patients_may_not_reach_monitoring(
    front_desk, patient_user, patient, episode, method, tail, body
):
    for user in (front_desk.user, patient_user):
        response = call(user, method, url(patient, tail), body)
        assert response.status_code == 403, response.json()


@pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
def test_another_clinics_patient_is_a_404(other_therapist, patient, episode, method, tail, body):
    response = call(other_therapist.user, method, url(patient, tail), body)

    assert response.status_code == 404
    assert not RtmTimeEntry.objects.exists()
    assert RtmEpisode.objects.get().onboarded_on is None


def test_reading_monitoring_is_access_logged(therapist, patient, episode):
    call(therapist.user, "get", url(patient))

    assert RecordAccess.objects.filter(user=therapist.user, patient=patient, action="view").exists()


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -1}, "minutes"),
        ({"minutes": 241}, "minutes"),
        ({"minutes": 10000}, "minutes"),
        ({"minutes": "ten"}, "minutes"),
        ({"interactive": "sometimes"}, "interactive"),
        ({"note": ""}, "note"),
        ({"worked_on": "soon"}, "worked_on"),
        ({"worked_on": "9999-12-31"}, "worked_on"),
        ({"billed": "98980"}, "billed"),
    ],
)
def test_bad_time_is_a_400_naming_the_field(therapist, patient, episode, changes, field):
    response = call(therapist.user, "post", url(patient, "time-entries/"), _entry(**changes))

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not RtmTimeEntry.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"consent_at": "2026-12-20T15:00:00Z"},
        {"consent_at": "2026-12-20T15:00:00Z", "consent_method": "telepathy"},
        {"consent_at": "last week", "consent_method": "phone"},
        {"consent_at": "0001-01-01T00:00:00Z", "consent_method": "phone"},
        {
            "consent_at": "2026-12-20T15:00:00Z",
            "consent_method": "phone",
            "starts_on": "0001-01-01",
        },
        [],
    ],
)
def test_a_bad_start_is_a_400(therapist, patient, body):
    response = call(therapist.user, "post", url(patient), body)

    assert response.status_code == 400, response.json()
    assert not RtmEpisode.objects.exists()


# ---------------------------------------------------------------- queries


def _queries(user, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call(user, "get", path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("tail", ["", "time-entries/"])
def test_monitoring_costs_the_same_queries_with_1_or_50_entries(therapist, patient, episode, tail):
    with time_machine.travel(rtm_course.at(ON_THE_20TH, 12, zone="America/New_York"), tick=False):
        make_rtm_time_entry(episode=episode, worked_on=D(2026, 12, 2), minutes=5)
        one = _queries(therapist.user, url(patient, tail))
        for day in range(49):
            make_rtm_time_entry(
                episode=episode, worked_on=D(2026, 12, 2 + day % 18), minutes=5, interactive=False
            )

    fifty = _queries(therapist.user, url(patient, tail))

    assert fifty == one
