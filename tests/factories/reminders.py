"""Reminder settings, contacts, devices and outbox rows."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from core.records import record_save
from patients.models import Patient
from practice.models import Clinic, StaffMember, User
from reminders import services as reminder_services
from reminders.models import (
    Channel,
    ClinicReminderSettings,
    Device,
    Kind,
    Notification,
    StaffContact,
    StaffDevice,
)

from .patients import patient_and_clinician
from .practice import ClinicFactory, make_staff

_tokens = itertools.count(1)
_sources = itertools.count(1)


def make_reminder_settings(
    *, clinic: Clinic | None = None, **fields: Any
) -> ClinicReminderSettings:
    """A clinic's reminder settings, the defaults changed by `fields`, validated as the
    admin validates them."""
    clinic = clinic or ClinicFactory.create()
    settings = ClinicReminderSettings.objects.filter(clinic=clinic).first()
    settings = settings or ClinicReminderSettings(clinic=clinic)
    for name, value in fields.items():
        setattr(settings, name, value)
    record_save(settings)
    return settings


def make_device(
    *, patient: Patient | None = None, token: str = "", platform: str = Device.Platform.IOS
) -> Device:
    patient = patient or patient_and_clinician(None, None)[0]
    device, _ = reminder_services.device_register(
        patient=patient, token=token or f"patient-token-{next(_tokens)}", platform=platform
    )
    return device


def make_staff_device(
    *, staff: StaffMember | None = None, token: str = "", platform: str = Device.Platform.IOS
) -> StaffDevice:
    device, _ = reminder_services.staff_device_register(
        staff=staff or make_staff(),
        token=token or f"staff-token-{next(_tokens)}",
        platform=platform,
    )
    return device


def make_staff_contact(
    *, staff: StaffMember | None = None, actor: User | None = None, **contact: Any
) -> StaffContact:
    """A staff member's alert contact, entered by themselves unless `actor` is given;
    `contact` takes phone, consent_email, consent_sms and consent_push."""
    staff = staff or make_staff()
    return reminder_services.staff_contact_update(staff=staff, actor=actor or staff.user, **contact)


def make_notification(
    patient: Patient | None = None,
    *,
    staff: StaffMember | None = None,
    kind: str = Kind.EXERCISE,
    channel: str = Channel.EMAIL,
    at: datetime.datetime | None = None,
    source: str = "",
    **fields: Any,
) -> Notification:
    """An outbox row as the planner writes it, for the patient or for `staff` (or both: a
    staff message may name the patient it is about), scheduled and due to send `at`
    (an hour from now unless given). `fields` sets the rest (status, attempts...)."""
    if patient is not None:
        clinic = patient.clinic
    elif staff is not None:
        clinic = staff.clinic
    else:
        patient = patient_and_clinician(None, None)[0]
        clinic = patient.clinic
    when = at or timezone.now() + datetime.timedelta(hours=1)
    return Notification.objects.create(
        clinic=clinic,
        patient=patient,
        staff=staff,
        kind=kind,
        channel=channel,
        source=source or f"test:{kind}:{next(_sources)}",
        scheduled_for=fields.pop("scheduled_for", when),
        next_attempt_at=fields.pop("next_attempt_at", when),
        **fields,
    )
