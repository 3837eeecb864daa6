"""Reads behind the calendar feed: the feed a URL's token opens, and what it shows."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from appointments.models import Appointment
from episodes.models import EpisodeClosure
from patients.models import Patient
from practice.models import CLINICIAN_ROLES, StaffMember

from ..models import CalendarFeed
from .services import token_hash

# The feed shows the last 90 days and the next year. A calendar keeps what it already
# has, so the recent past is enough to show what was attended or cancelled lately, and a
# year ahead covers any plan of care; bounded, a clinician's feed stays a small answer
# however long they have worked here.
WINDOW_BACK = datetime.timedelta(days=90)
WINDOW_AHEAD = datetime.timedelta(days=365)

# Longer than any token issued (43 characters): nothing longer is hashed and looked up.
_MAX_TOKEN = 128

# What an event is made of; the visit's notes, kind and therapist are not even read.
_EVENT_FIELDS = (
    "pk",
    "patient_id",
    "starts_at",
    "ends_at",
    "status",
    "location",
    "telehealth_url",
    "sequence",
    "created_at",
    "updated_at",
)


def calendar_feed_live(*, token: str) -> CalendarFeed | None:
    """The live feed the raw token opens, with its clinic and owner; None for an unknown
    or revoked token, for the feed of an archived patient, for one issued before the
    patient's last archiving (a reactivated patient's old URL stays dead: the archive
    may have been for a leaked URL or a person who left), for a patient's or a staff
    member's closed login, and for the schedule of staff who are no longer clinicians."""
    if not token or len(token) > _MAX_TOKEN:
        return None
    archived_since = EpisodeClosure.objects.filter(
        patient_id=OuterRef("patient_id"),
        outcome=EpisodeClosure.Outcome.ARCHIVED,
        closed_at__gte=OuterRef("created_at"),
    )
    return (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .exclude(patient__status=Patient.Status.ARCHIVED)
        .exclude(Exists(archived_since))
        # A patient without a login keeps their feed; a closed login closes it.
        .filter(
            Q(patient__isnull=True)
            | Q(patient__user__isnull=True)
            | Q(patient__user__is_active=True)
        )
        .filter(
            Q(staff__isnull=True) | Q(staff__user__is_active=True, staff__role__in=CLINICIAN_ROLES)
        )
        .select_related("clinic", "patient__user", "staff__user", "created_by")
        .first()
    )


def calendar_feed_live_for(
    *, patient: Patient | None = None, staff: StaffMember | None = None
) -> CalendarFeed | None:
    """The person's live feed, if any (its URL is never readable again)."""
    owner = {"patient": patient} if patient is not None else {"staff": staff}
    return CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).first()


def feed_window(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    return now - WINDOW_BACK, now + WINDOW_AHEAD


def feed_appointments(*, feed: CalendarFeed, now: datetime.datetime) -> QuerySet[Appointment]:
    """The feed's appointments in its window, cancelled ones included (a calendar learns
    of a cancellation only from the event coming back cancelled), in one query."""
    start, end = feed_window(now)
    rows = Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end)
    if feed.patient_id is not None:
        rows = rows.filter(patient_id=feed.patient_id)
    else:
        rows = rows.filter(therapist_id=feed.staff_id)
    return rows.only(*_EVENT_FIELDS).order_by("starts_at", "pk")
