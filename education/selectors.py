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
from typing import Any

from django.db import connection

from core.localtime import local_today
from core.translations import translation_columns
from patients.models import Chronicity, Diagnosis, Patient

from .models import Topic

CAUSE = "cause"
PHASE = "phase"
LATEST_DIAGNOSIS = ("-diagnosed_on", "-id")  # the latest first


@dataclass(frozen=True)
class EducationProfile:
    cause: str | None
    phase: Chronicity | None


def education_profile(*, patient: Patient) -> EducationProfile:
    diagnosis = (
        Diagnosis.objects.filter(patient=patient)
        .order_by(*LATEST_DIAGNOSIS)
        .only("cause", "onset_date")
        .first()
    )
    return profile_from(diagnosis, patient=patient)


def profile_from(diagnosis: Diagnosis | None, *, patient: Patient) -> EducationProfile:
    """The profile given the patient's latest diagnosis (its cause and onset date), for
    a caller that read it along with something else."""
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


def topics_for_patient(
    *,
    patient: Patient,
    profile: EducationProfile | None = None,
    active: list[Topic] | None = None,
) -> list[Topic]:
    """The active topics that fit the patient, best fitting first (see module doc).

    Each topic's `matches` says whether it was chosen for the cause, the phase or both.
    Two queries, however many topics there are; none when given the patient's `profile`
    and the `active` topics in the library's order (`topic_links_from`)."""
    if profile is None:
        profile = education_profile(patient=patient)
    if active is None:
        active = list(Topic.objects.filter(is_active=True).order_by("order", "slug"))
    fitting = []
    for topic in active:
        matches = _matches(topic, profile)
        if matches is not None:
            topic.matches = matches
            fitting.append(topic)
    # sorted() is stable, so each group keeps the library's order.
    return sorted(fitting, key=lambda topic: -len(topic.matches))


# What a link to a topic needs, and what choosing it reads; the title in every language,
# so that the model's translated `title` answers in the active one with its fallback.
_LINK_FIELDS = ("id", "slug", *translation_columns("title"), "causes", "phases")


def active_topic_links_sql() -> str:
    """SQL for a JSON array of the active topics' link fields in the library's order, as
    a subquery for a caller that reads the topics with something else (PostgreSQL)."""
    table = connection.ops.quote_name(Topic._meta.db_table)
    columns = {name: _column(name) for name in _LINK_FIELDS}
    pairs = ", ".join(f"'{name}', t.{column}" for name, column in columns.items())
    order, active = _column("order"), _column("is_active")
    return (
        f"SELECT COALESCE(jsonb_agg(jsonb_build_object({pairs})"  # noqa: S608 (names only)
        f" ORDER BY t.{order}, t.{columns['slug']}), '[]'::jsonb)"
        f" FROM {table} t WHERE t.{active}"
    )


def _column(name: str) -> str:
    return connection.ops.quote_name(Topic._meta.get_field(name).column)  # type: ignore[union-attr,arg-type]


def topic_links_from(rows: list[dict[str, Any]]) -> list[Topic]:
    """The topics of `active_topic_links_sql`'s array: link fields only, for a page that
    links to them (their bodies stay unread)."""
    return [Topic(**{name: row[name] for name in _LINK_FIELDS}) for row in rows]


def topic_for_patient(*, patient: Patient, slug: str) -> Topic | None:
    """One of the patient's topics by slug; None for a slug that is not among them."""
    return next((t for t in topics_for_patient(patient=patient) if t.slug == slug), None)
