"""When a patient was on hold, and what the app tells them while they are.

A hold stops the exercise program: the medical hold (an emergency red flag) until a
clinician clears it, the referral hold (a serious-pathology flag) until a clinician
records that a physician cleared the patient to treat. A session is judged by the hold
at the moment it was *performed*, not uploaded: an offline phone may upload a session
done during a hold after the hold was cleared. So the periods are rebuilt from the
screenings (`screened_at`, `cleared_at`) and the referral outcomes, not only from the
patient's current `*_hold_since`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models

from patients.models import Patient, RedFlagScreening, ReferralOutcome
from patients.services import EMERGENCY_GUIDANCE, REFERRAL_GUIDANCE


class HoldKind(models.TextChoices):
    MEDICAL = "medical", "Medical hold (emergency red flag)"
    REFERRAL = "referral", "Referral hold (see a physician before treatment goes on)"


GUIDANCE = {HoldKind.MEDICAL: EMERGENCY_GUIDANCE, HoldKind.REFERRAL: REFERRAL_GUIDANCE}


@dataclass(frozen=True)
class Hold:
    kind: HoldKind
    start: datetime.datetime
    end: datetime.datetime | None  # None: still on
    # The screen that began it (None for a hold recorded without one): one hold, one
    # "exercised during hold" alert.
    screening: RedFlagScreening | None

    def covers(self, moment: datetime.datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)

    @property
    def guidance(self) -> str:
        return str(GUIDANCE[self.kind])


def current_hold(patient: Patient) -> HoldKind | None:
    """The hold the patient is on now; the medical one first (it is the emergency)."""
    if patient.on_medical_hold:
        return HoldKind.MEDICAL
    if patient.on_referral_hold:
        return HoldKind.REFERRAL
    return None


# A span of a hold: the screen that began it (None for a hold recorded without one),
# its start, and its end (None while it lasts).
Span = tuple[RedFlagScreening | None, datetime.datetime, datetime.datetime | None]


def _merge(kind: HoldKind, spans: list[Span]) -> list[Hold]:
    """Overlapping spans are one hold (a second positive screen while held does not
    start a new one); it keeps the screen that began it."""
    holds: list[Hold] = []
    for screening, start, end in sorted(spans, key=lambda span: span[1]):
        last = holds[-1] if holds else None
        if last is not None and last.covers(start):
            later = None if end is None or last.end is None else max(end, last.end)
            holds[-1] = Hold(kind=kind, start=last.start, end=later, screening=last.screening)
        else:
            holds.append(Hold(kind=kind, start=start, end=end, screening=screening))
    return holds


def hold_periods(patient: Patient) -> list[Hold]:
    """Every hold of the patient, past and present, medical ones first. One query, and a
    second for the referral outcomes only when a screen ever asked for a referral."""
    screenings = list(patient.screenings.order_by("screened_at", "pk"))
    cleared_to_treat = (
        sorted(
            patient.referral_outcomes.filter(
                outcome=ReferralOutcome.Outcome.CLEARED_TO_TREAT
            ).values_list("recorded_at", flat=True)
        )
        if any(s.needs_referral for s in screenings)
        else []
    )
    medical: list[Span] = [(s, s.screened_at, s.cleared_at) for s in screenings if s.is_positive]
    referral: list[Span] = [
        (s, s.screened_at, next((t for t in cleared_to_treat if t >= s.screened_at), None))
        for s in screenings
        if s.needs_referral
    ]
    # A hold recorded on the patient without a screen behind it still counts, from when
    # it was recorded, even when a screen while it lasted opened a span of its own later.
    for spans, since in (
        (medical, patient.medical_hold_since),
        (referral, patient.referral_hold_since),
    ):
        if since is not None and not any(end is None and start <= since for _, start, end in spans):
            spans.append((None, since, None))
    return [*_merge(HoldKind.MEDICAL, medical), *_merge(HoldKind.REFERRAL, referral)]


def hold_at(patient: Patient, moment: datetime.datetime) -> Hold | None:
    """The hold the patient was on at `moment`, if any (the medical one first)."""
    return next((hold for hold in hold_periods(patient) if hold.covers(moment)), None)
