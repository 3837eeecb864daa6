"""A refused status change reads as a sentence a clinician would write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import TextChoices

from core.transitions import check_transition


class Visit(TextChoices):
    ATTENDED = "attended", "Attended"
    SCHEDULED = "scheduled", "Scheduled"
    NO_SHOW = "no_show", "No-show"


ALLOWED = {
    Visit.SCHEDULED: {Visit.ATTENDED, Visit.NO_SHOW},
    Visit.ATTENDED: set(),
    Visit.NO_SHOW: set(),
}


@pytest.mark.parametrize(
    ("current", "message"),
    [
        (Visit.ATTENDED, "An attended appointment cannot become scheduled."),
        (Visit.NO_SHOW, "A no-show appointment cannot become scheduled."),
    ],
)
def test_a_refused_move_names_both_statuses_with_the_right_article(current, message):
    with pytest.raises(ValidationError) as refused:
        check_transition(
            allowed=ALLOWED,
            current=current,
            new=Visit.SCHEDULED,
            statuses=Visit,
            noun="appointment",
        )
    assert refused.value.message_dict == {"status": [message]}


def test_an_allowed_move_passes():
    check_transition(
        allowed=ALLOWED, current=Visit.SCHEDULED, new=Visit.ATTENDED, statuses=Visit, noun="visit"
    )
