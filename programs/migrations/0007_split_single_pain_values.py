"""Copy each session's single pain reading to back pain or leg pain.

Until now a session (and each of its exercises) carried one pain value, before and
after. It becomes leg pain when the session's pain reached below the buttock (thigh,
calf or foot), and back pain otherwise (low back or buttock):

- a pain that reaches the thigh or further is radicular, sciatic leg pain, and that is
  what the patient rated: the leg is where it hurt most and what the rules follow;
- a pain confined to the back or the buttock is, in McKenzie terms, central or
  proximal pain, read with the back (a buttock pain that retreats to the back is
  centralization, not a leg pain getting better);
- the other reading stays empty, never 0: the patient did not rate it, and an invented
  "no pain" would read as an improvement on the charts.

An exercise's reading follows its session's extent (exercises had no extent of their
own). The history tables get the same copy, so past versions keep their pain too.
Going back copies the worse of the two readings into the single value, the figure the
deprecated API answers with; a session migrated forward has one reading only, so it
comes back as it was.
"""

from django.db import migrations
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest

# Reaches below the buttock: the single reading was leg pain.
LEG_EXTENTS = ("thigh", "calf", "foot")


def split(apps, schema_editor):
    for name, extent in [
        ("ExerciseSession", "pain_extent"),
        ("HistoricalExerciseSession", "pain_extent"),
        ("SessionExercise", "session__pain_extent"),
    ]:
        model = apps.get_model("programs", name)
        below_buttock = Q(**{f"{extent}__in": LEG_EXTENTS})
        model.objects.filter(below_buttock).update(
            leg_pain_before=F("pain_before"), leg_pain_after=F("pain_after")
        )
        model.objects.exclude(below_buttock).update(
            back_pain_before=F("pain_before"), back_pain_after=F("pain_after")
        )
    # A history row of an exercise names its session by id only (no join through the
    # history table's foreign key), so it takes the extent of the live session.
    history = apps.get_model("programs", "HistoricalSessionExercise")
    session = apps.get_model("programs", "ExerciseSession")
    leg_sessions = session.objects.filter(pain_extent__in=LEG_EXTENTS).values("pk")
    history.objects.filter(session_id__in=leg_sessions).update(
        leg_pain_before=F("pain_before"), leg_pain_after=F("pain_after")
    )
    history.objects.exclude(session_id__in=leg_sessions).update(
        back_pain_before=F("pain_before"), back_pain_after=F("pain_after")
    )


def join(apps, schema_editor):
    for name in [
        "ExerciseSession",
        "HistoricalExerciseSession",
        "SessionExercise",
        "HistoricalSessionExercise",
    ]:
        apps.get_model("programs", name).objects.update(
            pain_before=_worse("before"), pain_after=_worse("after")
        )


def _worse(when):
    # Greatest is NULL on SQLite when either is NULL: each side falls back to the other.
    back, leg = f"back_pain_{when}", f"leg_pain_{when}"
    return Greatest(Coalesce(leg, back), Coalesce(back, leg))


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0006_back_and_leg_pain_fields"),
    ]

    operations = [migrations.RunPython(split, join)]
