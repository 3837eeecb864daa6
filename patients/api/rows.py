"""The staff patient list as plain dicts: what `PatientSerializer` answers, built without
the serializer machinery.

The list is the staff's busiest read, and a serializer spends most of a page's time on
its own bookkeeping (field binding, attribute lookups by dotted source, an ordered dict
per row) rather than on the values. `PatientSerializer` stays the declared answer (the
schema, and every other action of the viewset); tests compare these rows with its
output field for field, so the two cannot drift apart. Values are converted by the same
field classes the serializer uses wherever a conversion has a rule of its own (phone
numbers, datetimes in the current time zone).
"""

from __future__ import annotations

import datetime
from typing import Any

from rest_framework import serializers

from core.api.clock import ClockTimeField
from patients.diagnoses import codes_as_list
from patients.models import Diagnosis, Patient
from patients.selectors import has_app_login

from .serializers import E164PhoneField, latest_diagnosis

_phone = E164PhoneField()
_clock = ClockTimeField()
_datetime = serializers.DateTimeField()


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime.datetime | None) -> str | None:
    """In the current time zone, as the serializer's DateTimeField writes it."""
    return _datetime.to_representation(value) if value is not None else None


def diagnosis_row(diagnosis: Diagnosis) -> dict[str, Any]:
    """`DiagnosisSummarySerializer`'s answer for one diagnosis."""
    return {
        "id": diagnosis.pk,
        "cause": diagnosis.cause,
        "side": diagnosis.side,
        "icd10_code": diagnosis.icd10_code,
        "secondary_icd10_codes": codes_as_list(diagnosis.secondary_icd10_codes),
        "onset_date": _date(diagnosis.onset_date),
        "diagnosed_on": _date(diagnosis.diagnosed_on),
        "chronicity": str(diagnosis.chronicity()),
    }


def _latest_diagnosis(patient: Patient) -> dict[str, Any] | None:
    diagnosis = latest_diagnosis(patient)
    return diagnosis_row(diagnosis) if diagnosis is not None else None


def patient_row(patient: Patient, *, with_diagnosis: bool) -> dict[str, Any]:
    """`PatientSerializer`'s answer for one patient; `with_diagnosis`: the caller's role
    reads diagnoses (the serializer drops `latest_diagnosis` otherwise)."""
    therapist = patient.primary_therapist
    row = {
        "id": patient.pk,
        "mrn": patient.mrn,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": _date(patient.date_of_birth),
        "email": patient.email,
        "phone": _phone.to_representation(patient.phone),
        "time_zone": patient.time_zone,
        "language": patient.language,
        "consent_email": patient.consent_email,
        "consent_sms": patient.consent_sms,
        "consent_push": patient.consent_push,
        "quiet_hours_start": _clock.to_representation(patient.quiet_hours_start),
        "quiet_hours_end": _clock.to_representation(patient.quiet_hours_end),
        "primary_therapist": therapist.pk if therapist is not None else None,
        "primary_therapist_name": str(therapist) if therapist is not None else None,
        "referral": patient.referral,
        "referring_physician": patient.referring_physician,
        "referral_date": _date(patient.referral_date),
        "status": patient.status,
        "on_medical_hold": patient.on_medical_hold,
        "medical_hold_since": _moment(patient.medical_hold_since),
        "on_referral_hold": patient.on_referral_hold,
        "referral_hold_since": _moment(patient.referral_hold_since),
        "has_app_login": has_app_login(patient),
    }
    if with_diagnosis:
        row["latest_diagnosis"] = _latest_diagnosis(patient)
    row["created_at"] = _moment(patient.created_at)
    row["updated_at"] = _moment(patient.updated_at)
    return row
