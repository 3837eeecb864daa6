"""Factories for the clinical core. Writes with rules go through the services, so a
factory-made record obeys the same rules as one made in the admin or the API."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import factory
from django.utils import timezone

from patients import services as patient_services
from patients.models import Cause, Diagnosis, Patient, Side
from practice import services as practice_services
from practice.models import Clinic, Role, StaffMember
from programs import services as program_services
from programs.models import ProgramTemplate

PASSWORD = "correct-horse-battery-staple"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    time_zone = "America/New_York"


def make_staff(
    *, clinic: Clinic | None = None, role: str = Role.PHYSICAL_THERAPIST, username: str = ""
) -> StaffMember:
    clinic = clinic or ClinicFactory()
    username = username or f"{role}.{StaffMember.objects.count() + 1}.{clinic.slug}"
    return practice_services.staff_member_create(
        clinic=clinic,
        username=username,
        password=PASSWORD,
        role=role,
        first_name="Sam",
        last_name=username.split(".")[-1].title(),
        credentials="PT, DPT" if role == Role.PHYSICAL_THERAPIST else "",
    )


_mrn = iter(range(100000, 10**9))


def make_patient(*, clinic: Clinic | None = None, **fields) -> Patient:
    clinic = clinic or ClinicFactory()
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


def make_diagnosis(
    *,
    patient: Patient,
    diagnosed_by: StaffMember,
    cause: str = Cause.HERNIATED_DISC,
    side: str = Side.LEFT,
    icd10_code: str = "M51.16",
    secondary_icd10_codes: Sequence[str] = (),
    onset_days_ago: int = 14,
) -> Diagnosis:
    return patient_services.diagnosis_record(
        patient=patient,
        cause=cause,
        side=side,
        icd10_code=icd10_code,
        secondary_icd10_codes=secondary_icd10_codes,
        onset_date=timezone.localdate() - datetime.timedelta(days=onset_days_ago),
        diagnosed_by=diagnosed_by,
    )


def make_prescription(
    *,
    diagnosis: Diagnosis,
    prescribed_by: StaffMember,
    template_slug: str = "mckenzie-extension",
    **kwargs,
):
    kwargs.setdefault("weekdays", list(range(7)))
    kwargs.setdefault("reminder_times", ["08:00", "18:00"])
    kwargs.setdefault("start_date", timezone.localdate())
    return program_services.program_prescribe(
        patient=diagnosis.patient,
        diagnosis=diagnosis,
        template=ProgramTemplate.objects.get(slug=template_slug),
        prescribed_by=prescribed_by,
        **kwargs,
    )


def make_patient_user(patient: Patient, *, username: str = "") -> Patient:
    """Give a patient an app login (as activation would) and return the patient."""
    from practice.models import User

    user = User.objects.create_user(
        username=username or f"patient.{patient.pk}", password=PASSWORD, email=patient.email
    )
    patient.user = user
    patient.save(update_fields=["user"])
    return patient


LEGACY_PHONE = "+15555550123"  # stored before numbers were validated; invalid today


def make_record_invalid(patient: Patient) -> Patient:
    """Make a stored record that no longer validates, as years of changing rules do: the
    primary therapist moved to the front desk, the phone number and the time zone were
    stored under older rules. Returns the patient as read back."""
    from django.core.exceptions import ValidationError

    if patient.primary_therapist_id is not None:
        StaffMember.objects.filter(pk=patient.primary_therapist_id).update(role=Role.FRONT_DESK)
    Patient.objects.filter(pk=patient.pk).update(phone=LEGACY_PHONE, time_zone="US/Pacific-New")
    stored = Patient.objects.get(pk=patient.pk)
    try:
        stored.full_clean()
    except ValidationError:
        return stored
    raise AssertionError("The record still validates.")
