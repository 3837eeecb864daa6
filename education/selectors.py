"""Which education topics a patient reads, and in what order.

A topic fits a patient when each of its lists (causes, phases) is empty or holds the
patient's value, taken from their latest diagnosis: its cause, and its phase (acute,
subacute, chronic) from the onset date on the patient's own calendar day. A patient
without a diagnosis has no cause or phase, so only the general topics fit.

Topics chosen for the patient's cause or phase come first (those matching both before
those matching one), then the general ones, each group in the library's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.localtime import local_today
from patients.models import Chronicity, Diagnosis, Patient

from .models import Topic

CAUSE = "cause"
PHASE = "phase"


@dataclass(frozen=True)
class EducationProfile:
    cause: str | None
    phase: Chronicity | None


def education_profile(*, patient: Patient) -> EducationProfile:
    diagnosis = (
        Diagnosis.objects.filter(patient=patient)
        .order_by("-diagnosed_on", "-id")
        .only("cause", "onset_date")
        .first()
    )
    if diagnosis is None:
        return EducationProfile(cause=None, phase=None)
    return EducationProfile(
        cause=diagnosis.cause, phase=diagnosis.chronicity(today=local_today(patient.time_zone))
    )


def _matches(topic: Topic, profile: EducationProfile) -> tuple[str, ...] | None:
    """What the topic was chosen for, or None when it does not fit the patient."""
    matches = []
    dimensions = ((CAUSE, topic.causes, profile.cause), (PHASE, topic.phases, profile.phase))
    for label, wanted, value in dimensions:
        if not wanted:
            continue
        if value not in wanted:
            return None
        matches.append(label)
    return tuple(matches)


def topics_for_patient(*, patient: Patient) -> list[Topic]:
    """The active topics that fit the patient, best fitting first (see module doc).

    Each topic's `matches` says whether it was chosen for the cause, the phase or both.
    Two queries, however many topics there are."""
    profile = education_profile(patient=patient)
    fitting = []
    for topic in Topic.objects.filter(is_active=True).order_by("order", "slug"):
        matches = _matches(topic, profile)
        if matches is not None:
            topic.matches = matches
            fitting.append(topic)
    # sorted() is stable, so each group keeps the library's order.
    return sorted(fitting, key=lambda topic: -len(topic.matches))


def topic_for_patient(*, patient: Patient, slug: str) -> Topic | None:
    """One of the patient's topics by slug; None for a slug that is not among them."""
    return next((t for t in topics_for_patient(patient=patient) if t.slug == slug), None)
