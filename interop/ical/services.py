"""Issuing, renewing and revoking a person's calendar feed.

The raw token leaves only in the answer to the issue; the row keeps its SHA-256. A
person has one live feed at a time: issuing again (a renewal, after a URL was shared by
mistake) revokes the live one and issues another in one transaction, so exactly one URL
works at any moment.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.records import record_save
from patients.models import Patient
from practice.models import Clinic, StaffMember, User
from practice.tenancy import ensure_same_clinic, staff_of

from ..models import CalendarFeed

# 32 random bytes, as URL-safe base64: far beyond guessing, short enough for a URL.
TOKEN_BYTES = 32


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedFeed:
    """A new feed and its raw token: the only time the token exists outside the URL."""

    feed: CalendarFeed
    token: str


def _owner(
    patient: Patient | None, staff: StaffMember | None
) -> tuple[Clinic, dict[str, Patient | StaffMember]]:
    if (patient is None) == (staff is None):
        raise ValueError("Give exactly one of patient and staff.")
    if patient is not None:
        return patient.clinic, {"patient": patient}
    if staff is None:  # for the type checker: refused above
        raise ValueError("Give exactly one of patient and staff.")
    return staff.clinic, {"staff": staff}


def _check_actor(clinic: Clinic, owner: Patient | StaffMember, actor: User) -> None:
    """Staff act for their own clinic; anyone else only for themselves (the operator,
    who works at no clinic, for anyone)."""
    actor_staff = staff_of(actor)
    if actor_staff is not None:
        ensure_same_clinic(clinic, actor=actor_staff)
    elif not actor.is_superuser and owner.user_id != actor.pk:
        raise ValidationError("You can manage only your own calendar feed.")


def _lock_owner(owner: Patient | StaffMember) -> None:
    # Two issues racing for one person queue here: the second revokes the first's feed
    # instead of failing on the one-live-feed constraint.
    type(owner)._default_manager.select_for_update().filter(pk=owner.pk).first()


def _revoke_live(owner: dict[str, Patient | StaffMember], actor: User) -> CalendarFeed | None:
    live = CalendarFeed.objects.select_for_update().filter(revoked_at__isnull=True, **owner).first()
    if live is None:
        return None
    live.revoked_at = timezone.now()
    live.revoked_by = actor
    live.save(update_fields=["revoked_at", "revoked_by"])
    return live


@transaction.atomic
def calendar_feed_issue(
    *, patient: Patient | None = None, staff: StaffMember | None = None, actor: User
) -> IssuedFeed:
    """A new feed of the patient's appointments or the clinician's schedule, revoking the
    live one if there is one."""
    clinic, owner = _owner(patient, staff)
    person = next(iter(owner.values()))
    _check_actor(clinic, person, actor)
    if patient is not None and patient.status == Patient.Status.ARCHIVED:
        raise ValidationError({"patient": "An archived patient has no calendar feed."})
    if staff is not None and not staff.is_clinician:
        raise ValidationError({"staff": "Only clinicians have a schedule to subscribe to."})
    _lock_owner(person)
    _revoke_live(owner, actor)
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed(clinic=clinic, token_hash=token_hash(raw), created_by=actor, **owner)
    record_save(feed, actor=actor)
    return IssuedFeed(feed=feed, token=raw)


@transaction.atomic
def calendar_feed_revoke(
    *, patient: Patient | None = None, staff: StaffMember | None = None, actor: User
) -> CalendarFeed | None:
    """Stop the live feed's URL; the row stays. None when no feed was live (revoking
    again changes nothing, as a retried request expects)."""
    clinic, owner = _owner(patient, staff)
    person = next(iter(owner.values()))
    _check_actor(clinic, person, actor)
    _lock_owner(person)
    return _revoke_live(owner, actor)
