"""A session done during a medical or referral hold is kept (an offline phone loses
nothing) but marked, left out of adherence, runs no pain rule and alerts once per hold."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine

from patients import services as patient_services
from patients.models import ClinicalAlert, ReferralOutcome
from programs.adherence import patient_adherence
from programs.models import ExerciseSession, PrescribedExercise
from programs.services import ExerciseDone, session_log
from tests.clients import bearer
from tests.factories import make_patient_user, make_prescription

pytestmark = pytest.mark.django_db

Kind = ClinicalAlert.Kind
T0 = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)  # a Monday, 10:00 in New York
DAY = datetime.timedelta(days=1)


@pytest.fixture
def program(diagnosis, therapist):
    with time_machine.travel(T0 - 10 * DAY, tick=False):
        return make_prescription(
            diagnosis=diagnosis, prescribed_by=therapist, start_date=(T0 - 10 * DAY).date()
        )


def _log(patient, program, performed_at, *, leg=(3, 3), extent="thigh"):
    session, _ = session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=performed_at,
        leg_pain_before=leg[0],
        leg_pain_after=leg[1],
        pain_extent=extent,
        exercises=[ExerciseDone(prescribed_exercise_id=program.exercises.first().pk)],
    )
    return ExerciseSession.objects.get(pk=session.pk)


def _emergency(patient, at):
    with time_machine.travel(at, tick=False):
        return patient_services.red_flag_screen(patient=patient, flags={"foot_drop": True})


def _clear(patient, therapist, at):
    with time_machine.travel(at, tick=False):
        patient_services.medical_hold_clear(
            patient=patient, cleared_by=therapist, note="Seen in the emergency department: fine."
        )


def _hold_alerts(patient):
    return list(ClinicalAlert.objects.filter(patient=patient, kind=Kind.EXERCISED_DURING_HOLD))


def test_session_done_during_hold_is_kept_out_of_adherence_and_alerts_once_per_hold(
    patient, program
):
    screening = _emergency(patient, T0)
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        sessions = [
            _log(patient, program, T0 + hours * datetime.timedelta(hours=1)) for hours in (2, 26)
        ]
        (adherence,) = patient_adherence(patient=patient, prescription=program)

    assert [s.during_hold for s in sessions] == [True, True]
    assert ExerciseSession.objects.filter(patient=patient).count() == 2  # kept
    assert adherence.adherence.done == 0
    (alert,) = _hold_alerts(patient)
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    assert alert.screening == screening
    assert "while on medical hold" in alert.message
    assert "Further sessions during this hold raise no further alert" in alert.message


def test_a_session_during_a_hold_runs_no_pain_rule(patient, program):
    _emergency(patient, T0)
    with time_machine.travel(T0 + DAY, tick=False):
        _log(patient, program, T0 - 2 * DAY, extent="thigh")
        session = _log(
            patient, program, T0 + datetime.timedelta(hours=3), leg=(2, 8), extent="foot"
        )

    assert session.pain_response == ""
    assert not PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False).exists()
    assert not ClinicalAlert.objects.filter(
        kind__in=[Kind.PAIN_INCREASE, Kind.PERIPHERALIZATION]
    ).exists()


def test_a_session_performed_before_the_hold_is_handled_as_usual(patient, program):
    _emergency(patient, T0)
    with time_machine.travel(T0 + DAY, tick=False):  # uploaded while held, done before
        session = _log(patient, program, T0 - datetime.timedelta(hours=2), leg=(2, 5))
        (adherence,) = patient_adherence(patient=patient, prescription=program)

    assert session.during_hold is False
    assert session.pain_response == "worsened"
    assert PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False).count() == 1
    assert _hold_alerts(patient) == []
    assert adherence.adherence.done == 1


def test_a_session_at_the_moment_the_hold_began_is_during_it_and_at_its_clearing_is_not(
    patient, program, therapist
):
    _emergency(patient, T0)
    _clear(patient, therapist, T0 + DAY)
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        at_start = _log(patient, program, T0)
        at_clearing = _log(patient, program, T0 + DAY)

    assert (at_start.during_hold, at_clearing.during_hold) == (True, False)


def test_a_referral_outcome_recorded_at_the_moment_of_the_screen_ends_its_hold(
    patient, program, therapist
):
    with time_machine.travel(T0, tick=False):
        patient_services.red_flag_screen(patient=patient, flags={"history_of_cancer": True})
        patient_services.referral_outcome_record(
            patient=patient,
            recorded_by=therapist,
            outcome=ReferralOutcome.Outcome.CLEARED_TO_TREAT,
            physician_name="Dr Okafor",
            note="Treated ten years ago; no recurrence.",
        )
    with time_machine.travel(T0 + DAY, tick=False):
        assert _log(patient, program, T0 + datetime.timedelta(hours=1)).during_hold is False


def test_a_back_dated_screen_that_overlaps_a_cleared_hold_continues_it(patient, program, therapist):
    """A paper screen entered late, dated before the last hold was cleared: one hold
    from the first screen on, so one alert."""
    _emergency(patient, T0)
    _clear(patient, therapist, T0 + 2 * DAY)
    with time_machine.travel(T0 + 3 * DAY, tick=False):
        patient_services.red_flag_screen(
            patient=patient, flags={"saddle_numbness": True}, screened_at=T0 + DAY
        )
        sessions = [_log(patient, program, T0 + days * DAY + DAY / 24) for days in (1, 2)]

    assert [s.during_hold for s in sessions] == [True, True]
    assert len(_hold_alerts(patient)) == 1


def test_an_offline_session_uploaded_after_the_hold_was_cleared_is_still_during_the_hold(
    patient, program, therapist
):
    _emergency(patient, T0)
    _clear(patient, therapist, T0 + DAY)
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        during = _log(patient, program, T0 + datetime.timedelta(hours=5))
        after = _log(patient, program, T0 + DAY + datetime.timedelta(hours=1))

    assert (during.during_hold, after.during_hold) == (True, False)
    assert len(_hold_alerts(patient)) == 1


def test_a_new_hold_alerts_again_and_a_second_screen_while_held_does_not(
    patient, program, therapist
):
    _emergency(patient, T0)
    _emergency(patient, T0 + datetime.timedelta(hours=1))  # still the same hold
    with time_machine.travel(T0 + datetime.timedelta(hours=4), tick=False):
        _log(patient, program, T0 + datetime.timedelta(hours=2))
        _log(patient, program, T0 + datetime.timedelta(hours=3))
    _clear(patient, therapist, T0 + DAY)
    _emergency(patient, T0 + 3 * DAY)
    with time_machine.travel(T0 + 4 * DAY, tick=False):
        _log(patient, program, T0 + 3 * DAY + datetime.timedelta(hours=2))

    assert len(_hold_alerts(patient)) == 2


def test_a_session_during_a_referral_hold_is_marked_and_alerts(patient, program, therapist):
    with time_machine.travel(T0, tick=False):
        patient_services.red_flag_screen(patient=patient, flags={"history_of_cancer": True})
    with time_machine.travel(T0 + DAY, tick=False):
        during = _log(patient, program, T0 + datetime.timedelta(hours=2))
        patient_services.referral_outcome_record(
            patient=patient,
            recorded_by=therapist,
            outcome=ReferralOutcome.Outcome.CLEARED_TO_TREAT,
            physician_name="Dr Okafor",
            note="No sign of malignancy.",
        )
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        late_upload = _log(patient, program, T0 + datetime.timedelta(hours=3))
        after = _log(patient, program, T0 + DAY + datetime.timedelta(hours=2))

    assert (during.during_hold, late_upload.during_hold, after.during_hold) == (True, True, False)
    (alert,) = _hold_alerts(patient)
    assert "referral hold after a serious-pathology flag" in alert.message


def test_a_hold_recorded_without_a_screen_still_counts(patient, program):
    patient.medical_hold_since = T0
    patient.save(update_fields=["medical_hold_since"])
    with time_machine.travel(T0 + DAY, tick=False):
        first = _log(patient, program, T0 + datetime.timedelta(hours=1))
        _log(patient, program, T0 + datetime.timedelta(hours=2))

    assert first.during_hold
    (alert,) = _hold_alerts(patient)
    assert alert.screening is None


def test_a_hold_recorded_without_a_screen_counts_from_then_though_a_screen_followed(
    patient, program
):
    patient.medical_hold_since = T0
    patient.save(update_fields=["medical_hold_since"])
    _emergency(patient, T0 + DAY)  # while held: the hold goes on from T0
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        assert _log(patient, program, T0 + datetime.timedelta(hours=2)).during_hold


def test_a_new_hold_recorded_without_a_screen_alerts_again(patient, program):
    for start in (T0, T0 + 3 * DAY):
        patient.medical_hold_since = start
        patient.save(update_fields=["medical_hold_since"])
        with time_machine.travel(start + DAY, tick=False):
            assert _log(patient, program, start + datetime.timedelta(hours=1)).during_hold
        patient.medical_hold_since = None
        patient.save(update_fields=["medical_hold_since"])

    assert len(_hold_alerts(patient)) == 2


def test_the_api_shows_a_session_done_during_a_hold(patient, program):
    _emergency(patient, T0)
    user = make_patient_user(patient).user
    with time_machine.travel(T0 + DAY, tick=False):
        response = bearer(user).post(
            "/api/v1/me/sessions/",
            {
                "client_id": str(uuid.uuid4()),
                "performed_at": (T0 + datetime.timedelta(hours=2)).isoformat(),
                "leg_pain_before": 3,
                "leg_pain_after": 3,
                "pain_extent": "thigh",
                "exercises": [{"prescribed_exercise": program.exercises.first().pk}],
            },
            format="json",
        )

    assert response.status_code == 201, response.json()  # stored, never refused
    assert response.json()["during_hold"] is True
    assert ExerciseSession.objects.get().during_hold


def test_the_staff_adherence_summary_leaves_out_sessions_done_during_a_hold(
    patient, program, therapist
):
    _emergency(patient, T0)
    with time_machine.travel(T0 + DAY, tick=False):
        _log(patient, program, T0 - datetime.timedelta(hours=3))
        _log(patient, program, T0 + datetime.timedelta(hours=3))
        body = bearer(therapist.user).get(f"/api/v1/patients/{patient.pk}/sessions/").json()

    assert body["count"] == 2  # both are listed
    assert [row["during_hold"] for row in body["results"]] == [True, False]
    assert body["adherence"]["last_7_days"]["sessions"] == 1
