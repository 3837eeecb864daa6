"""A patient on hold: the program's messages stop, and a medical hold tells the patient
what to do now.

- Either hold (medical, after a red flag; referral, after a serious-pathology flag)
  stops exercise, questionnaire, nudge and inactivity messages: the planner's passes
  skip held patients, rows already planned are cancelled here with the reason, and
  the delivery task refuses any row already claimed (`cancel_rules.cancel_reason`).
- A medical hold is an emergency: the patient gets the emergency guidance once per
  hold, at once and at any hour, on their best channel (push, then SMS, then email,
  each with their consent). The hold's start is in the row's source, and a partial
  unique index on that source keeps it to one row even when two passes plan it at the
  same moment on different channels.

Runs every minute from the tick, and in every planning pass.
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import Q
from django.utils import timezone

from patients.models import Patient

from .. import rules
from ..models import Channel, Kind, Notification
from .base import PATIENT_FIELDS, annotation, chunks, has_device, patient_row
from .writer import BATCH_SIZE, Writer

logger = logging.getLogger(__name__)

# A hold older than this when first seen (a planner outage, a new deployment) is the
# clinic's to follow up by phone: the guidance is for the moment the flag is raised.
GUIDANCE_WINDOW = datetime.timedelta(hours=24)


def emergency_channel(patient: Patient, *, has_device: bool) -> str | None:
    """Push, then SMS, then email: the first the patient agreed to and can be reached
    on. Quiet hours do not apply: this is the emergency path."""
    for channel in (Channel.PUSH, Channel.SMS, Channel.EMAIL):
        if rules.channel_allowed(patient, channel, has_device=has_device):
            return channel
    return None


def plan_holds(*, now: datetime.datetime, writer: Writer) -> None:
    """Both halves in one read of the held patients (few at any time)."""
    held = list(
        Patient.objects.filter(
            Q(medical_hold_since__isnull=False) | Q(referral_hold_since__isnull=False)
        )
        .annotate(has_device=has_device("pk"))
        .only(*PATIENT_FIELDS)
        .order_by("pk")
    )
    if not held:
        return
    for batch in chunks(held, BATCH_SIZE):
        _cancel([p.pk for p in batch if p.on_medical_hold], rules.MEDICAL_HOLD_REASON, writer)
        referral = [p.pk for p in batch if not p.on_medical_hold]
        _cancel(referral, rules.REFERRAL_HOLD_REASON, writer)
    _plan_guidance(
        [
            (p, since)
            for p in held
            if p.status == Patient.Status.ACTIVE
            and (since := p.medical_hold_since) is not None
            and now - GUIDANCE_WINDOW < since <= now
        ],
        writer=writer,
    )


def _plan_guidance(held: list[tuple[Patient, datetime.datetime]], *, writer: Writer) -> None:
    """The guidance to each patient on medical hold since the moment paired with them."""
    if not held:
        return
    sources = {p.pk: rules.hold_source(p.pk, since) for p, since in held}
    planned = set(
        Notification.objects.filter(source__in=sources.values()).values_list("source", flat=True)
    )
    for patient, since in held:
        if sources[patient.pk] in planned:
            continue
        channel = emergency_channel(patient, has_device=annotation(patient, "has_device"))
        if channel is None:
            logger.warning("Patient %s is on medical hold and cannot be reached.", patient.pk)
            continue
        writer.add(
            patient_row(
                patient,
                kind=Kind.HOLD_GUIDANCE,
                channel=channel,
                source=sources[patient.pk],
                at=since,
            ),
            new=True,
        )


def _cancel(patient_ids: list[int], reason: str, writer: Writer) -> None:
    """Cancel these held patients' pending program messages, with the hold as the reason."""
    if not patient_ids:
        return
    # Inactivity alerts go to the therapist and name the patient only in their source.
    inactive = Q(pk__in=[])
    for pk in patient_ids:
        inactive |= Q(source__startswith=f"inactive:{pk}:")
    rows = Notification.objects.filter(status=Notification.Status.PENDING).filter(
        Q(patient_id__in=patient_ids, kind__in=rules.HELD_KINDS)
        | (Q(kind=Kind.INACTIVITY_ALERT) & inactive)
    )
    kinds = list(rows.values_list("kind", flat=True))
    if kinds:
        rows.update(
            status=Notification.Status.CANCELLED, last_error=reason, updated_at=timezone.now()
        )
        writer.result.cancelled_by_kind.update(kinds)
