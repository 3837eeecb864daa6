"""Recording a diagnosis: who may, when, and with which ICD-10-CM codes (patients.icd10)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from core import dates
from core.localtime import local_today
from core.records import record_save
from practice.models import StaffMember, User
from practice.tenancy import ensure_same_clinic

from . import icd10
from .models import Diagnosis, Patient
from .schedule_changes import patient_schedule_changed


@transaction.atomic
def diagnosis_record(
    *,
    patient: Patient,
    cause: str,
    side: str,
    icd10_code: str,
    onset_date: datetime.date,
    diagnosed_by: StaffMember,
    secondary_icd10_codes: Sequence[str] = (),
    diagnosed_on: datetime.date | None = None,
    notes: str = "",
) -> Diagnosis:
    """A new diagnosis; a recorded one is never recoded, a new finding is a new diagnosis."""
    ensure_same_clinic(patient.clinic, diagnosed_by=diagnosed_by)
    if not diagnosed_by.is_clinician:
        raise ValidationError({"diagnosed_by": f"{diagnosed_by} is not a clinician."})
    today = local_today(patient.clinic.time_zone)
    diagnosed_on = diagnosed_on or today
    _check_dates(patient, onset_date=onset_date, diagnosed_on=diagnosed_on, today=today)
    primary, secondary = icd10.validate_codes(
        primary=icd10_code, secondary=secondary_icd10_codes, cause=cause, side=side
    )
    diagnosis = Diagnosis(
        patient=patient,
        cause=cause,
        side=side,
        icd10_code=primary,
        secondary_icd10_codes=secondary,
        onset_date=onset_date,
        diagnosed_on=diagnosed_on,
        diagnosed_by=diagnosed_by,
        notes=notes,
    )
    record_save(diagnosis, actor=diagnosed_by.user)
    # The first diagnosis dates the baseline questionnaires.
    patient_schedule_changed(patient_id=patient.pk)
    return diagnosis


def _check_dates(
    patient: Patient,
    *,
    onset_date: datetime.date,
    diagnosed_on: datetime.date,
    today: datetime.date,
) -> None:
    """Both dates on the clinic's calendar, after the patient's birth (core.dates).
    Symptoms may have begun long before this system (a chronic case), the diagnosis not."""
    born = patient.date_of_birth
    messages = {
        "onset_date": dates.implausible_date(
            onset_date, label="onset date", today=today, earliest=dates.EARLIEST_BIRTH, born=born
        ),
        "diagnosed_on": dates.implausible_date(
            diagnosed_on,
            label="diagnosis date",
            today=today,
            earliest=dates.EARLIEST_RECORD,
            born=born,
        ),
    }
    errors = {field: message for field, message in messages.items() if message}
    if not errors and onset_date > diagnosed_on:
        errors["onset_date"] = "Symptoms cannot begin after the diagnosis."
    if errors:
        raise ValidationError(errors)


def diagnosis_update_notes(*, diagnosis: Diagnosis, notes: str, actor: User) -> Diagnosis:
    """Change only the notes: the cause, side and codes stay as recorded (and billed).

    Only the notes are validated and written, so a diagnosis recorded under older code
    rules keeps taking notes.
    """
    diagnosis.notes = notes
    record_save(diagnosis, actor=actor, update_fields=["notes"])
    return diagnosis


def codes_as_list(stored: object) -> list[str]:
    """Stored secondary codes as strings, whatever JSON an older row holds them in."""
    if isinstance(stored, list):
        return [str(code) for code in stored if code not in (None, "")]
    return [str(stored)] if stored not in (None, "") else []
