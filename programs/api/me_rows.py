"""The patient's /me/program as a plain dict: what `MyProgramSerializer` answers, built
without the serializer machinery.

The app reads it every time it opens, which makes it the busiest read of the API, and
a nested serializer spends most of its time on its own bookkeeping (binding fields,
dotted sources, an ordered dict per exercise) rather than on the values.
`MyProgramSerializer` stays the declared answer (the schema); tests compare this dict
with its output for the same program, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.reverse import reverse

from education.models import Topic
from programs.media import exercise_media
from programs.models import PrescribedExercise
from programs.stop_messages import patient_stop_message
from programs.today import Today


def exercise_row(item: PrescribedExercise, request: Request | None = None) -> dict[str, Any]:
    """`MyExerciseSerializer`'s answer for one prescribed exercise."""
    exercise = item.exercise
    return {
        "id": item.pk,
        "exercise": exercise.slug,
        "name": exercise.name,
        "category": exercise.category,
        "summary": exercise.summary,
        "steps": exercise.steps,
        "phase": item.phase,
        "order": item.order,
        "sets": item.sets,
        "reps": item.reps,
        "hold_seconds": item.hold_seconds,
        "minutes": item.minutes,
        "times_per_day": item.times_per_day,
        "dosage_text": item.dosage_text,
        "stop_and_contact_therapist": item.stop_and_contact_therapist,
        "stop_message": patient_stop_message(item),
        "media": exercise_media(exercise, request),
    }


def topic_link(topic: Topic, request: Request | None) -> dict[str, Any]:
    """`TopicLinkSerializer`'s answer for one topic."""
    url = reverse("api:me-education-detail", kwargs={"slug": topic.slug}, request=request)
    return {"slug": topic.slug, "title": topic.title, "url": url}


_MOMENT = serializers.DateTimeField()


def stopped_row(item: PrescribedExercise) -> dict[str, Any]:
    """`StoppedExerciseSerializer`'s answer for one stopped exercise."""
    return {
        "id": item.pk,
        "exercise": item.exercise.slug,
        "name": item.exercise.name,
        "phase": item.phase,
        "stopped_at": _MOMENT.to_representation(stopped)
        if (stopped := item.stopped_for_pain_at)
        else None,
        "stop_message": patient_stop_message(item) or "",
    }


def my_program(today: Today, request: Request | None) -> dict[str, Any]:
    """`MyProgramSerializer`'s answer: the open program with its exercises (each
    exercise's dict shared with today's list, which repeats today's phase) and today;
    without an open program, the same keys with nulls and empty lists."""
    program = today.program
    rows = (
        {item.pk: exercise_row(item, request) for item in program.exercises.all()}
        if program
        else {}
    )
    hold = {
        "on_hold": today.on_hold,
        "hold_kind": today.hold_kind,
        "hold_guidance": today.hold_guidance,
    }
    return {
        **hold,
        "has_program": program is not None,
        "id": program.pk if program else None,
        "name": today.name,
        "status": program.status if program else None,
        "start_date": program.start_date.isoformat() if program else None,
        "phase_names": list(today.phase_names),
        "current_phase": program.current_phase if program else None,
        "current_phase_name": today.phase_name,
        "weekdays": list(program.weekdays) if program else [],
        "reminder_times": list(today.reminder_times),
        "notes": program.notes if program else "",
        "exercises": list(rows.values()),
        "stopped_exercises": [stopped_row(item) for item in today.stopped],
        "today": {
            **hold,
            "date": today.date.isoformat(),
            "time_zone": today.time_zone,
            "weekday": today.weekday,
            "is_scheduled_day": today.is_scheduled_day,
            "is_exercise_day": today.is_exercise_day,
            "reminder_times": list(today.reminder_times),
            "phase": today.phase,
            "phase_name": today.phase_name,
            "sessions_logged": today.sessions_logged,
            "exercises": [
                rows.get(item.pk) or exercise_row(item, request) for item in today.exercises
            ],
            "education": [topic_link(topic, request) for topic in today.education],
        },
    }
