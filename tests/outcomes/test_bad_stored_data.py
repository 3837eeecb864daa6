"""Whatever is already stored, the patient's sessions, progress and admin page render:
dates at the ends of the calendar, a time-zone change after them, scores that are not
numbers. Each value is written past the services, as old or imported data would be."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import DataError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.localtime import local_date
from outcomes import charts
from outcomes.models import Code, QuestionnaireResponse
from outcomes.selectors import FIRST_WEEK, patient_progress
from patients.services import patient_update
from programs.adherence import week_start
from programs.models import ExerciseSession, Prescription
from tests.clients import bearer
from tests.factories import make_patient_user, make_prescription
from tests.programs.test_safety import _log

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
YEAR_1 = datetime.datetime(1, 1, 1, 0, 30, tzinfo=UTC)
YEAR_9999 = datetime.datetime(9999, 12, 31, 23, 0, tzinfo=UTC)


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def store_session_at(patient, prescription, moment) -> ExerciseSession:
    """A real session, then its time overwritten as a bad import would."""
    items = list(prescription.exercises.filter(phase=1)[:1])
    session, _ = _log(patient, items)
    ExerciseSession.objects.filter(pk=session.pk).update(performed_at=moment)
    return session


def move(patient, zone: str) -> None:
    patient_update(patient=patient, time_zone=zone)
    patient.refresh_from_db()


def assert_renders(therapist, patient) -> dict:
    """Every read of the patient's record answers; returns the progress body."""
    api = bearer(therapist.user)
    sessions = api.get(f"/api/v1/patients/{patient.pk}/sessions/")
    assert sessions.status_code == 200, sessions.content[:500]
    progress = api.get(f"/api/v1/patients/{patient.pk}/progress/")
    assert progress.status_code == 200, progress.content[:500]
    mine = bearer(make_patient_user(patient).user).get("/api/v1/me/sessions/")
    assert mine.status_code == 200

    client = Client()
    client.force_login(therapist.user)
    page = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert page.status_code == 200
    assert len(re.findall(r'<svg [^>]*class="progress-chart"', page.text)) == 5
    for url in (
        reverse("admin:programs_exercisesession_changelist"),
        reverse("admin:programs_prescription_changelist"),
    ):
        assert client.get(url).status_code == 200
    return {"sessions": sessions.json(), "progress": progress.json()}


def week_starts(progress: dict) -> list[datetime.date]:
    return [datetime.date.fromisoformat(w["week_start"]) for w in progress["weeks"]]


@pytest.mark.parametrize(
    ("moment", "zone"),
    [
        (YEAR_1, "America/New_York"),  # the shift west leaves the calendar
        (YEAR_1, "Asia/Tokyo"),
        (YEAR_9999, "Pacific/Kiritimati"),  # the shift east leaves the calendar
        (YEAR_9999, "America/Los_Angeles"),
    ],
)
def test_a_session_at_the_ends_of_the_calendar_then_a_time_zone_change(
    therapist, patient, prescription, moment, zone
):
    session = store_session_at(patient, prescription, moment)
    move(patient, zone)

    body = assert_renders(therapist, patient)

    listed = {s["id"]: s for s in body["sessions"]["results"]}
    assert datetime.datetime.fromisoformat(listed[session.pk]["performed_at"]) == moment
    # The timeline stays in the years a program can run: the stray session is kept, not
    # charted, and does not stretch the weeks over centuries.
    weeks = week_starts(body["progress"])
    this_week = week_start(timezone.localdate())
    assert weeks[0] >= FIRST_WEEK
    assert weeks[-1] == this_week
    assert sum(w["sessions"] for w in body["progress"]["weeks"]) == 0


def test_a_good_session_still_counts_beside_a_bad_one(therapist, patient, prescription):
    store_session_at(patient, prescription, YEAR_1)
    _log(patient, list(prescription.exercises.filter(phase=1)[:1]))
    move(patient, "America/Chicago")

    progress = assert_renders(therapist, patient)["progress"]

    assert sum(w["sessions"] for w in progress["weeks"]) == 1
    assert len(progress["weeks"]) <= 2
    assert progress["adherence"]["done"] == 1


@pytest.mark.parametrize("start_date", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_a_program_start_date_stored_outside_the_plausible_years(
    therapist, patient, prescription, start_date
):
    _log(patient, list(prescription.exercises.filter(phase=1)[:1]))
    Prescription.objects.filter(pk=prescription.pk).update(start_date=start_date)
    move(patient, "Pacific/Kiritimati")

    progress = assert_renders(therapist, patient)["progress"]

    weeks = week_starts(progress)
    assert weeks[0] >= FIRST_WEEK
    assert len(weeks) <= 27 * 53
    assert bearer(patient.user).get("/api/v1/me/program/").status_code == 200


@pytest.mark.parametrize("bad", ["NaN", "Infinity"])
def test_a_score_that_is_not_a_number_is_left_out(therapist, patient, bad):
    for score, occasion in ((Decimal("42"), "baseline"), (Decimal("30"), "follow_up")):
        QuestionnaireResponse.objects.create(
            patient=patient,
            code=Code.ODI,
            answers={},
            score=score,
            occasion=occasion,
            due_on=timezone.localdate(),
        )
    stray = QuestionnaireResponse.objects.create(
        patient=patient,
        code=Code.ODI,
        answers={},
        score=Decimal("1"),
        occasion="follow_up",
        due_on=timezone.localdate(),
    )
    # numeric(5, 1) stores NaN (and, since PostgreSQL 14, infinity is refused by the
    # typmod): write what the database takes.
    update = f"UPDATE {QuestionnaireResponse._meta.db_table} SET score = %s WHERE id = %s"  # noqa: S608 (the model's own table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(update, [bad, stray.pk])
    except DataError:
        pytest.skip(f"PostgreSQL refuses {bad} in this column")

    progress = assert_renders(therapist, patient)["progress"]

    odi = progress["measures"]["odi"]
    assert (odi["responses"], odi["baseline"]["score"], odi["latest"]["score"]) == (2, 42.0, 30.0)
    assert patient_progress(patient=patient).measures[Code.ODI].meets_mcid is True


def test_a_chart_draws_values_that_are_not_numbers_as_missing():
    svg = charts.line_chart(
        title="Pain",
        points=[("W1", 4), ("W2", float("nan")), ("W3", Decimal("Infinity")), ("W4", 5)],
        y_max=10,
        y_label="Pain",
    )
    assert "nan" not in svg.lower()
    assert "inf" not in svg.lower()
    assert svg.count("<circle") == 2
    assert "W2: no data; W3: no data" in svg

    only_bad = charts.bar_chart(
        title="Adherence", points=[("W1", float("nan"))], y_max=100, y_label="%"
    )
    assert charts.NO_DATA in only_bad


def test_local_dates_at_the_ends_of_the_calendar_fall_back_to_utc():
    new_york = datetime.timezone(datetime.timedelta(hours=-5))
    kiritimati = datetime.timezone(datetime.timedelta(hours=14))
    assert local_date(YEAR_1, new_york) == datetime.date(1, 1, 1)
    assert local_date(YEAR_9999, kiritimati) == datetime.date(9999, 12, 31)
    noon = datetime.datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert local_date(noon, kiritimati) == datetime.date(2026, 3, 2)
