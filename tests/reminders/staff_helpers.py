"""Staff with alert contacts, and an inline tick, for the alert tests."""

from __future__ import annotations

import datetime

import time_machine

from practice.models import StaffMember
from reminders import services, tasks
from reminders.channels import Message
from reminders.models import Notification
from tests.factories import make_staff

# Words that must never reach a lock screen or an inbox preview: the patient, their
# symptoms, their diagnosis.
HEALTH_WORDS = (
    "alex",
    "rivera",
    "foot drop",
    "bowel",
    "bladder",
    "saddle",
    "weakness",
    "red flag",
    "red-flag",
    "pain",
    "leg",
    "herniat",
    "sciatica",
    "disc",
    "stenosis",
    "cancer",
    "referral",
)


def staff(clinic, role: str, username: str, *, email: bool = True, **contact) -> StaffMember:
    """A staff member with a login email (unless `email=False`) and, given any of phone,
    consent_email, consent_sms, consent_push or device, an alert contact."""
    member = make_staff(clinic=clinic, role=role, username=username)
    if email:
        member.user.email = f"{username}@example.com"
        member.user.save(update_fields=["email"])
    device = contact.pop("device", None)
    if contact:
        services.staff_contact_update(staff=member, actor=member.user, **contact)
    if device:
        services.staff_device_register(staff=member, token=device, platform="ios")
    return member


def who(messages: list[Message]) -> set[tuple[str, str]]:
    """(username, channel) of each message, for a readable comparison."""
    rows = Notification.objects.select_related("staff__user", "patient").in_bulk(
        [m.notification_id for m in messages]
    )
    result = set()
    for message in messages:
        row = rows[message.notification_id]
        name = row.staff.user.username if row.staff is not None else f"patient:{row.patient_id}"
        result.add((name, message.channel))
    return result


def kinds(messages: list[Message]) -> set[str]:
    return {m.kind for m in messages}


def health_words(messages: list[Message]) -> list[str]:
    text = " ".join(f"{m.subject} {m.body}" for m in messages).lower()
    return [word for word in HEALTH_WORDS if word in text]


def make_tick(recording, capture_on_commit, monkeypatch):
    """A function running the minutely tick at a given instant, delivering inline;
    it returns the messages sent by that tick."""
    monkeypatch.setattr(tasks.deliver_batch, "delay", tasks.deliver_batch)

    def tick(at: datetime.datetime) -> list[Message]:
        before = len(recording.sent)
        with time_machine.travel(at, tick=False), capture_on_commit(execute=True):
            tasks.tick()
        return recording.sent[before:]

    return tick
