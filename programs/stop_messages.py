"""The stop message: what the app tells the patient about an exercise the safety rules
stopped (programs.safety), in the active language.

The message is composed when it is read, from what the stop stored on the prescribed
exercise: the reason, the pain before and after, how far down the leg the pain reached
and the session's date on the patient's calendar. A patient thus reads it in their
language (the active one: their own setting, else the phone's Accept-Language),
whatever language was active when the session was logged, with no query beyond the
exercise's own row. `PrescribedExercise.stop_message` keeps the English text written at
the stop, for the record, its history and staff, who read English.

`patient_stop_message` is the one function that serves a stop message to the patient;
`compose_stop_message` writes it (programs.safety stores its English text).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy

from .models import PainExtent, PrescribedExercise, StopReason

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# Where the pain reached, with its article: Spanish nouns differ in gender.
_EXTENTS: dict[str, StrOrPromise] = {
    PainExtent.BACK: pgettext_lazy("where the pain reaches", "the low back"),
    PainExtent.BUTTOCK: pgettext_lazy("where the pain reaches", "the buttock"),
    PainExtent.THIGH: pgettext_lazy("where the pain reaches", "the thigh"),
    PainExtent.CALF: pgettext_lazy("where the pain reaches", "the calf"),
    PainExtent.FOOT: pgettext_lazy("where the pain reaches", "the foot"),
}


def _day(day: datetime.date) -> str:
    # A Django date format, translated: "Wed 2 Dec 2026", "miércoles 2 de diciembre de 2026".
    return date_format(day, pgettext("stop message date", "D j M Y"))


def compose_stop_message(
    *,
    reason: str,
    before: int | None,
    after: int | None,
    extent: str,
    day: datetime.date | None,
) -> str | None:
    """The stop message in the active language; None when the stop lacks what the
    message says (stops recorded before the extent and date were kept)."""
    if day is None:
        return None
    when = _day(day)
    if reason == StopReason.PERIPHERALIZED:
        where = _EXTENTS.get(extent)
        if where is None:
            return None
        return gettext(
            "Stop this exercise: your pain spread further down your leg, to %(extent)s in "
            "your session on %(date)s. Contact your therapist before you do it again."
        ) % {"extent": where, "date": when}
    if before is None or after is None:
        return None
    values = {"before": before, "after": after, "date": when}
    if reason == StopReason.LEG_PAIN_ROSE:
        text = gettext(
            "Stop this exercise: your leg pain rose from %(before)s to %(after)s in your "
            "session on %(date)s. Contact your therapist before you do it again."
        )
    elif reason == StopReason.BACK_PAIN_ROSE:
        text = gettext(
            "Stop this exercise: your back pain rose from %(before)s to %(after)s in your "
            "session on %(date)s. Contact your therapist before you do it again."
        )
    elif reason == StopReason.PAIN_ROSE:
        text = gettext(
            "Stop this exercise: your pain rose from %(before)s to %(after)s in your "
            "session on %(date)s. Contact your therapist before you do it again."
        )
    else:
        return None
    return text % values


def _english() -> bool:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0] == "en"


def patient_stop_message(item: PrescribedExercise) -> str | None:
    """What the app tells the patient about a stopped exercise, in the active language;
    None when it is not stopped. A stop that cannot be composed (recorded before its
    details were kept) reads as stored in English, the generic message in any other
    language."""
    if not item.stop_and_contact_therapist:
        return None
    composed = compose_stop_message(
        reason=item.stop_reason,
        before=item.stop_pain_before,
        after=item.stop_pain_after,
        extent=item.stop_pain_extent,
        day=item.stop_session_date,
    )
    if composed is not None:
        return composed
    if item.stop_message and _english():
        return item.stop_message
    return gettext("Stop this exercise and contact your therapist.")
