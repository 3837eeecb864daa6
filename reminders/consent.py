"""Replies to the practice's texts (STOP, START, HELP) and the outbox's side of a
withdrawn consent.

Keywords follow the carriers' conventions as Twilio applies them by default: a keyword
is the whole message, in any case; we also ignore surrounding whitespace and
punctuation ("Stop.", " stop! "), while "Stop texting me at night" is a message for the
clinic, not an opt-out. With Twilio's Advanced Opt-Out the request names the keyword's
type itself (`OptOutType`), which also covers keywords configured there (other
languages). Twilio sends its own confirmation of STOP and START, so those get an empty
answer; HELP is answered with the clinic's name and phone (turn off the Messaging
Service's own HELP reply, or the patient gets two).

Replays: the provider's signature covers the URL and the form fields but no time, and
the request carries no timestamp, so a captured STOP or START could be posted again at
any moment (and the provider retries a request that timed out). The signed MessageSid
is the message's identity: every reply applied is written into the history row of each
patient it reached, even when it changed nothing, and a MessageSid already there is not
applied again. A STOP replayed after the patient opted back in (START, the app, staff;
`consent_sms_changed_at` is then later than the STOP) therefore changes nothing, and
neither does a replayed START after a later STOP. The history is where an audit of
consent looks anyway, so it doubles as the record of the messages processed.
"""

from __future__ import annotations

import datetime
import enum
import re

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.records import record_save
from patients.consent import ConsentSource, consent_references_seen, patient_consent_update
from patients.models import Patient
from practice.models import Clinic

from .models import Channel, Notification, StaffContact

OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_WORDS = frozenset({"HELP", "INFO"})

_EDGES = re.compile(r"^[\W_]+|[\W_]+$")

STOP_REASON = "The patient replied STOP."
STAFF_STOP_REASON = "The staff member replied STOP."
WITHDRAWN_REASON = "The patient withdrew consent to this channel."

_HELP = (
    "{lead} from your physical therapy clinic. For help, {contact}. "
    "Reply STOP to stop these texts, START to get them again. "
    "In an emergency, call your local emergency number."
)
GENERIC_HELP = _HELP.format(lead="Reminders", contact="contact your clinic")


class Keyword(enum.Enum):
    STOP = "STOP"
    START = "START"
    HELP = "HELP"


def keyword_of(body: str, *, opt_out_type: str = "") -> Keyword | None:
    """The keyword a reply is, or None for an ordinary message."""
    declared = opt_out_type.strip().upper()
    if declared in Keyword.__members__:
        return Keyword[declared]
    word = _EDGES.sub("", body).upper()
    if word in OPT_OUT_WORDS:
        return Keyword.STOP
    if word in OPT_IN_WORDS:
        return Keyword.START
    if word in HELP_WORDS:
        return Keyword.HELP
    return None


def sms_reply_receive(
    *, phone: str, body: str, message_sid: str = "", opt_out_type: str = ""
) -> str:
    """Act on a patient's reply; the text to answer with ("" for no answer)."""
    keyword = keyword_of(body, opt_out_type=opt_out_type)
    if not phone or keyword is None:
        return ""
    if keyword is Keyword.STOP:
        sms_opt_out(phone=phone, message_sid=message_sid)
        return ""
    if keyword is Keyword.START:
        sms_opt_in(phone=phone, message_sid=message_sid)
        return ""
    return sms_help_text(phone=phone)


def _sms_consent_set(*, phone: str, consent: bool, message_sid: str) -> list[Patient]:
    """Set SMS consent of every patient with that number, each once per message; the
    patients this message reached (changed or not)."""
    patients = list(Patient.objects.select_for_update().filter(phone=phone).order_by("pk"))
    seen = consent_references_seen(
        patient_ids=[p.pk for p in patients], source=ConsentSource.SMS_REPLY, reference=message_sid
    )
    reached = [p for p in patients if p.pk not in seen]
    for patient in reached:
        patient_consent_update(
            patient=patient, source=ConsentSource.SMS_REPLY, sms=consent, reference=message_sid
        )
    return reached


