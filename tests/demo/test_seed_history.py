"""The six weeks of demo history (demo.seed_history), written through the services.

One seed for the module (it takes seconds), rolled back at the end; each test runs in
its own savepoint inside it.
"""

from __future__ import annotations

import datetime
from io import StringIO
from statistics import mean

import pytest
from django.core.management import call_command
from django.db import transaction

from appointments.models import Appointment
from core.localtime import local_date, local_today, patient_zone
from demo.seed_history import PRESS_UP
from demo.visit_notes import COURSE_VISITS
from outcomes.models import Code, Occasion, QuestionnaireResponse
from patients.models import ClinicalAlert, Patient
from programs.models import ExerciseSession, PrescribedExercise, SessionExercise, StopReason
from tests.clients import bearer

pytestmark = pytest.mark.django_db

SIX_WEEKS = datetime.timedelta(weeks=6)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded) -> Patient:
    return Patient.objects.get(user__username="demo.patient")


def _week_means(patient: Patient) -> list[float]:
    tz = patient_zone(patient)
    start = patient.prescriptions.get().start_date
    weeks: dict[int, list[int]] = {}
    for session in ExerciseSession.objects.filter(patient=patient):
        day, pain = local_date(session.performed_at, tz), session.leg_pain_before
        assert pain is not None  # every demo session rates the leg pain
        weeks.setdefault((day - start).days // 7, []).append(pain)
    return [mean(weeks[week]) for week in sorted(weeks)]


def test_the_demo_patient_exercised_over_six_weeks_with_leg_pain_falling(demo):
    today = local_today(patient_zone(demo))
    program = demo.prescriptions.get()
    assert program.start_date == today - SIX_WEEKS
    sessions = ExerciseSession.objects.filter(patient=demo)
    days = {local_date(s.performed_at, patient_zone(demo)) for s in sessions}
    assert min(days) - program.start_date < datetime.timedelta(days=3)
    assert today - max(days) < datetime.timedelta(days=3)
    means = _week_means(demo)
    assert len(means) == 6
    assert means[-1] < means[0] - 2


def test_one_peripheralization_stopped_one_exercise_and_its_alert_is_open(demo):
    stopped = PrescribedExercise.objects.filter(
        prescription__patient=demo, stopped_for_pain_at__isnull=False
    )
    assert [(item.stop_reason, item.stop_pain_extent) for item in stopped] == [
        (StopReason.PERIPHERALIZED, "calf")
    ]
    # The pain rules stopped it from the session they judged, and it was not done again.
    stop = stopped.get()
    assert stop.exercise.name == PRESS_UP
    assert stop.stopped_by_session.patient == demo
    later = SessionExercise.objects.filter(
        prescribed_exercise=stop, session__performed_at__gt=stop.stopped_by_session.performed_at
    )
    assert not later.exists()
    alerts = demo.alerts.filter(resolved_at__isnull=True)
    assert list(alerts.values_list("kind", flat=True)) == [ClinicalAlert.Kind.PERIPHERALIZATION]


def test_the_demo_patient_answered_at_baseline_week_2_and_week_4_scored(demo):
    start = demo.prescriptions.get().start_date
    answers = QuestionnaireResponse.objects.filter(patient=demo)
    dates = {
        code: sorted((r.due_on - start).days for r in answers.filter(code=code))
        for code in Code.values
    }
    assert dates == {"odi": [0, 14, 28], "rmdq": [0, 14, 28], "nprs": [0, 14, 28], "startback": [0]}
    assert {r.occasion for r in answers if r.due_on == start} == {Occasion.BASELINE}
    assert {r.occasion for r in answers if r.due_on > start} == {Occasion.FOLLOW_UP}
    for response in answers:
        assert local_date(response.answered_at, patient_zone(demo)) == response.due_on
    assert answers.get(code="odi", due_on=start + datetime.timedelta(days=28)).score < (
        answers.get(code="odi", due_on=start).score - 10
    )
    assert answers.get(code="odi", due_on=start).band  # scored by the service


def test_the_demo_patient_has_attended_visits_and_upcoming_ones(demo):
    now = datetime.datetime.now(tz=datetime.UTC)
    visits = demo.appointments.all()
    attended = visits.filter(status=Appointment.Status.ATTENDED, starts_at__lt=now)
    # A course of documented visits (demo.visits) in place of the three of the history.
    assert attended.count() == COURSE_VISITS
    assert attended.earliest("starts_at").kind == Appointment.Kind.EVALUATION
    assert visits.filter(status=Appointment.Status.SCHEDULED, starts_at__gt=now).count() == 2


def test_a_dozen_other_patients_have_history_and_alerts_wait_in_the_inbox(seeded):
    with_history = Patient.objects.filter(sessions__isnull=False).distinct()
    assert with_history.filter(clinic__slug="demo-spine").count() == 13
    assert not with_history.filter(clinic__slug="northside").exists()
    open_kinds = set(
        ClinicalAlert.objects.filter(resolved_at__isnull=True).values_list("kind", flat=True)
    )
    assert {
        ClinicalAlert.Kind.PERIPHERALIZATION,
        ClinicalAlert.Kind.PAIN_INCREASE,
        ClinicalAlert.Kind.NO_IMPROVEMENT,
        ClinicalAlert.Kind.RED_FLAG,
    } <= open_kinds
    leg_stop = PrescribedExercise.objects.get(stop_reason=StopReason.LEG_PAIN_ROSE)
    assert leg_stop.prescription.patient.clinic.slug == "demo-spine"
    assert PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False).count() == 2


def test_the_other_clinics_patient_is_untouched_by_the_history(seeded):
    other = Patient.objects.get(user__username="other.patient")
    assert other.prescriptions.get().start_date == local_today(patient_zone(other))
    assert not QuestionnaireResponse.objects.filter(patient=other).exists()
    assert not other.appointments.filter(status=Appointment.Status.ATTENDED).exists()


def test_seeding_again_adds_no_history(seeded):
    counts = (
        ExerciseSession.objects.count(),
        QuestionnaireResponse.objects.count(),
        Appointment.objects.count(),
        ClinicalAlert.objects.count(),
    )
    call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=StringIO())
    assert counts == (
        ExerciseSession.objects.count(),
        QuestionnaireResponse.objects.count(),
        Appointment.objects.count(),
        ClinicalAlert.objects.count(),
    )


def test_the_demo_patients_app_history_shows_weeks_and_scores(demo):
    history = bearer(demo.user).get("/api/v1/me/history/").json()

    weeks = [week for week in history["weeks"] if week["sessions"]]
    assert len(weeks) >= 6
    assert weeks[-1]["leg_pain"] < weeks[0]["leg_pain"]
    assert history["pain"]["leg"]["improved"] is True
    odi = next(q for q in history["questionnaires"] if q["code"] == "odi")
    assert [s["occasion"] for s in odi["scores"]] == ["baseline", "follow_up", "follow_up"]
    assert odi["trend"]["improved"] is True
