"""A clinic's first quarter of 2026 as the billing tests build it: a clinic with its
NPI and tax ID, a therapist with an NPI, patients diagnosed on 2 January with their
coverage, signed visits with their procedures, and a clinic admin who bills.

Every test runs at NOW (10 April 2026), after the quarter: its visits are in the past.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from patients import services as patient_services
from patients.models import Cause, Diagnosis, Patient, Side
from practice.models import Clinic, Role, StaffMember
from tests.factories import make_patient, make_staff
from tests.factories.visits import (
    make_attended_appointment,
    make_coverage,
    make_fee,
    make_payer,
    make_plan_of_care,
    make_visit_note,
)
from visits import services
from visits.billing_models import Payer
from visits.note_models import VisitNote
from visits.units import Procedure, Rule

D = datetime.date
UTC = datetime.UTC
NOW = datetime.datetime(2026, 4, 10, 16, 0, tzinfo=UTC)
DIAGNOSED_ON = D(2026, 1, 2)
PLAN_STARTS = D(2026, 1, 5)
CLINIC_NPI = "1245319599"
THERAPIST_NPI = "1234567893"
# The worked example of issue 15: 50 timed minutes.
WORKED_EXAMPLE = {"97110": 25, "97112": 15, "97140": 10}


def billing_clinic(clinic: Clinic) -> Clinic:
    clinic.npi = CLINIC_NPI
    clinic.tax_id = "12-3456789"
    clinic.address = "12 Harbor Street\nBoston, MA 02110"
    clinic.phone = "+1 617 555 0100"
    clinic.save()
    return clinic


def with_npi(staff: StaffMember, npi: str = THERAPIST_NPI) -> StaffMember:
    staff.npi = npi
    staff.save(update_fields=["npi"])
    return staff


def billing_admin(clinic: Clinic, username: str = "admin.billing") -> StaffMember:
    return make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username=username)


def diagnosed(patient: Patient, therapist: StaffMember) -> Diagnosis:
    """Bilateral sciatica, coded left then right, since 2 January."""
    return patient_services.diagnosis_record(
        patient=patient,
        cause=Cause.HERNIATED_DISC,
        side=Side.BILATERAL,
        icd10_code="M54.32",
        secondary_icd10_codes=["M54.31"],
        onset_date=D(2025, 12, 1),
        diagnosed_on=DIAGNOSED_ON,
        diagnosed_by=therapist,
    )


def covered(patient: Patient, *, rule: str = Rule.CMS, medicare: bool = False, **kw) -> Payer:
    name = kw.pop("name", "Medicare Part B" if medicare else f"Acme {rule.upper()}")
    payer = Payer.objects.filter(clinic=patient.clinic, name=name).first() or make_payer(
        clinic=patient.clinic, name=name, rule=rule, medicare=medicare, **kw
    )
    make_coverage(patient=patient, payer=payer, member_id=f"MEM-{patient.mrn}")
    return payer


def fees(clinic: Clinic, **amounts: str) -> None:
    """`fees(clinic, **{"97110": "40.00"})`."""
    for code, amount in amounts.items():
        make_fee(clinic=clinic, code=code, amount=Decimal(amount))


def certified(patient: Patient, therapist: StaffMember, starts_on: D = PLAN_STARTS) -> None:
    """A plan of care for 12 weeks, certified on its first day."""
    make_plan_of_care(
        patient=patient, therapist=therapist, starts_on=starts_on, weeks=12, certified_on=starts_on
    )


def billed_patient(
    clinic: Clinic, therapist: StaffMember, *, last_name: str = "Rivera", **coverage
) -> Patient:
    patient = make_patient(clinic=clinic, primary_therapist=therapist, last_name=last_name)
    diagnosed(patient, therapist)
    covered(patient, **coverage)
    return patient


def visit_at(day: D, hour: int = 15) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), UTC)


def signed_visit(
    patient: Patient,
    therapist: StaffMember,
    day: D,
    procedures: dict[str, int],
    *,
    hour: int = 15,
    signed: bool = True,
) -> VisitNote:
    """A visit on `day` with its procedures, its note signed unless told."""
    appointment = make_attended_appointment(
        patient=patient, therapist=therapist, starts_at=visit_at(day, hour)
    )
    note = make_visit_note(appointment=appointment, therapist=therapist)
    services.visit_note_set_procedures(
        note=note,
        staff_member=therapist,
        procedures=[Procedure(code, minutes) for code, minutes in procedures.items()],
    )
    if signed:
        note = services.visit_note_update(
            note=note,
            staff_member=therapist,
            fields={"assessment": "Leg pain centralising.", "plan": "Continue."},
        )
        note = services.visit_note_sign(note=note, staff_member=therapist)
    return note
