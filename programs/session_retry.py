"""A retried upload is the same upload: what tells a retry from a new session that reuses
a `client_id`.

The phone makes the `client_id` and sends it again when an answer was lost, so the same
body arriving twice logs one session. A body that differs under the same id is not a
retry (a bug on the phone, or two sessions under one id); answering it with the stored
session would drop what it says without a word, so the differing fields are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from core.conflicts import ConflictError

from . import pain
from .models import ExerciseSession, PainReadings

if TYPE_CHECKING:
    from .sessions import ExerciseDone

_ITEM_FIELDS = ("prescribed_exercise_id", "sets", "reps", "minutes", *PainReadings.PAIN_FIELDS)


def _as_stored(values: Mapping[str, Any], *, extent: str) -> dict[str, int | None]:
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


def session_retry_differences(session: ExerciseSession, upload: Mapping[str, Any]) -> list[str]:
    """The fields of `upload` (the validated body, as `session_log` takes it) that differ
    from `session`, the one already stored under its `client_id`, named as the upload
    names them; empty for a faithful retry. Instants are compared, not their writing: the
    same time in another offset is the same session."""
    pain_extent = upload["pain_extent"]
    differing = []
    for name, default in (
        ("performed_at", None),
        ("pain_extent", None),
        ("pain_extent_before", ""),
        ("notes", ""),
    ):
        if upload.get(name, default) != getattr(session, name):
            differing.append(name)
    readings = _as_stored(upload, extent=pain_extent)
    legacy = (upload.get("pain_before"), upload.get("pain_after")) != (None, None)
    for name, value in readings.items():
        if value != getattr(session, name):
            # The upload's own name: the deprecated reading when that is what it sent.
            named = name.replace("back_", "").replace("leg_", "") if legacy else name
            if named not in differing:
                differing.append(named)
    items = session.items.order_by("pk").values_list(*_ITEM_FIELDS)
    if [_item(item, extent=pain_extent) for item in upload["exercises"]] != list(items):
        differing.append("exercises")
    return differing


def session_retry_check(session: ExerciseSession, upload: Mapping[str, Any]) -> ExerciseSession:
    """`session` when `upload` is a faithful retry of it; ConflictError naming the
    differing fields otherwise."""
    differing = session_retry_differences(session, upload)
    if differing:
        message = _("Differs from the session already logged with this client_id.")
        raise ConflictError(
            _(
                "A session with this client_id is already logged with other values "
                "(%(fields)s); a new session needs a new client_id."
            )
            % {"fields": ", ".join(differing)},
            fields=dict.fromkeys(differing, message),
        )
    return session
