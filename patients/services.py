"""The patients app's writes: registering and updating patients, their status and app
login here; diagnoses, consent, screenings and holds, and alerts in their own modules,
offered here too so that callers have one place to import them from."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.localtime import local_today
from core.records import record_save
from practice.logins import user_set_active
from practice.models import Clinic, StaffMember, User
from practice.passwords import password_check_new
from practice.services import user_ensure_username_free, user_insert
from practice.tenancy import ensure_same_clinic

from .alerts import (
    alert_acknowledge,
    alert_raise,
    alert_resolve,
    alerts_acknowledge,
    alerts_resolve,
    alerts_resolve_selected,
)
from .consent import ConsentChange, ConsentSource, consent_fields_split, patient_consent_update
from .diagnoses import diagnosis_record, diagnosis_update_notes
from .models import Patient, PatientInvite
from .schedule_changes import patient_schedule_changed
from .screening import (
    EMERGENCY_GUIDANCE,
    REFERRAL_GUIDANCE,
    hold_refusal,
    medical_hold_clear,
    red_flag_screen,
    referral_outcome_record,
)

__all__ = [
    "EMERGENCY_GUIDANCE",
    "PATIENT_CONTACT_FIELDS",
    "PATIENT_FIELDS",
    "PATIENT_IDENTITY_FIELDS",
    "PATIENT_PREFERENCE_FIELDS",
    "PATIENT_REFERRAL_FIELDS",
    "REFERRAL_GUIDANCE",
    "ConsentChange",
    "ConsentSource",
    "Invitation",
    "alert_acknowledge",
    "alert_raise",
    "alert_resolve",
    "alerts_acknowledge",
    "alerts_resolve",
    "alerts_resolve_selected",
    "consent_fields_split",
    "diagnosis_record",
    "diagnosis_update_notes",
    "hold_refusal",
    "medical_hold_clear",
    "patient_activate",
    "patient_consent_update",
    "patient_invite",
    "patient_register",
    "patient_schedule_changed",
    "patient_set_status",
    "patient_update",
    "red_flag_screen",
    "referral_outcome_record",
]

# What a patient may change through registration and updates, in groups that the admin
# form and the API lay out in this order; the clinic, the hold and the status have
# services of their own.
PATIENT_IDENTITY_FIELDS = ("mrn", "first_name", "last_name", "date_of_birth")
PATIENT_CONTACT_FIELDS = ("email", "phone", "time_zone")
PATIENT_PREFERENCE_FIELDS = (
    "language",
    "consent_email",
    "consent_sms",
    "consent_push",
    "quiet_hours_start",
    "quiet_hours_end",
)
PATIENT_REFERRAL_FIELDS = ("referral", "referring_physician", "referral_date")
PATIENT_FIELDS = frozenset(
    {
        *PATIENT_IDENTITY_FIELDS,
        *PATIENT_CONTACT_FIELDS,
        *PATIENT_PREFERENCE_FIELDS,
        "primary_therapist",
        *PATIENT_REFERRAL_FIELDS,
        "user",
    }
)


def _patient_date_errors(patient: Patient, *, written: set[str]) -> dict[str, str]:
    """The dates this write sets, checked (core.dates); a date stored before the rule
    and not written now blocks nothing."""
    today = local_today(patient.clinic.time_zone)
    born: datetime.date | None = patient.date_of_birth
    referred = patient.referral_date
    errors: dict[str, str] = {}
    if "date_of_birth" in written and born is not None:
        message = dates.implausible_date(
            born, label="date of birth", today=today, earliest=dates.EARLIEST_BIRTH
        )
        if message:
            errors["date_of_birth"] = message
            born = None  # an implausible birth date says nothing about the referral's
        elif "referral_date" not in written and referred is not None and referred < born:
            errors["date_of_birth"] = (
                f"{born.isoformat()} is not a plausible date of birth: it is after the "
                f"referral date ({referred.isoformat()})."
            )
    if "referral_date" in written and referred is not None:
        message = dates.implausible_date(
            referred,
            label="referral date",
            today=today,
            earliest=dates.EARLIEST_RECORD,
            born=born,
        )
        if message:
            errors["referral_date"] = message
    return errors


def _mrn_errors(patient: Patient, *, written: set[str]) -> dict[str, str]:
    """The MRN is the clinic's own number for the patient, so one per patient in a clinic
    (a database constraint too; checked here to name the field)."""
    if "mrn" not in written:
        return {}
    taken = Patient.objects.filter(clinic_id=patient.clinic_id, mrn=patient.mrn)
    if patient.pk is not None:
        taken = taken.exclude(pk=patient.pk)
    return {"mrn": "Another patient of this clinic has this MRN."} if taken.exists() else {}


def _apply_patient_fields(patient: Patient, fields: dict[str, Any]) -> None:
    unknown = set(fields) - PATIENT_FIELDS
    if unknown:
        raise ValidationError(f"Unknown patient fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(patient, name, value)
    errors = _mrn_errors(patient, written=set(fields))
    if patient.referral == Patient.Referral.PHYSICIAN:
        if not patient.referring_physician:
            errors["referring_physician"] = "A physician referral names the physician."
        if patient.referral_date is None:
            errors["referral_date"] = "A physician referral has a date."
    if errors:
        raise ValidationError(errors)
    errors = _patient_date_errors(patient, written=set(fields))
    if errors:
        raise ValidationError(errors)
    if patient.primary_therapist is not None:
        ensure_same_clinic(patient.clinic, primary_therapist=patient.primary_therapist)
        if not patient.primary_therapist.is_clinician:
            raise ValidationError(
                {"primary_therapist": f"{patient.primary_therapist} is not a clinician."}
            )


@transaction.atomic
def patient_register(*, clinic: Clinic, actor: User | None = None, **fields: Any) -> Patient:
    patient = Patient(clinic=clinic)
    _apply_patient_fields(patient, fields)
    record_save(patient, actor=actor)
    patient_schedule_changed(patient_id=patient.pk)
    return patient


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    actor: User | None = None,
    consent_source: ConsentSource = ConsentSource.STAFF,
    **fields: Any,
) -> Patient:
    """Change a patient's details. Consent fields go through `patient_consent_update`
    (`consent_source` says who asked), so a consent change alone saves whatever else the
    stored record holds; the other fields are checked with the whole record."""
    consent, fields = consent_fields_split(fields)
    if consent:
        patient_consent_update(patient=patient, source=consent_source, actor=actor, **consent)
    if fields or not consent:
        _apply_patient_fields(patient, fields)
        record_save(patient, actor=actor)
    if "time_zone" in fields:  # local reminder times and due dates move with the zone
        patient_schedule_changed(patient_id=patient.pk)
    return patient


@transaction.atomic
def patient_set_status(*, patient: Patient, status: str, actor: User | None = None) -> Patient:
    """The status field alone. Staff discharge, archive and reactivate through
    episodes.services, which also closes the episode of care (programs, appointments,
    reminders) and calls this as its last step. Archiving is how a patient is 'deleted'."""
    was = Patient.objects.filter(pk=patient.pk).values_list("status", flat=True).get()
    patient.status = Patient.Status(status)
    record_save(patient, actor=actor)
    archived = Patient.Status.ARCHIVED
    if patient.user_id is not None and (was == archived) != (patient.status == archived):
        # An archived patient's app login closes with the record: logging in and
        # refreshing are refused, and so are the access tokens already handed out.
        # Only leaving "archived" opens it again: a login closed for another reason (a
        # lost phone) stays closed through a discharge or a re-saved status.
        user_set_active(
            user_id=patient.user_id,
            active=patient.status != archived,
            actor=actor,
            reason=f"Patient status {was} -> {patient.status}.",
        )
    patient_schedule_changed(patient_id=patient.pk)
    return patient


# Patient app onboarding: staff invite, the patient activates with the one-time code.

# Unambiguous when read aloud or typed from a letter: no 0/O or 1/I/L.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 10


def _hash(code: str) -> str:
    normalized = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalized.encode()).hexdigest()


@dataclass(frozen=True)
class Invitation:
    invite: PatientInvite
    code: str  # shown once, to be handed to the patient; only its hash is stored


@transaction.atomic
def patient_invite(*, patient: Patient, invited_by: StaffMember) -> Invitation:
    """A new code for the patient's app; earlier unused codes stop working."""
    ensure_same_clinic(patient.clinic, invited_by=invited_by)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status != Patient.Status.ACTIVE:
        raise ValidationError(f"{patient.full_name} is {patient.get_status_display().lower()}.")
    now = timezone.now()
    patient.invites.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    invite = PatientInvite.objects.create(
        patient=patient,
        code_hash=_hash(code),
        created_by=invited_by,
        expires_at=now + datetime.timedelta(hours=settings.PATIENT_INVITE_HOURS),
    )
    return Invitation(invite=invite, code=f"{code[:5]}-{code[5:]}")


