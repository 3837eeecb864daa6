"""Consent to be contacted, channel by channel: the one write to a patient record that
always saves.

Withdrawing consent is the patient's right and, for texts, the practice's legal duty
(TCPA; carriers' STOP rules), so it must not fail because something else in the record
no longer passes today's rules: a primary therapist whose role has changed, a phone
number stored under older validation. It writes and validates only the consent fields
(and, for SMS, `consent_sms_changed_at`), and the record's history keeps who acted and
how the change came: an SMS reply (with the provider's message id), the app, or staff.

Messages already planned for a withdrawn channel are the outbox's business
(`reminders.consent`): cancelled at once for an SMS reply, on the planner's next pass
otherwise, and the delivery asks for consent again just before it sends.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from django.db import transaction
from django.utils import timezone

from core.records import record_save
from practice.models import User

from .models import Patient

Channel = Literal["email", "sms", "push"]

# Channel names as the outbox spells them (reminders.Channel) -> the patient's field.
CONSENT_FIELDS: dict[Channel, str] = {
    "email": "consent_email",
    "sms": "consent_sms",
    "push": "consent_push",
}
_LABELS = {"email": "email", "sms": "SMS", "push": "push"}
_REASON_MAX = Patient.history.model._meta.get_field("history_change_reason").max_length


class ConsentSource(enum.Enum):
    """How a consent change reached the practice; named in the record's history."""

    SMS_REPLY = "SMS reply"
    APP = "The patient in the app"
    STAFF = "Staff"


@dataclass(frozen=True)
class ConsentChange:
    patient: Patient
    given: frozenset[str]
    withdrawn: frozenset[str]

    @property
    def changed(self) -> bool:
        return bool(self.given or self.withdrawn)


def _how(source: ConsentSource, reference: str) -> str:
    return f"{source.value} {reference}".strip()


def _reason(
    source: ConsentSource, reference: str, given: Iterable[str], withdrawn: Iterable[str]
) -> str:
    parts = [f"{_LABELS[c]} consent given" for c in sorted(given)]
    parts += [f"{_LABELS[c]} consent withdrawn" for c in sorted(withdrawn)]
    what = ", ".join(parts) or "consent unchanged"
    # The reference comes first so that no truncation can cut it.
    return f"{_how(source, reference)}: {what}"[:_REASON_MAX]


@transaction.atomic
def patient_consent_update(
    *,
    patient: Patient,
    source: ConsentSource,
    actor: User | None = None,
    email: bool | None = None,
    sms: bool | None = None,
    push: bool | None = None,
    reference: str = "",
) -> ConsentChange:
    """Give (True) or withdraw (False) consent per channel; None leaves a channel alone.

    Only the consent fields are written and validated, so this succeeds whatever else
    the stored record holds. `reference` names what carried the change (an SMS reply's
    message id); it is kept in the history even when nothing changed, so that the same
    message is recognised if it arrives again (`consent_references_seen`).
    """
    asked: tuple[tuple[Channel, bool | None], ...] = (
        ("email", email),
        ("sms", sms),
        ("push", push),
    )
    wanted = {channel: value for channel, value in asked if value is not None}
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    given = frozenset(c for c, v in wanted.items() if v and not getattr(locked, CONSENT_FIELDS[c]))
    withdrawn = frozenset(
        c for c, v in wanted.items() if not v and getattr(locked, CONSENT_FIELDS[c])
    )
    changed = given | withdrawn
    if not changed and not (reference and wanted):
        return ConsentChange(patient=patient, given=given, withdrawn=withdrawn)
    fields = [CONSENT_FIELDS[c] for c in sorted(changed or wanted)]
    for channel in changed:
        setattr(locked, CONSENT_FIELDS[channel], channel in given)
    if changed:
        fields.append("updated_at")
    if "sms" in changed:
        locked.consent_sms_changed_at = timezone.now()
        fields.append("consent_sms_changed_at")
    # django-simple-history's way to give the history row a reason.
    locked._change_reason = _reason(source, reference, given, withdrawn)  # type: ignore[attr-defined]
    try:
        record_save(locked, actor=actor, update_fields=fields)
    finally:
        del locked._change_reason  # type: ignore[attr-defined]
    # The caller's instance sees the change too (a later full save must not undo it).
    for name in fields:
        setattr(patient, name, getattr(locked, name))
    return ConsentChange(patient=patient, given=given, withdrawn=withdrawn)


class ConsentChoices(TypedDict, total=False):
    """The channels a form or request sets, as `patient_consent_update` takes them."""

    email: bool
    sms: bool
    push: bool


def consent_fields_split(fields: dict[str, Any]) -> tuple[ConsentChoices, dict[str, Any]]:
    """Split the `consent_<channel>` fields of a form or request from the rest:
    ({channel: value}, the other fields), for `patient_consent_update(**consent)`."""
    consent: ConsentChoices = {}
    for channel, field in CONSENT_FIELDS.items():
        if field in fields:
            consent[channel] = bool(fields[field])
    consent_fields = set(CONSENT_FIELDS.values())
    return consent, {k: v for k, v in fields.items() if k not in consent_fields}


def consent_references_seen(
    *, patient_ids: Iterable[int], source: ConsentSource, reference: str
) -> set[int]:
    """Those of the patients whose history already holds a change carried by
    `reference` (say, an SMS reply's message id)."""
    if not reference:
        return set()
    return set(
        Patient.history.filter(
            id__in=list(patient_ids),
            history_change_reason__startswith=f"{_how(source, reference)}:",
        ).values_list("id", flat=True)
    )
