"""Red-flag screening and the two holds it can start. Re-exported by patients.services.

Two families of flags, as the guidelines separate them:

- Emergency flags (`RedFlagScreening.FLAGS`): signs of cauda equina syndrome or a
  progressing nerve-root compression. Same-day emergency evaluation; the patient is
  told so at once, the therapist gets an urgent alert and the program is on medical
  hold until a clinician clears it with a note.
- Serious-pathology flags (`RedFlagScreening.SERIOUS_FLAGS`): features that raise the
  suspicion of spinal malignancy, infection or fracture. Not an emergency on their own,
  so the patient gets no emergency text; the therapist gets a routine alert and the
  program waits on a referral hold until a clinician records that a physician cleared
  the patient to treat.

Sources: NICE guideline NG59, "Low back pain and sciatica in over 16s: assessment and
management" (2016, updated 2020), recommendation 1.1.1: exclude specific causes such
as cancer, infection, trauma or inflammatory disease; and Finucane LM et al.,
"International framework for red flags for potential serious spinal pathologies",
J Orthop Sports Phys Ther 2020;50(7):350-372 (doi:10.2519/jospt.2020.9971), the IFOMPT
framework for cauda equina syndrome, spinal malignancy, infection and fracture. Both
stress that single red flags discriminate poorly: the flags prompt a clinician's
reasoning and a referral, they do not diagnose, which is why a clinician (not the
system) decides when treatment goes on.
"""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import dates
from core.records import record_save
from practice.models import StaffMember, User
from practice.tenancy import ensure_same_clinic

from .alerts import alert_raise, alerts_resolve
from .models import ClinicalAlert, Patient, RedFlagScreening, ReferralOutcome

EMERGENCY_FLAGS = frozenset(field for field, _ in RedFlagScreening.FLAGS)
SERIOUS_FLAGS = frozenset(field for field, _ in RedFlagScreening.SERIOUS_FLAGS)

EMERGENCY_GUIDANCE = gettext_lazy(
    "These symptoms can mean pressure on the nerves at the base of the spine and need "
    "same-day emergency care. Go to an emergency department or call your local emergency "
    "number now. Stop your exercise program until your therapist has spoken with you."
)

# Shown to the patient after a serious-pathology flag alone: what happens next, and the
# safety net every guideline asks for, without sending them to the emergency department.
REFERRAL_GUIDANCE = gettext_lazy(
    "Some of your answers mean a doctor should check your back before your exercises go "
    "on. Your clinic will contact you to arrange this; until then, pause your exercise "
    "program. If you notice numbness between your legs, new trouble controlling your "
    "bladder or bowel, or weakness in your legs, get emergency care."
)

# The age the guidelines name for a first episode of back pain to raise the suspicion of
# malignancy or fracture.
REFERRAL_AGE = 50

_CLEARING_ROLES_TEXT = "a physical therapist, physiatrist, chiropractor or osteopathic physician"

# Why nothing of the exercise program may go on while a hold lasts, worded once for every
# refusal (prescribing, adding an exercise, resuming a program or a stopped exercise).
# `doing` completes "... before <doing>", e.g. "a program can be prescribed".
MEDICAL_HOLD_REFUSAL = (
    "{name} is on medical hold after a positive red-flag screen (since {since:%Y-%m-%d %H:%M} "
    "UTC). A clinician must clear the hold with a note before {doing}."
)
REFERRAL_HOLD_REFUSAL = (
    "{name} is on a referral hold after a serious-pathology flag (since "
    "{since:%Y-%m-%d %H:%M} UTC). Refer the patient to a physician; a clinician must record "
    "the referral outcome as cleared to treat before {doing}."
)

# Written alone when a hold starts or ends: a safety write must not fail because another
# field of the stored record no longer passes today's rules (a phone number, a time zone).
_HOLD_FIELDS = ["medical_hold_since", "referral_hold_since", "updated_at"]


def hold_refusal(patient: Patient, *, doing: str) -> str | None:
    """Why `doing` is refused while `patient` is held, the medical hold first (it is the
    emergency); None when the patient is not held."""
    if patient.medical_hold_since is not None:
        return MEDICAL_HOLD_REFUSAL.format(
            name=patient.full_name, since=patient.medical_hold_since, doing=doing
        )
    if patient.referral_hold_since is not None:
        return REFERRAL_HOLD_REFUSAL.format(
            name=patient.full_name, since=patient.referral_hold_since, doing=doing
        )
    return None


def is_over_referral_age(patient: Patient, on: datetime.date | None = None) -> bool:
    """Whether the patient is over 50 (past the 50th birthday): a hint for
    `over_50_with_new_episode`. Whether this is a new episode is the clinician's answer,
    so the flag is never set from it."""
    on = on or timezone.localdate()
    born = patient.date_of_birth
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    birthday = (on.month, on.day) == (born.month, born.day)
    return age > REFERRAL_AGE or (age == REFERRAL_AGE and not birthday)


def _flag_list(labels: list[str]) -> str:
    return ", ".join(labels).lower()


