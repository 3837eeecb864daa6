"""Logging an exercise session from the patient's app. Re-exported by programs.services.

A session is checked, stored once (a retried upload returns the session already
stored), and then, unless it was done during a hold, put through the pain rules of
programs.safety. A session performed during a hold is stored all the same, so an
offline phone loses nothing, but marked `during_hold`: it counts for no adherence, runs
no pain rule, and raises one "exercised during hold" alert per hold.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.localtime import local_date, patient_zone
from core.records import record_save
from patients.models import ClinicalAlert, Patient
from patients.services import alert_raise

from . import pain, safety
from .counts import check_count
from .holds import Hold, HoldKind, hold_at
from .models import (
    ExerciseSession,
    PainExtent,
    PainReadings,
    PrescribedExercise,
    Prescription,
    SessionExercise,
)
from .selectors import open_prescription
from .session_retry import session_retry_check

# A phone's clock or time zone may be off by hours; beyond a day it is a wrong date.
MAX_AHEAD = datetime.timedelta(days=1)
MAX_AGE_YEARS = 2

LEGACY_HINT = (
    "pain_before and pain_after are deprecated: send back_pain_before/after and "
    "leg_pain_before/after instead, not both."
)


@dataclass(frozen=True)
class ExerciseDone:
    """What the patient did of one prescribed exercise in a session, with its own pain
    readings when the app sends them. `pain_before`/`pain_after`: the deprecated single
    reading, read as back or leg pain by the session's extent (programs.pain)."""

    prescribed_exercise_id: int
    sets: int | None = None
    reps: int | None = None
    minutes: int | None = None
    back_pain_before: int | None = None
    back_pain_after: int | None = None
    leg_pain_before: int | None = None
    leg_pain_after: int | None = None
    pain_before: int | None = None
    pain_after: int | None = None


def _readings(values: dict[str, Any], *, extent: str, pairs: bool) -> dict[str, int | None]:
    """The four readings from new or deprecated fields, checked. `pairs`: before and
    after come together (a session; an exercise may carry a lone reading)."""
    errors: dict[str, str] = {}
    for name in (*PainReadings.PAIN_FIELDS, "pain_before", "pain_after"):
        value = values.get(name)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= pain.WORST_PAIN
        ):
            errors[name] = _("Pain is a whole number from 0 (none) to 10 (worst).")
    if errors:
        raise ValidationError(errors)
    readings = {name: values.get(name) for name in PainReadings.PAIN_FIELDS}
    legacy = (values.get("pain_before"), values.get("pain_after"))
    if legacy != (None, None):
        if any(v is not None for v in readings.values()):
            raise ValidationError({"pain_before": LEGACY_HINT})
        if pairs and None in legacy:
            raise ValidationError({"pain_before": _("Give pain_before and pain_after.")})
        readings.update(pain.legacy_pain(before=legacy[0], after=legacy[1], extent=extent))
    if pairs:
        for which in ("back", "leg"):
            before, after = readings[f"{which}_pain_before"], readings[f"{which}_pain_after"]
            if (before is None) != (after is None):
                raise ValidationError(
                    {
                        f"{which}_pain_before": _("Rate the back pain both before and after.")
                        if which == "back"
                        else _("Rate the leg pain both before and after.")
                    }
                )
        if readings["back_pain_before"] is None and readings["leg_pain_before"] is None:
            raise ValidationError(
                {
                    "leg_pain_before": _(
                        "Rate the leg pain or the back pain (or both), before "
                        "and after the session."
                    )
                }
            )
    return readings


