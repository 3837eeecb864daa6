"""Patients and their clinical records: diagnoses, screenings, alerts, referral
outcomes, app invitations and requests to close the app account."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from patients import account_closure
from patients import services as patient_services
from patients.models import (
    AccountClosureRequest,
    Cause,
    ClinicalAlert,
    Diagnosis,
    Patient,
    RedFlagScreening,
    ReferralOutcome,
    Side,
)
from practice.models import Clinic, Role, StaffMember

from .practice import PASSWORD, ClinicFactory, make_staff, make_user

LEGACY_PHONE = "+15555550123"  # stored before numbers were validated; invalid today

_mrn = itertools.count(100000)


def make_patient(*, clinic: Clinic | None = None, **fields: Any) -> Patient:
    clinic = clinic or ClinicFactory.create()
    defaults = {
        "mrn": f"MRN{next(_mrn)}",
        "first_name": "Alex",
        "last_name": "Rivera",
        "date_of_birth": datetime.date(1980, 5, 17),
        "email": "alex@example.com",
        "phone": "+12025550123",
        "time_zone": "America/New_York",
    }
    return patient_services.patient_register(clinic=clinic, **{**defaults, **fields})


def make_patient_user(patient: Patient, *, username: str = "") -> Patient:
    """Give a patient an app login (as activation would) and return the patient."""
    user = make_user(
        username=username or f"patient.{patient.pk}", password=PASSWORD, email=patient.email
    )
    patient.user = user
    patient.save(update_fields=["user"])
    return patient


def patient_and_clinician(
    patient: Patient | None, clinician: StaffMember | None
) -> tuple[Patient, StaffMember]:
    """The patient and a clinician of their clinic, made when not given: a new patient
    is the clinician's own."""
    if patient is None:
        clinician = clinician or make_staff()
        return make_patient(clinic=clinician.clinic, primary_therapist=clinician), clinician
    return patient, clinician or make_staff(clinic=patient.clinic, role=Role.PHYSICAL_THERAPIST)


def make_diagnosis(
    *,
    patient: Patient | None = None,
    diagnosed_by: StaffMember | None = None,
    cause: str = Cause.HERNIATED_DISC,
    side: str = Side.LEFT,
    icd10_code: str = "M51.16",
    secondary_icd10_codes: Sequence[str] = (),
    onset_days_ago: int = 14,
) -> Diagnosis:
    patient, diagnosed_by = patient_and_clinician(patient, diagnosed_by)
    return patient_services.diagnosis_record(
        patient=patient,
        cause=cause,
        side=side,
        icd10_code=icd10_code,
        secondary_icd10_codes=secondary_icd10_codes,
        onset_date=timezone.localdate() - datetime.timedelta(days=onset_days_ago),
        diagnosed_by=diagnosed_by,
    )


def make_screening(
    *,
    patient: Patient | None = None,
    screened_by: StaffMember | None = None,
    flags: Mapping[str, bool] | None = None,
    notes: str = "",
) -> RedFlagScreening:
    """A clinician's red-flag screen; no flags unless given (a flag starts a hold)."""
    patient, screened_by = patient_and_clinician(patient, screened_by)
    return patient_services.red_flag_screen(
        patient=patient, flags=dict(flags or {}), screened_by=screened_by, notes=notes
    )


def make_alert(
    *,
    patient: Patient | None = None,
    kind: str = ClinicalAlert.Kind.PAIN_INCREASE,
    severity: str = ClinicalAlert.Severity.ROUTINE,
    message: str = "Leg pain rose by 3 during the session.",
) -> ClinicalAlert:
    patient = patient or patient_and_clinician(None, None)[0]
    return patient_services.alert_raise(
        patient=patient, kind=kind, severity=severity, message=message
    )


def make_referral_outcome(
    *,
    patient: Patient | None = None,
    recorded_by: StaffMember | None = None,
    outcome: str = ReferralOutcome.Outcome.NOT_CLEARED,
    physician_name: str = "Dr. Okafor",
    note: str = "Imaging booked.",
) -> ReferralOutcome:
    """What the physician found, after a serious-pathology flag this records first."""
    patient, recorded_by = patient_and_clinician(patient, recorded_by)
    make_screening(patient=patient, screened_by=recorded_by, flags={"history_of_cancer": True})
    return patient_services.referral_outcome_record(
        patient=patient,
        recorded_by=recorded_by,
        outcome=outcome,
        physician_name=physician_name,
        note=note,
    )


def make_invite(
    *, patient: Patient | None = None, invited_by: StaffMember | None = None
) -> patient_services.Invitation:
    """An app invitation: the stored invite and the one-time code handed to the patient."""
    patient, invited_by = patient_and_clinician(patient, invited_by)
    return patient_services.patient_invite(patient=patient, invited_by=invited_by)


def make_record_invalid(patient: Patient) -> Patient:
    """Make a stored record that no longer validates, as years of changing rules do: the
    primary therapist moved to the front desk, the phone number and the time zone were
    stored under older rules. Returns the patient as read back."""
    if patient.primary_therapist_id is not None:
        StaffMember.objects.filter(pk=patient.primary_therapist_id).update(role=Role.FRONT_DESK)
    Patient.objects.filter(pk=patient.pk).update(phone=LEGACY_PHONE, time_zone="US/Pacific-New")
    stored = Patient.objects.get(pk=patient.pk)
    try:
        stored.full_clean()
    except ValidationError:
        return stored
    raise AssertionError("The record still validates.")


def make_account_closure_request(
    *, patient: Patient | None = None, reason: str = ""
) -> AccountClosureRequest:
    """A patient's open request to close their app account, as the app sends it."""
    if patient is None:
        patient = make_patient_user(make_patient())
    user = patient.user or make_patient_user(patient).user
    assert user is not None
    asked = account_closure.account_closure_request(patient=patient, actor=user, reason=reason)
    return asked.request