@transaction.atomic
def red_flag_screen(
    *,
    patient: Patient,
    flags: dict[str, bool],
    screened_by: StaffMember | None = None,
    source: str = RedFlagScreening.Source.CLINICIAN,
    notes: str = "",
    actor: User | None = None,
    screened_at: datetime.datetime | None = None,
) -> RedFlagScreening:
    """Record a screen. An emergency flag holds the patient and alerts the therapist at
    once; a serious-pathology flag starts the referral hold with a routine alert.
    `screened_at` is when staff say the screen was done (a paper screen entered later);
    now when left out.

    A screen with both starts both holds: the emergency evaluation answers the
    emergency, and a clinician still records separately whether the physician cleared
    the patient to treat given, say, a history of cancer."""
    unknown = set(flags) - EMERGENCY_FLAGS - SERIOUS_FLAGS
    if unknown:
        raise ValidationError(f"Unknown red flags: {', '.join(sorted(unknown))}.")
    if screened_at is not None:
        dates.check_plausible_time(screened_at, field="screened_at", label="screening time")
    if screened_by is not None:
        ensure_same_clinic(patient.clinic, screened_by=screened_by)
    # The patient row lock orders this against a concurrent prescription.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    screening = RedFlagScreening(
        patient=patient,
        screened_by=screened_by,
        source=source,
        notes=notes,
        screened_at=screened_at or timezone.now(),
        **flags,
    )
    actor = actor or (screened_by.user if screened_by else None)
    record_save(screening, actor=actor)
    now = timezone.now()
    if screening.is_positive and patient.medical_hold_since is None:
        patient.medical_hold_since = now
    if screening.needs_referral and patient.referral_hold_since is None:
        patient.referral_hold_since = now
    if screening.is_positive or screening.needs_referral:
        record_save(patient, actor=actor, update_fields=_HOLD_FIELDS)
    if screening.is_positive:
        alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.RED_FLAG,
            severity=ClinicalAlert.Severity.URGENT,
            message=(
                f"Red flags reported for {patient.full_name}: "
                f"{_flag_list(screening.positive_flags)}. Same-day emergency "
                "evaluation needed; the exercise program is on hold."
            ),
            screening=screening,
        )
    if screening.needs_referral:
        alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.REFERRAL_NEEDED,
            severity=ClinicalAlert.Severity.ROUTINE,
            message=(
                f"Serious-pathology flags reported for {patient.full_name}: "
                f"{_flag_list(screening.positive_serious_flags)}. Refer to a physician "
                "before treatment goes on; no program can be prescribed until a clinician "
                "records the referral outcome."
            ),
            screening=screening,
        )
    return screening


def _check_may_clear(staff: StaffMember, field: str, what: str) -> None:
    if not staff.may_clear_holds:
        raise ValidationError({field: f"Only {_CLEARING_ROLES_TEXT} may {what}."})


@transaction.atomic
def medical_hold_clear(*, patient: Patient, cleared_by: StaffMember, note: str) -> Patient:
    """Lift the emergency hold with a clinician's note: the positive screens are marked
    cleared and every unresolved red-flag alert is resolved with the same note, so the
    inbox shows no stale emergency. A referral hold, if any, stays."""
    ensure_same_clinic(patient.clinic, cleared_by=cleared_by)
    _check_may_clear(cleared_by, "cleared_by", "clear a medical hold")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say why it is safe to resume (a clearance note)."})
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.medical_hold_since is None:
        raise ValidationError(f"{patient.full_name} is not on medical hold.")
    now = timezone.now()
    for screening in patient.screenings.filter(cleared_at__isnull=True):
        if screening.is_positive:
            screening.cleared_at = now
            screening.cleared_by = cleared_by
            screening.clearance_note = note
            record_save(screening, actor=cleared_by.user)
    patient.medical_hold_since = None
    record_save(patient, actor=cleared_by.user, update_fields=_HOLD_FIELDS)
    alerts_resolve(
        patient=patient, kind=ClinicalAlert.Kind.RED_FLAG, resolved_by=cleared_by, note=note
    )
    return patient


def _serious_flag_screen(patient: Patient) -> RedFlagScreening | None:
    any_serious = reduce(or_, (Q(**{field: True}) for field in sorted(SERIOUS_FLAGS)))
    return patient.screenings.filter(any_serious).order_by("-screened_at", "-id").first()


@transaction.atomic
def referral_outcome_record(
    *,
    patient: Patient,
    recorded_by: StaffMember,
    outcome: str,
    physician_name: str,
    note: str,
) -> ReferralOutcome:
    """Record what the physician found after a serious-pathology flag.

    `cleared_to_treat` lifts the referral hold and resolves the referral alerts with the
    note; any other outcome is recorded and the hold stays."""
    ensure_same_clinic(patient.clinic, recorded_by=recorded_by)
    _check_may_clear(recorded_by, "recorded_by", "record a referral outcome")
    if outcome not in ReferralOutcome.Outcome.values:
        choices = ", ".join(ReferralOutcome.Outcome.values)
        raise ValidationError({"outcome": f"{outcome!r} is not one of: {choices}."})
    errors = {}
    if not physician_name.strip():
        errors["physician_name"] = "Name the physician who assessed the patient."
    if not note.strip():
        errors["note"] = "Say what the physician found or advised (a note)."
    if errors:
        raise ValidationError(errors)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    screening = _serious_flag_screen(patient)
    if patient.referral_hold_since is None or screening is None:
        raise ValidationError(
            f"{patient.full_name} is not on a referral hold, so there is no referral "
            "outcome to record."
        )
    record = ReferralOutcome(
        patient=patient,
        screening=screening,
        outcome=outcome,
        physician_name=physician_name.strip(),
        note=note.strip(),
        recorded_by=recorded_by,
    )
    record_save(record, actor=recorded_by.user)
    if outcome == ReferralOutcome.Outcome.CLEARED_TO_TREAT:
        patient.referral_hold_since = None
        record_save(patient, actor=recorded_by.user, update_fields=_HOLD_FIELDS)
        alerts_resolve(
            patient=patient,
            kind=ClinicalAlert.Kind.REFERRAL_NEEDED,
            resolved_by=recorded_by,
            note=record.note,
        )
    return record