def _check_dates(
    patient: Patient, prescription: Prescription, performed_at: datetime.datetime
) -> None:
    now = timezone.now()
    local = local_date(performed_at, patient_zone(patient))  # safe at the calendar's ends
    if performed_at > now + MAX_AHEAD:
        raise ValidationError(
            {
                "performed_at": _(
                    "The session is dated %(date)s, more than a day "
                    "ahead; check the phone's date and time."
                )
                % {"date": local.isoformat()}
            }
        )
    try:
        oldest = now.replace(year=now.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        oldest = now.replace(year=now.year - MAX_AGE_YEARS, day=28)
    if performed_at < oldest:
        raise ValidationError(
            {
                "performed_at": _(
                    "The session is dated %(date)s, more than %(years)s years ago; check the date."
                )
                % {"date": local.isoformat(), "years": MAX_AGE_YEARS}
            }
        )
    if local < prescription.start_date:
        raise ValidationError(
            {
                "performed_at": _(
                    "The session is dated %(date)s, before your program "
                    "started on %(start)s; check the date."
                )
                % {"date": local.isoformat(), "start": f"{prescription.start_date:%Y-%m-%d}"}
            }
        )


def _check_exercises(
    prescription: Prescription, exercises: Sequence[ExerciseDone]
) -> dict[int, PrescribedExercise]:
    if not exercises:
        raise ValidationError({"exercises": _("Log at least one exercise.")})
    ids = [item.prescribed_exercise_id for item in exercises]
    if len(set(ids)) != len(ids):
        raise ValidationError({"exercises": _("Each exercise appears once per session.")})
    prescribed = {
        pe.pk: pe for pe in prescription.exercises.filter(pk__in=ids).select_related("exercise")
    }
    missing = [str(i) for i in ids if i not in prescribed]
    if missing:
        raise ValidationError(
            {
                "exercises": _("Not exercises of your current program: %(ids)s.")
                % {"ids": ", ".join(missing)}
            }
        )
    for item in exercises:
        for name in ("sets", "reps", "minutes"):
            check_count(name, getattr(item, name))
    return prescribed


@transaction.atomic
def session_log(
    *,
    patient: Patient,
    client_id: uuid.UUID,
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
) -> tuple[ExerciseSession, bool]:
    """Log a session against the patient's open program; (session, created).

    Back and leg pain are rated apart (either may be left out, not both);
    `pain_before`/`pain_after` is the deprecated single reading, stored as leg pain
    when `pain_extent` is below the buttock, else as back pain. A retried upload with
    the same `client_id` returns the session already stored and changes nothing; the same
    `client_id` with another body is a ConflictError naming the differing fields."""
    upload = {
        "performed_at": performed_at,
        "pain_extent": pain_extent,
        "exercises": exercises,
        "back_pain_before": back_pain_before,
        "back_pain_after": back_pain_after,
        "leg_pain_before": leg_pain_before,
        "leg_pain_after": leg_pain_after,
        "pain_extent_before": pain_extent_before,
        "pain_before": pain_before,
        "pain_after": pain_after,
        "notes": notes,
    }
    existing = ExerciseSession.objects.filter(patient=patient, client_id=client_id).first()
    if existing is not None:
        return session_retry_check(existing, upload), False
    prescription = open_prescription(patient)
    if prescription is None:
        raise ValidationError(_("There is no active program to log a session against."))
    for name, value in (("pain_extent", pain_extent), ("pain_extent_before", pain_extent_before)):
        if value not in PainExtent.values and not (name == "pain_extent_before" and not value):
            raise ValidationError(
                {name: _("Choose one of: %(values)s.") % {"values": ", ".join(PainExtent.values)}}
            )
    readings = _readings(
        {
            "back_pain_before": back_pain_before,
            "back_pain_after": back_pain_after,
            "leg_pain_before": leg_pain_before,
            "leg_pain_after": leg_pain_after,
            "pain_before": pain_before,
            "pain_after": pain_after,
        },
        extent=pain_extent,
        pairs=True,
    )
    _check_dates(patient, prescription, performed_at)
    prescribed = _check_exercises(prescription, exercises)
    item_readings = []
    for number, item in enumerate(exercises, start=1):
        try:
            item_readings.append(_readings(vars(item), extent=pain_extent, pairs=False))
        except ValidationError as exc:
            messages = [
                _("Exercise %(number)s: %(message)s") % {"number": number, "message": m}
                for m in exc.messages
            ]
            raise ValidationError({"exercises": messages}) from None
    # One session of a patient at a time, so "the previous session" the rules compare
    # with, and whether this hold was already alerted, are settled (a retry of the same
    # upload still answers below). It also orders this after a red-flag screen.
    # The lock reads the holds as they stand now, in the same query.
    patient.medical_hold_since, patient.referral_hold_since = (
        Patient.objects.select_for_update(no_key=True)
        .filter(pk=patient.pk)
        .values_list("medical_hold_since", "referral_hold_since")
        .get()
    )
    # A retry racing the first upload waited on that lock until the first committed; the
    # lookup above ran before, so look again, or this would build a second session that
    # the (patient, client_id) constraint refuses as bad input.
    existing = ExerciseSession.objects.filter(patient=patient, client_id=client_id).first()
    if existing is not None:
        return session_retry_check(existing, upload), False
    hold = hold_at(patient, performed_at)
    previous = safety.previous_session(patient=patient, performed_at=performed_at)
    session = ExerciseSession(
        patient=patient,
        prescription=prescription,
        client_id=client_id,
        performed_at=performed_at,
        pain_extent=pain_extent,
        pain_extent_before=pain_extent_before,
        extent_change=pain.extent_change(previous.pain_extent if previous else None, pain_extent),
        during_hold=hold is not None,
        notes=notes,
        **readings,
    )
    items = [
        SessionExercise(
            session=session,
            prescribed_exercise=prescribed[item.prescribed_exercise_id],
            sets=item.sets,
            reps=item.reps,
            minutes=item.minutes,
            **values,
        )
        for item, values in zip(exercises, item_readings, strict=True)
    ]
    # The pain rules' verdict is stored with the session; a session done during a hold
    # runs no pain rule and keeps none.
    review = safety.session_judge(session=session, items=items) if hold is None else None
    if review is not None:
        session.pain_response = review.pain_response
    try:
        with transaction.atomic():
            # Looked up under the patient's lock above; a racing retry is the
            # IntegrityError below.
            record_save(session, actor=patient.user, settled=["session_client_id_once_per_patient"])
    except IntegrityError:
        # The same upload, retried concurrently, won the race: answer with its session.
        winner = ExerciseSession.objects.get(patient=patient, client_id=client_id)
        return session_retry_check(winner, upload), False
    for logged in items:
        logged.session = session  # saved now: the item's validation reads its id
        # A new session, and _check_exercises refused an exercise listed twice.
        record_save(logged, actor=patient.user, settled=["session_exercise_once"])
    # So the answer shows the session's exercises without reading them back: a queryset
    # already holding them, as prefetch_related leaves one (`.items.get()` still works).
    stored = session.items.all()
    stored._result_cache = items
    stored._prefetch_done = True  # type: ignore[attr-defined]
    session._prefetched_objects_cache = {"items": stored}  # type: ignore[attr-defined]
    # Only here, for a session stored just now: a retried upload returned above, so a
    # rule never fires twice for one session.
    if hold is not None:
        _exercised_during_hold(session, hold)
    elif review is not None:
        safety.session_review(session=session, review=review, previous=previous)
    return session, True


def _exercised_during_hold(session: ExerciseSession, hold: Hold) -> ClinicalAlert | None:
    """One alert per hold, however many sessions the phone uploads for it.

    Routine, not urgent: the hold itself already raised the alert that matters (urgent
    for the emergency, routine for the referral) and the patient has had the guidance;
    a session done meanwhile changes what the therapist says at the next contact, not
    how fast help must come, and an urgent page per session would dull the real one."""
    patient = session.patient
    already = ClinicalAlert.objects.filter(
        patient=patient, kind=ClinicalAlert.Kind.EXERCISED_DURING_HOLD
    )
    if hold.screening is not None:
        already = already.filter(screening=hold.screening)
    else:
        already = already.filter(screening__isnull=True, created_at__gte=hold.start)
    if already.exists():
        return None
    what = (
        "medical hold after an emergency red flag"
        if hold.kind == HoldKind.MEDICAL
        else "referral hold after a serious-pathology flag"
    )
    when = session.performed_at.astimezone(patient_zone(patient))
    return alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.EXERCISED_DURING_HOLD,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=f"{patient.full_name} logged an exercise session on {when:%a %d %b %Y} "
        f"while on {what} (since {hold.start:%Y-%m-%d %H:%M} UTC). The session is kept "
        "but counts for no adherence and ran no pain rule; talk the hold through with "
        "the patient. Further sessions during this hold raise no further alert.",
        screening=hold.screening,
    )
