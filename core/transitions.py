"""The check a status change passes: a table of the statuses each status may move to.

Programs and appointments each keep such a table next to their services; a move it does
not allow is refused on the status field, in words a clinician reads ("A completed
program cannot become active.").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.db.models import TextChoices


def check_transition(
    *,
    allowed: Mapping[str, Collection[str]],
    current: str,
    new: str,
    statuses: type[TextChoices],
    noun: str,
    field: str = "status",
) -> None:
    """Refuse a move from `current` to `new` that `allowed[current]` does not list.

    `statuses` gives the labels the message uses; `noun` names the record ("program").
    """
    if new in allowed[current]:
        return
    now = statuses(current).label.lower()
    article = "An" if now[:1] in "aeiou" else "A"
    raise ValidationError(
        {field: f"{article} {now} {noun} cannot become {statuses(new).label.lower()}."}
    )