@transaction.atomic
def patient_activate(*, code: str, username: str, password: str, language: str = "") -> User:
    """Redeem an invitation: create (or re-key) the patient's login. One use only.

    `language` is the phone's, when it said one the app offers: it becomes the patient's
    language unless staff set one, so the reminders speak it as the app does."""
    invite = (
        PatientInvite.objects.select_for_update()
        .select_related("patient")
        .filter(code_hash=_hash(code))
        .first()
    )
    if invite is None or invite.used_at is not None or invite.expires_at <= timezone.now():
        raise ValidationError({"code": _("This code is not valid or has expired; ask the clinic.")})
    patient = Patient.objects.select_for_update().get(pk=invite.patient_id)
    if patient.status != Patient.Status.ACTIVE:
        raise ValidationError({"code": _("This code is not valid or has expired; ask the clinic.")})
    user = patient.user
    if user is None:
        user_ensure_username_free(username=username)
        user = User(username=username, email=patient.email)
    elif user.username.lower() != username.lower():
        # The code alone must not tell its bearer which username the login has.
        raise ValidationError(
            {"username": _("This invitation is for an existing login; use its username.")}
        )
    password_check_new(user=user, password=password, field="password", patient=patient)
    user.set_password(password)
    if patient.user_id is None:
        user_insert(user=user, exclude=["password"])
    else:
        user.full_clean(exclude=["password"])
        user.save()
    changed = []
    if patient.user_id is None:
        patient.user = user
        changed.append("user")
    if not patient.language and language in dict(settings.LANGUAGES):
        patient.language = language
        changed.append("language")
    if changed:
        record_save(patient, actor=user, update_fields=changed)
    invite.used_at = timezone.now()
    invite.save(update_fields=["used_at"])
    return user
