"""A retried upload is the same upload: what tells a retry from a new session that reuses
a `client_id`.

The phone makes the `client_id` and sends it again when an answer was lost, so the same
body arriving twice logs one session. A body that differs under the same id is not a
retry (a bug on the phone, or two sessions under one id); answering it with the stored
session would drop what it says without a word, so the differing fields are named.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from . import pain
from .models import ExerciseSession, PainReadings
from .sessions import ExerciseDone

_ITEM_FIELDS = ("prescribed_exercise_id", "sets", "reps", "minutes", *PainReadings.PAIN_FIELDS)


def _as_stored(values: dict[str, Any], *, extent: str) -> dict[str, int | None]:
    """The four readings as they were stored: the deprecated single reading becomes back
    or leg pain by the extent, as `session_log` stores it."""
    readings = {name: values.get(name) for name in PainReadings.PAIN_FIELDS}
    legacy = (values.get("pain_before"), values.get("pain_after"))
    if legacy != (None, None):
        readings.update(pain.legacy_pain(before=legacy[0], after=legacy[1], extent=extent))
    return readings


def _item(item: ExerciseDone, *, extent: str) -> tuple[Any, ...]:
    values = vars(item)
    readings = _as_stored(values, extent=extent)
    return tuple(readings[name] if name in readings else values[name] for name in _ITEM_FIELDS)


def session_retry_differences(
    *,
    session: ExerciseSession,
    performed_at: datetime.datetime,
    pain_extent: str,
    exercises: Sequence[ExerciseDone],
    back_pain_before: int | None = None,
    back_pain_after: int | None = None,
    leg_pain_before: int | None = None,
    leg_pain_after: int | None = None,
    pain_extent_before: str = "",
    pain_before: int | None = None,
    pain_after: int | None = None,
    notes: str = "",
    **_: Any,
) -> list[str]:
    """The fields of an upload that differ from `session`, the one already stored under
    its `client_id`, named as the upload names them; empty for a faithful retry.
    Instants are compared, not their writing: the same time in another offset is the
    same session."""
    differing = []
    for name, given, stored in (
        ("performed_at", performed_at, session.performed_at),
        ("pain_extent", pain_extent, session.pain_extent),
        ("pain_extent_before", pain_extent_before, session.pain_extent_before),
        ("notes", notes, session.notes),
    ):
        if given != stored:
            differing.append(name)
    sent = {
        "back_pain_before": back_pain_before,
        "back_pain_after": back_pain_after,
        "leg_pain_before": leg_pain_before,
        "leg_pain_after": leg_pain_after,
        "pain_before": pain_before,
        "pain_after": pain_after,
    }
    readings = _as_stored(sent, extent=pain_extent)
    legacy = (pain_before, pain_after) != (None, None)
    for name, value in readings.items():
        if value != getattr(session, name):
            # The upload's own name: the deprecated reading when that is what it sent.
            named = name.replace("back_", "").replace("leg_", "") if legacy else name
            if named not in differing:
                differing.append(named)
    items = session.items.order_by("pk").values_list(*_ITEM_FIELDS)
    if [_item(item, extent=pain_extent) for item in exercises] != list(items):
        differing.append("exercises")
    return differing