def _staff_sms_withdraw(*, phone: str, message_sid: str) -> list[int]:
    """Withdraw the urgent-alert texts of every staff member whose alert contact has that
    number, each once per message as for patients (the contact's history keeps the
    MessageSid); the staff members it reached. START does not give them back: a staff
    member turns alert texts on again in their own contact settings."""
    how = f"{ConsentSource.SMS_REPLY.value} {message_sid}".strip()
    contacts = list(StaffContact.objects.select_for_update().filter(phone=phone).order_by("pk"))
    seen: set[int] = set()
    if message_sid:
        seen = set(
            StaffContact.history.filter(
                id__in=[c.pk for c in contacts], history_change_reason__startswith=f"{how}:"
            ).values_list("id", flat=True)
        )
    reached = [c for c in contacts if c.pk not in seen]
    for contact in reached:
        what = "SMS consent withdrawn" if contact.consent_sms else "consent unchanged"
        contact.consent_sms = False
        contact._change_reason = f"{how}: {what}"  # type: ignore[attr-defined]
        record_save(contact, update_fields=["consent_sms", "updated_at"])
    return [c.staff_id for c in reached]


@transaction.atomic
def sms_opt_out(*, phone: str, message_sid: str = "") -> int:
    """A STOP reply withdraws SMS consent of every patient with that number and cancels
    the texts waiting for them; how many patients it reached. A staff member's phone
    replying STOP stops their alert texts the same way: the provider blocks the number
    after a STOP, so texts planned for it would only fail."""
    reached = _sms_consent_set(phone=phone, consent=False, message_sid=message_sid)
    notifications_cancel_channel(
        patient_ids=[p.pk for p in reached],
        channel=Channel.SMS,
        reason=STOP_REASON,
    )
    staff_ids = _staff_sms_withdraw(phone=phone, message_sid=message_sid)
    if staff_ids:
        _pending_cancel(
            Notification.objects.filter(staff_id__in=staff_ids, channel=Channel.SMS),
            reason=STAFF_STOP_REASON,
        )
    return len(reached)


@transaction.atomic
def sms_opt_in(*, phone: str, message_sid: str = "") -> int:
    """A START reply gives SMS consent back to every patient with that number; how many
    patients it reached. Texts cancelled by the STOP stay cancelled: the planner plans
    what is still to come."""
    return len(_sms_consent_set(phone=phone, consent=True, message_sid=message_sid))


def sms_help_text(*, phone: str) -> str:
    """The answer to HELP: the clinic of the patients with that number, or a generic
    answer when there is none or more than one. No patient's name or health detail."""
    clinics = list(Clinic.objects.filter(patients__phone=phone).distinct().order_by("pk")[:2])
    if len(clinics) != 1:
        return GENERIC_HELP
    clinic = clinics[0]
    contact = f"call {clinic.phone}" if clinic.phone.strip() else "contact the clinic"
    return _HELP.format(lead=f"{clinic.name}: reminders", contact=contact)


def notifications_cancel_channel(*, patient_ids: list[int], channel: str, reason: str) -> int:
    """Cancel the patients' own messages on `channel` still waiting to be sent, in one
    statement. Messages to staff about these patients are not theirs and stay."""
    if not patient_ids:
        return 0
    return _pending_cancel(
        Notification.objects.filter(
            patient_id__in=patient_ids, staff__isnull=True, channel=channel
        ),
        reason=reason,
    )


def _pending_cancel(rows: QuerySet[Notification], *, reason: str) -> int:
    """Cancel those of `rows` still waiting to be sent, with the reason the outbox shows."""
    return rows.filter(status=Notification.Status.PENDING).update(
        status=Notification.Status.CANCELLED, last_error=reason, updated_at=timezone.now()
    )


def notifications_cancel_unconsented(*, now: datetime.datetime) -> int:
    """Cancel every waiting message to a patient on a channel they no longer consent to,
    in one statement: consent withdrawn in the app, the admin or the staff API, which
    cannot reach the outbox themselves. For the planner's pass."""
    unconsented = (
        Q(channel=Channel.SMS, patient__consent_sms=False)
        | Q(channel=Channel.EMAIL, patient__consent_email=False)
        | Q(channel=Channel.PUSH, patient__consent_push=False)
    )
    return (
        Notification.objects.filter(
            unconsented,
            status=Notification.Status.PENDING,
            patient__isnull=False,
            staff__isnull=True,
        )
        .order_by()
        .update(status=Notification.Status.CANCELLED, last_error=WITHDRAWN_REASON, updated_at=now)
    )
