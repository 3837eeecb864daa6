"""Reads of the clinical record that the API and the admin show alike: a note's units in
all, and which monitoring episode a patient's page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from patients.models import Patient

from .note_models import VisitNote
from .payers import payer_terms_on
from .rtm_models import RtmEpisode
from .units import TIMED_CODES, Rule


@dataclass(frozen=True)
class NoteUnits:
    rule: Rule
    total: int
    timed_minutes: int


def note_units(*, note: VisitNote) -> NoteUnits:
    """The units the note's procedures bill together, by the rule they were computed
    with when saved (a later change of payer does not rewrite them); with no procedures
    yet, the rule the patient's payer on the day of service would use. Reads the note's
    procedures through `note.procedures.all()`, so a prefetch serves them."""
    lines = list(note.procedures.all())
    if lines:
        rule = Rule(lines[0].rule)
    else:
        rule = payer_terms_on(patient=note.patient, day=note.visit_on).rule
    return NoteUnits(
        rule=rule,
        total=sum(line.units for line in lines),
        timed_minutes=sum(line.minutes for line in lines if line.code in TIMED_CODES),
    )


def shown_rtm_episode(*, patient: Patient) -> RtmEpisode | None:
    """The patient's open monitoring episode, else the one that ended last; None when
    they were never monitored."""
    return (
        RtmEpisode.objects.filter(patient=patient)
        .select_related("consent_recorded_by__user", "onboarded_by__user")
        .order_by(F("ended_on").desc(nulls_first=True), "-starts_on", "-id")
        .first()
    )
