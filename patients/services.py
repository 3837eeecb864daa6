from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from practice.models import Clinic, StaffMember, User
from practice.records import record_save
from practice.services import ensure_same_clinic

from . import icd10
from .models import ClinicalAlert, Diagnosis, Patient, PatientInvite, RedFlagScreening

# What a patient may change through registration and updates; the clinic, the hold and
# the status have services of their own.
PATIENT_FIELDS = frozenset(
    {
        "mrn",
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "phone",
        "time_zone",
        "consent_email",
        "consent_sms",
        "consent_push",
        "quiet_hours_start",
        "quiet_hours_end",
        "primary_therapist",
        "referral",
        "referring_physician",
        "referral_date",
        "user",
    }
)

EMERGENCY_GUIDANCE = (
    "These symptoms can mean pressure on the nerves at the base of the spine and need "
    "same-day emergency care. Go to an emergency department or call your local emergency "
    "number now. Stop your exercise program until your therapist has spoken with you."
)


def _apply_patient_fields(patient: Patient, fields: dict[str, Any]) -> None:
    unknown = set(fields) - PATIENT_FIELDS
    if unknown:
        raise ValidationError(f"Unknown patient fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(patient, name, value)
    if patient.referral == Patient.Referral.PHYSICIAN:
        errors = {}
        if not patient.referring_physician:
            errors["referring_physician"] = "A physician referral names the physician."
        if patient.referral_date is None:
            errors["referral_date"] = "A physician referral has a date."
        if errors:
            raise ValidationError(errors)
    if patient.referral_date and patient.referral_date > timezone.localdate():
        raise ValidationError({"referral_date": "The referral date is in the future."})
    if patient.date_of_birth and patient.date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": "The date of birth is in the future."})
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
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, actor: User | None = None, **fields: Any) -> Patient:
    _apply_patient_fields(patient, fields)
    record_save(patient, actor=actor)
    return patient


@transaction.atomic
def patient_set_status(*, patient: Patient, status: str, actor: User | None = None) -> Patient:
    """Discharge, archive or reactivate. Archiving is how a patient is 'deleted'."""
    patient.status = Patient.Status(status)
    record_save(patient, actor=actor)
    return patient


@transaction.atomic
def diagnosis_record(
    *,
    patient: Patient,
    cause: str,
    side: str,
    icd10_code: str,
    onset_date: datetime.date,
    diagnosed_by: StaffMember,
    diagnosed_on: datetime.date | None = None,
    notes: str = "",
) -> Diagnosis:
    ensure_same_clinic(patient.clinic, diagnosed_by=diagnosed_by)
    if not diagnosed_by.is_clinician:
        raise ValidationError({"diagnosed_by": f"{diagnosed_by} is not a clinician."})
    diagnosed_on = diagnosed_on or timezone.localdate()
    if onset_date > diagnosed_on:
        raise ValidationError({"onset_date": "Symptoms cannot begin after the diagnosis."})
    try:
        code = icd10.validate_code(code=icd10_code, cause=cause, side=side)
    except ValidationError as exc:
        raise ValidationError({"icd10_code": exc.messages}) from None
    diagnosis = Diagnosis(
        patient=patient,
        cause=cause,
        side=side,
        icd10_code=code,
        onset_date=onset_date,
        diagnosed_on=diagnosed_on,
        diagnosed_by=diagnosed_by,
        notes=notes,
    )
    record_save(diagnosis, actor=diagnosed_by.user)
    return diagnosis


@transaction.atomic
def red_flag_screen(
    *,
    patient: Patient,
    flags: dict[str, bool],
    screened_by: StaffMember | None = None,
    source: str = RedFlagScreening.Source.CLINICIAN,
    notes: str = "",
    actor: User | None = None,
) -> RedFlagScreening:
    """Record a screen; a positive one holds the patient and alerts the therapist at once."""
    known = {field for field, _ in RedFlagScreening.FLAGS}
    if set(flags) - known:
        raise ValidationError(f"Unknown red flags: {', '.join(sorted(set(flags) - known))}.")
    if screened_by is not None:
        ensure_same_clinic(patient.clinic, screened_by=screened_by)
    # The patient row lock orders this against a concurrent prescription.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    screening = RedFlagScreening(
        patient=patient, screened_by=screened_by, source=source, notes=notes, **flags
    )
    actor = actor or (screened_by.user if screened_by else None)
    record_save(screening, actor=actor)
    if screening.is_positive:
        if patient.medical_hold_since is None:
            patient.medical_hold_since = timezone.now()
            record_save(patient, actor=actor)
        alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.RED_FLAG,
            severity=ClinicalAlert.Severity.URGENT,
            message=(
                f"Red flags reported for {patient.full_name}: "
                f"{', '.join(screening.positive_flags).lower()}. Same-day emergency "
                "evaluation needed; the exercise program is on hold."
            ),
            screening=screening,
        )
    return screening


@transaction.atomic
def medical_hold_clear(*, patient: Patient, cleared_by: StaffMember, note: str) -> Patient:
    ensure_same_clinic(patient.clinic, cleared_by=cleared_by)
    if not cleared_by.may_clear_holds:
        raise ValidationError(
            {
                "cleared_by": "Only a physical therapist, physiatrist or chiropractor may clear a "
                "medical hold."
            }
        )
    if not note.strip():
        raise ValidationError({"note": "Say why it is safe to resume (a clearance note)."})
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.medical_hold_since is None:
        raise ValidationError(f"{patient.full_name} is not on medical hold.")
    now = timezone.now()
    for screening in patient.screenings.filter(cleared_at__isnull=True):
        if screening.is_positive:
            screening.cleared_at = now
            screening.cleared_by = cleared_by
            screening.clearance_note = note.strip()
            record_save(screening, actor=cleared_by.user)
    patient.medical_hold_since = None
    record_save(patient, actor=cleared_by.user)
    return patient


def alert_raise(
    *,
    patient: Patient,
    kind: str,
    severity: str,
    message: str,
    screening: RedFlagScreening | None = None,
) -> ClinicalAlert:
    alert = ClinicalAlert(
        patient=patient, kind=kind, severity=severity, message=message, screening=screening
    )
    record_save(alert)
    return alert


@transaction.atomic
def alert_acknowledge(*, alert: ClinicalAlert, staff_member: StaffMember) -> ClinicalAlert:
    """Acknowledge once; a second acknowledgement keeps the first one's who and when."""
    ensure_same_clinic(alert.patient.clinic, staff_member=staff_member)
    alert = ClinicalAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = staff_member
        record_save(alert, actor=staff_member.user)
    return alert


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
def patient_activate(*, code: str, username: str, password: str) -> User:
    """Redeem an invitation: create (or re-key) the patient's login. One use only."""
    invite = (
        PatientInvite.objects.select_for_update()
        .select_related("patient")
        .filter(code_hash=_hash(code))
        .first()
    )
    if invite is None or invite.used_at is not None or invite.expires_at <= timezone.now():
        raise ValidationError({"code": "This code is not valid or has expired; ask the clinic."})
    patient = Patient.objects.select_for_update().get(pk=invite.patient_id)
    if patient.status != Patient.Status.ACTIVE:
        raise ValidationError({"code": "This code is not valid or has expired; ask the clinic."})
    user = patient.user
    if user is None:
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": "That username is taken; choose another."})
        user = User(username=username, email=patient.email)
    elif user.username.lower() != username.lower():
        raise ValidationError({"username": f"Log in as {user.username}."})
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if patient.user_id is None:
        patient.user = user
        record_save(patient, actor=user)
    invite.used_at = timezone.now()
    invite.save(update_fields=["used_at"])
    return user
