"""Back pain and leg pain read apart: leg pain rising or spreading stops the exercise,
back pain rising as the pain centralizes is expected, back pain rising without it stops."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import ClinicalAlert
from programs.models import ExerciseSession, PainResponse, PrescribedExercise, SessionExercise
from programs.pain import Extent, Pain, judge
from programs.services import ExerciseDone, session_log
from programs.sessions import LEGACY_HINT
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

Kind = ClinicalAlert.Kind


@pytest.fixture
def items(diagnosis, therapist):
    start = timezone.localdate() - datetime.timedelta(days=30)
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)
    return list(program.exercises.filter(phase=1).order_by("order")[:2])


def _log(patient, items, *, hours_ago: float = 1, extent="thigh", done=None, **pain):
    exercises = done or [ExerciseDone(prescribed_exercise_id=items[0].pk)]
    session, _ = session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        pain_extent=extent,
        exercises=exercises,
        **pain,
    )
    return ExerciseSession.objects.get(pk=session.pk)


def _pain(back=(None, None), leg=(None, None)) -> dict:
    return {
        "back_pain_before": back[0],
        "back_pain_after": back[1],
        "leg_pain_before": leg[0],
        "leg_pain_after": leg[1],
    }


def _stopped():
    return list(PrescribedExercise.objects.filter(stopped_for_pain_at__isnull=False))


def _alerts(patient, kind):
    return list(ClinicalAlert.objects.filter(patient=patient, kind=kind))


# ---------------------------------------------------------------- the session's readings


def test_leg_pain_rising_two_points_stops_the_exercise(patient, items):
    session = _log(patient, items, **_pain(back=(2, 2), leg=(3, 5)))

    (stopped,) = _stopped()
    assert stopped.stop_reason == "leg_pain_rose"
    assert (stopped.stop_pain_before, stopped.stop_pain_after) == (3, 5)
    assert stopped.stopped_by_session_id == session.pk
    assert "your leg pain rose from 3 to 5" in stopped.stop_message
    assert "Contact your therapist" in stopped.stop_message
    assert session.pain_response == PainResponse.WORSENED
    (alert,) = _alerts(patient, Kind.PAIN_INCREASE)
    assert "session leg pain from 3 to 5 (+2)" in alert.message
    assert f"stop {items[0].exercise.name}" in alert.message


def test_leg_pain_rising_one_point_neither_stops_nor_alerts(patient, items):
    session = _log(patient, items, **_pain(back=(2, 2), leg=(3, 4)))

    assert _stopped() == []
    assert not ClinicalAlert.objects.exists()
    assert session.pain_response == PainResponse.STEADY


def test_back_pain_rising_while_leg_pain_centralizes_does_not_stop(patient, items):
    session = _log(patient, items, **_pain(back=(2, 5), leg=(6, 3)))

    assert _stopped() == []
    assert not ClinicalAlert.objects.exists()
    assert session.pain_response == PainResponse.CENTRALIZATION


def test_back_pain_rising_one_point_as_the_leg_pain_eases_is_recorded_as_centralization(
    patient, items
):
    session = _log(patient, items, **_pain(back=(2, 3), leg=(5, 4)))

    assert session.pain_response == PainResponse.CENTRALIZATION


def test_back_pain_rising_as_the_pain_retreats_up_the_leg_during_the_session_does_not_stop(
    patient, items
):
    session = _log(
        patient, items, extent="thigh", pain_extent_before="calf", **_pain(back=(2, 5), leg=(4, 4))
    )

    assert _stopped() == []
    assert session.pain_response == PainResponse.CENTRALIZATION


def test_back_pain_rising_as_the_pain_retreats_since_the_last_session_does_not_stop(patient, items):
    _log(patient, items, hours_ago=26, extent="calf", **_pain(back=(2, 2), leg=(4, 4)))
    session = _log(patient, items, extent="buttock", **_pain(back=(2, 4), leg=(4, 4)))

    assert session.extent_change == "centralized"
    assert _stopped() == []
    assert session.pain_response == PainResponse.CENTRALIZATION


def test_back_pain_rising_without_centralization_stops(patient, items):
    session = _log(patient, items, extent="back", **_pain(back=(2, 4), leg=(3, 3)))

    (stopped,) = _stopped()
    assert stopped.stop_reason == "back_pain_rose"
    assert (stopped.stop_pain_before, stopped.stop_pain_after) == (2, 4)
    assert "your back pain rose from 2 to 4" in stopped.stop_message
    assert session.pain_response == PainResponse.WORSENED
    (alert,) = _alerts(patient, Kind.PAIN_INCREASE)
    assert "session back pain from 2 to 4 (+2) without centralization" in alert.message


def test_back_pain_rising_one_point_without_centralization_does_not_stop(patient, items):
    session = _log(patient, items, extent="back", **_pain(back=(2, 3)))

    assert _stopped() == []
    assert session.pain_response == PainResponse.STEADY


def test_back_pain_rising_while_the_pain_spreads_is_no_centralization(patient, items):
    """Leg pain easing does not excuse a back-pain rise when the pain spread."""
    _log(patient, items, hours_ago=26, extent="thigh", **_pain(back=(2, 2), leg=(4, 4)))
    _log(patient, items, extent="calf", **_pain(back=(2, 4), leg=(5, 4)))

    (stopped,) = _stopped()
    assert stopped.stop_reason == "peripheralized"
    assert _alerts(patient, Kind.PAIN_INCREASE)  # the back pain rose with no centralization


def test_pain_spreading_down_the_leg_during_the_session_stops_its_exercises(patient, items):
    done = [ExerciseDone(prescribed_exercise_id=item.pk) for item in items]
    session = _log(
        patient,
        items,
        extent="calf",
        pain_extent_before="thigh",
        done=done,
        **_pain(leg=(4, 4)),
    )

    stopped = _stopped()
    assert {item.pk for item in stopped} == {item.pk for item in items}
    assert {item.stop_reason for item in stopped} == {"peripheralized"}
    assert {(i.stop_pain_before, i.stop_pain_after) for i in stopped} == {(4, 4)}
    (alert,) = _alerts(patient, Kind.PERIPHERALIZATION)
    assert "during the session, from the thigh to the calf" in alert.message
    assert session.extent_change == "first"
    assert session.pain_response == PainResponse.WORSENED


def test_pain_that_spread_since_the_last_session_but_retreats_during_this_one_does_not_stop(
    patient, items
):
    _log(patient, items, hours_ago=26, extent="buttock", **_pain(leg=(3, 3)))
    session = _log(patient, items, extent="thigh", pain_extent_before="calf", **_pain(leg=(5, 4)))

    assert session.extent_change == "peripheralized"
    assert _stopped() == []
    assert not ClinicalAlert.objects.exists()


def test_a_steady_session_is_recorded_as_steady(patient, items):
    session = _log(patient, items, **_pain(back=(3, 3), leg=(4, 2)))

    assert session.pain_response == PainResponse.STEADY
    assert _stopped() == []


# ---------------------------------------------------------------- each exercise's readings


def test_an_exercise_with_its_own_leg_reading_is_judged_by_it(patient, items):
    calm, untold = items
    done = [
        ExerciseDone(prescribed_exercise_id=calm.pk, leg_pain_before=3, leg_pain_after=3),
        ExerciseDone(prescribed_exercise_id=untold.pk),
    ]
    _log(patient, items, done=done, **_pain(leg=(3, 5)))

    assert [item.pk for item in _stopped()] == [untold.pk]


def test_an_exercise_whose_own_leg_pain_rises_is_stopped_alone(patient, items):
    rising, calm = items
    done = [
        ExerciseDone(prescribed_exercise_id=rising.pk, leg_pain_before=2, leg_pain_after=5),
        ExerciseDone(prescribed_exercise_id=calm.pk, leg_pain_before=2, leg_pain_after=2),
    ]
    _log(patient, items, done=done, **_pain(leg=(3, 4)))

    (stopped,) = _stopped()
    assert (stopped.pk, stopped.stop_pain_before, stopped.stop_pain_after) == (rising.pk, 2, 5)
    assert ExerciseSession.objects.get().pain_response == PainResponse.WORSENED
    (alert,) = _alerts(patient, Kind.PAIN_INCREASE)
    assert f"{rising.exercise.name}: leg pain from 2 to 5 (+3)" in alert.message
    assert "session leg pain" not in alert.message  # +1 for the session: no finding


def test_an_exercise_with_its_own_back_reading_is_judged_by_it(patient, items):
    calm, untold = items
    done = [
        ExerciseDone(prescribed_exercise_id=calm.pk, back_pain_before=2, back_pain_after=2),
        ExerciseDone(prescribed_exercise_id=untold.pk),
    ]
    _log(patient, items, extent="back", done=done, **_pain(back=(2, 4)))

    (stopped,) = _stopped()
    assert (stopped.pk, stopped.stop_reason) == (untold.pk, "back_pain_rose")


def test_an_exercise_whose_own_back_pain_rises_without_centralization_is_stopped_alone(
    patient, items
):
    rising, calm = items
    done = [
        ExerciseDone(prescribed_exercise_id=rising.pk, back_pain_before=1, back_pain_after=3),
        ExerciseDone(prescribed_exercise_id=calm.pk, back_pain_before=1, back_pain_after=1),
    ]
    _log(patient, items, extent="back", done=done, **_pain(back=(1, 2)))

    (stopped,) = _stopped()
    assert (stopped.pk, stopped.stop_reason) == (rising.pk, "back_pain_rose")
    assert (stopped.stop_pain_before, stopped.stop_pain_after) == (1, 3)
    (alert,) = _alerts(patient, Kind.PAIN_INCREASE)
    assert f"{rising.exercise.name}: back pain from 1 to 3 (+2) without centralization" in (
        alert.message
    )


def test_a_spreading_pain_stops_an_exercise_with_the_exercises_own_leg_pain(patient, items):
    done = [ExerciseDone(prescribed_exercise_id=items[0].pk, leg_pain_before=4, leg_pain_after=4)]
    _log(patient, items, extent="calf", pain_extent_before="thigh", done=done, **_pain(leg=(5, 6)))

    (stopped,) = _stopped()
    assert (stopped.stop_reason, stopped.stop_pain_before, stopped.stop_pain_after) == (
        "peripheralized",
        4,
        4,
    )


def test_an_exercises_back_pain_rise_is_centralization_when_the_sessions_leg_pain_eased(
    patient, items
):
    done = [ExerciseDone(prescribed_exercise_id=items[0].pk, back_pain_before=1, back_pain_after=4)]
    session = _log(patient, items, done=done, **_pain(leg=(6, 3)))

    assert _stopped() == []
    assert session.pain_response == PainResponse.CENTRALIZATION


def test_an_exercise_already_stopped_keeps_the_stop_that_stopped_it(patient, items):
    first = _log(patient, items, **_pain(leg=(3, 6)))
    _log(patient, items, extent="foot", **_pain(leg=(3, 8)))

    (stopped,) = _stopped()
    assert (stopped.stopped_by_session_id, stopped.stop_pain_after) == (first.pk, 6)
    assert len(_alerts(patient, Kind.PAIN_INCREASE)) == 2  # the therapist hears of both


# ---------------------------------------------------------------- the readings themselves


def test_the_old_single_pain_is_leg_pain_below_the_buttock_and_back_pain_above(patient, items):
    for hours, extent in enumerate(["thigh", "calf", "foot", "buttock", "back"], start=1):
        _log(patient, items, hours_ago=hours, extent=extent, pain_before=5, pain_after=4)

    sessions = ExerciseSession.objects.order_by("-performed_at")
    readings = {
        s.pain_extent: (s.back_pain_before, s.back_pain_after, s.leg_pain_before, s.leg_pain_after)
        for s in sessions
    }
    assert readings == {
        "thigh": (None, None, 5, 4),
        "calf": (None, None, 5, 4),
        "foot": (None, None, 5, 4),
        "buttock": (5, 4, None, None),
        "back": (5, 4, None, None),
    }


def test_an_exercises_old_single_pain_follows_the_sessions_extent(patient, items):
    done = [ExerciseDone(prescribed_exercise_id=items[0].pk, pain_before=2, pain_after=6)]
    _log(patient, items, extent="calf", done=done, **_pain(back=(1, 1), leg=(2, 2)))

    item = SessionExercise.objects.get()
    assert (item.leg_pain_before, item.leg_pain_after, item.back_pain_before) == (2, 6, None)
    assert _stopped()[0].stop_reason == "leg_pain_rose"


def test_no_pain_at_all_is_a_reading_like_any_other(patient, items):
    done = [ExerciseDone(prescribed_exercise_id=items[0].pk, leg_pain_before=0, leg_pain_after=0)]
    session = _log(patient, items, extent="back", done=done, **_pain(back=(0, 2), leg=(0, 0)))

    assert (session.back_pain_before, session.leg_pain_after) == (0, 0)
    assert session.pain_response == PainResponse.WORSENED  # back 0 to 2: a rise like another


@pytest.mark.parametrize(
    ("pain", "field", "message"),
    [
        ({"pain_before": 4, "pain_after": 4, "leg_pain_before": 4}, "pain_before", LEGACY_HINT),
        ({"pain_before": 4}, "pain_before", "Give pain_before and pain_after."),
        (_pain(back=(2, None), leg=(3, 3)), "back_pain_before", "Rate the back pain both"),
        (_pain(leg=(None, 3)), "leg_pain_before", "Rate the leg pain both before and after."),
        ({}, "leg_pain_before", "Rate the leg pain or the back pain (or both)"),
        (_pain(leg=(3, 11)), "leg_pain_after", "Pain is a whole number from 0 (none) to 10"),
        ({**_pain(leg=(3, 3)), "back_pain_before": True}, "back_pain_before", "whole number"),
    ],
)
def test_incomplete_or_mixed_pain_readings_are_refused_with_a_message(
    patient, items, pain, field, message
):
    with pytest.raises(ValidationError) as refused:
        _log(patient, items, **pain)

    assert message in refused.value.message_dict[field][0]
    assert not ExerciseSession.objects.exists()


def test_an_exercise_mixing_old_and_new_pain_is_refused_under_exercises(patient, items):
    done = [ExerciseDone(prescribed_exercise_id=items[0].pk, pain_before=2, leg_pain_before=2)]
    with pytest.raises(ValidationError) as refused:
        _log(patient, items, done=done, **_pain(leg=(3, 3)))

    (message,) = refused.value.message_dict["exercises"]
    assert message == f"Exercise 1: {LEGACY_HINT}"
    assert not ExerciseSession.objects.exists()


def test_an_unknown_extent_before_is_refused(patient, items):
    with pytest.raises(ValidationError, match="Choose one of"):
        _log(patient, items, pain_extent_before="knee", **_pain(leg=(3, 3)))


# ---------------------------------------------------------------- the pure rules


def test_the_rules_read_the_readings_they_are_given():
    no_change = Extent(during=None, since_previous="same")
    assert judge(back=Pain(2, 4), leg=Pain(None, None), extent=no_change).findings
    centralizing = judge(back=Pain(2, 4), leg=Pain(5, 4), extent=no_change)
    assert (centralizing.findings, centralizing.centralization) == ((), True)
    # an exercise without a leg reading takes the session's
    borrowed = judge(
        back=Pain(2, 4), leg=Pain(None, None), extent=no_change, leg_eased_elsewhere=True
    )
    assert (borrowed.findings, borrowed.centralization) == ((), True)
    assert Extent(during="centralized", since_previous="peripheralized").spread is False
    assert Extent(during="same", since_previous="peripheralized").spread is True
    assert Extent(during=None, since_previous="centralized").retreated is True
    assert Extent(during="peripheralized", since_previous="centralized").retreated is False
