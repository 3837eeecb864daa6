"""GET /api/v1/patients/{id}/progress/: pain, outcome measures and adherence per week,
with each measure's change against its minimal clinically important difference."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.selectors import MEASURES, MeasureSummary, Reading, measure_summaries
from practice.models import Role
from tests.clients import bearer
from tests.factories import make_staff
from tests.outcomes import course

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2025, 3, 16, 16, 0, tzinfo=UTC)  # Sunday noon in New York


def url(patient) -> str:
    return f"/api/v1/patients/{patient.pk}/progress/"


def _at(day: int, hour: int = 17) -> datetime.datetime:
    return course.at(day, hour)


@pytest.fixture
def history(patient, diagnosis, therapist):
    """A Mon/Wed/Fri program from Monday 3 March 2025: three sessions in its first week,
    one in its second; NPRS 7 -> 5, ODI 40 -> 32, RMDQ 12 -> 8."""
    program = course.prescribe(patient=patient, diagnosis=diagnosis, therapist=therapist)
    for day, before, after in [(0, 6, 5), (2, 6, 4), (4, 5, 4), (9, 5, 3)]:
        course.log_session(program, _at(day), before, after)
    for code, first, last in [("nprs", 7, 5), ("odi", 40, 32), ("rmdq", 12, 8)]:
        course.answer(patient, code, first, 0, "baseline")
        course.answer(patient, code, last, 11)
    return program


def _get(user, patient, *, now=NOW):
    """As `user` at `now` (the token is made then too: it must not be issued later)."""
    with time_machine.travel(now, tick=False):
        return bearer(user).get(url(patient))


def test_the_weekly_series_of_a_hand_built_history(therapist, patient, history):
    response = _get(therapist.user, patient)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["patient"], body["today"]) == (patient.pk, "2025-03-16")
    assert body["time_zone"] == "America/New_York"
    first, second = body["weeks"]
    assert first == {
        "week": "2025-W10",
        "week_start": "2025-03-03",
        "sessions": 3,
        "pain_before_mean": 5.7,
        "pain_after_mean": 4.3,
        "back_pain_before_mean": None,
        "back_pain_after_mean": None,
        "leg_pain_before_mean": 5.7,  # the old single pain, in the thigh: leg pain
        "leg_pain_after_mean": 4.3,
        "nprs": 7.0,
        "odi": 40.0,
        "rmdq": 12.0,
        "adherence": {"scheduled": 3, "done": 3, "credited": 3, "percent": 100},
    }
    assert second == {
        "week": "2025-W11",
        "week_start": "2025-03-10",
        "sessions": 1,
        "pain_before_mean": 5.0,
        "pain_after_mean": 3.0,
        "back_pain_before_mean": None,
        "back_pain_after_mean": None,
        "leg_pain_before_mean": 5.0,  # the old single pain, in the thigh: leg pain
        "leg_pain_after_mean": 3.0,
        "nprs": 5.0,
        "odi": 32.0,
        "rmdq": 8.0,
        "adherence": {"scheduled": 3, "done": 1, "credited": 1, "percent": 33},
    }
    assert body["adherence"] == {"scheduled": 6, "done": 4, "credited": 4, "percent": 67}


def test_each_measure_says_whether_it_passed_its_mcid(therapist, patient, history):
    measures = _get(therapist.user, patient).json()["measures"]

    nprs, odi, rmdq = measures["nprs"], measures["odi"], measures["rmdq"]
    assert nprs["baseline"]["score"] == 7.0
    assert nprs["baseline"]["occasion"] == "baseline"
    assert nprs["latest"]["score"] == 5.0
    assert (nprs["change"], nprs["percent_change"], nprs["meets_mcid"]) == (-2.0, -28.6, True)
    assert nprs["mcid"] == {"points": 2.0, "percent": 30.0, "text": "2 points or 30%"}
    # ODI 40 -> 32: 8 points and 20%, short of 10 points or 30%.
    assert (odi["change"], odi["percent_change"], odi["meets_mcid"]) == (-8.0, -20.0, False)
    # RMDQ 12 -> 8: 4 points, short of 5.
    assert (rmdq["change"], rmdq["meets_mcid"]) == (-4.0, False)
    assert rmdq["mcid"]["percent"] is None
    assert rmdq["responses"] == 2


@pytest.mark.parametrize(
    ("code", "baseline", "latest", "meets"),
    [
        ("nprs", "7", "5", True),  # 2 points
        ("nprs", "7", "6", False),  # 1 point, 14%
        ("nprs", "3", "2", True),  # 1 point, but 33%
        ("nprs", "5", "7", False),  # worse
        ("odi", "40", "30", True),  # 10 points
        ("odi", "40", "31", False),  # 9 points, 22.5%
        ("odi", "20", "14", True),  # 6 points, but 30%
        ("rmdq", "12", "7", True),  # 5 points
        ("rmdq", "12", "8", False),  # 4 points (33% does not count for RMDQ)
    ],
)
def test_the_mcid_of_each_measure(code, baseline, latest, meets):
    name, mcid = MEASURES[code]
    at = datetime.datetime(2025, 3, 3, tzinfo=UTC)
    readings = [
        Reading(score=Decimal(v), answered_at=at, answered_on=at.date(), occasion="x")
        for v in (baseline, latest)
    ]
    summary = MeasureSummary(
        code=code, name=name, mcid=mcid, responses=2, baseline=readings[0], latest=readings[1]
    )
    assert summary.meets_mcid is meets


def test_a_measure_without_a_follow_up_has_no_verdict(patient):
    course.answer(patient, "nprs", 6, 0, "baseline")

    summaries = measure_summaries(patient=patient)

    assert summaries["nprs"].responses == 1
    assert (summaries["nprs"].change, summaries["nprs"].meets_mcid) == (None, None)
    assert summaries["odi"].baseline is None
    assert summaries["rmdq"].meets_mcid is None


def test_a_patient_with_nothing_yet_has_no_weeks(therapist_api, patient):
    body = therapist_api.get(url(patient)).json()

    assert body["weeks"] == []
    assert body["adherence"]["percent"] is None
    assert body["measures"]["odi"]["latest"] is None


def test_weeks_without_data_are_listed_up_to_this_week(therapist, patient, history):
    weeks = _get(therapist.user, patient, now=NOW + datetime.timedelta(days=14)).json()["weeks"]

    assert [w["week"] for w in weeks] == ["2025-W10", "2025-W11", "2025-W12", "2025-W13"]
    assert weeks[2]["sessions"] == 0
    assert weeks[2]["pain_after_mean"] is None
    assert weeks[2]["nprs"] is None
    assert weeks[2]["adherence"]["scheduled"] == 3


def test_the_clinic_admin_reads_progress(patient, history, clinic):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")
    assert _get(admin.user, patient).status_code == 200


def test_another_clinics_patient_is_a_404(other_therapist_api, therapist_api, patient):
    assert other_therapist_api.get(url(patient)).status_code == 404
    for bad in ("0", "abc", "1.5", "99999999999999999999999"):
        response = therapist_api.get(f"/api/v1/patients/{bad}/progress/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_roles_without_session_access_and_patients_are_refused(
    front_desk_api, patient_api, same_clinic_patient_api, anon, patient
):
    assert front_desk_api.get(url(patient)).status_code == 403
    assert patient_api.get(url(patient)).status_code == 403
    assert same_clinic_patient_api.get(url(patient)).status_code == 403
    assert anon.get(url(patient)).status_code == 401


def test_progress_is_read_only(therapist_api, patient):
    assert therapist_api.post(url(patient), {}).status_code == 405
    assert therapist_api.delete(url(patient)).status_code == 405


def test_progress_costs_the_same_queries_for_a_short_or_long_history(therapist, patient, history):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert _get(therapist.user, patient).status_code == 200
        return len(ctx.captured_queries)

    short = count()
    for day in range(5, 12):
        course.log_session(history, _at(day, 20), 4, 4)
        course.answer(patient, "nprs", 5, day)

    assert count() == short
