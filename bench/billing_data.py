"""The clinic month bench.billing_month exports: N signed visit notes across N/10
patients, each with three procedure lines, coverage, a diagnosis and a plan of care, the
clinic's fees, and remote monitoring for every fourth patient, with sessions on about
two days in three and time entries. Rows are bulk-created, not through the services, for
speed, but as the services would leave them: a signed note has its signer and time, its
visit day in the month and an attended appointment; each procedure line has its units,
rule and reason.

Django must be set up (bench.configure) before these functions run.
"""

from __future__ import annotations

import datetime
import time
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from . import ensure_clinic

if TYPE_CHECKING:
    from practice.models import Clinic, StaffMember

TEMPLATE = "mckenzie-extension"
BATCH = 2000
NOTES_PER_PATIENT = 10
RTM_EVERY = 4  # every fourth patient is monitored
SESSION_EVERY = 3  # and exercises two days in three, skipping every third
INTERACTIVE_DAY = 4  # the month's day (from 0) with a call, of its three time entries
SELF_PAY_EVERY = 10  # and every tenth has no coverage
UNCERTIFIED_EVERY = 20  # and every twentieth's plan is not certified yet
# Fictional NPIs with valid check digits, as in demo.visits.
CLINIC_NPI = "1234567893"
THERAPIST_NPI = "1648293011"
# Per unit: the clinic's charge and, where set, Medicare's allowed amount.
FEES = {
    "97110": ("95.00", "31.00"),
    "97112": ("98.00", "35.00"),
    "97140": ("88.00", "28.00"),
    "98975": ("60.00", None),
    "98977": ("55.00", None),
    "98980": ("70.00", None),
    "98981": ("55.00", None),
}
# (code, minutes, units under either rule): three timed codes per visit.
PROCEDURES = (("97110", 23, 2), ("97112", 15, 1), ("97140", 10, 1))


def clinic_slug(notes: int, month: datetime.date, earlier: int = 0) -> str:
    tail = f"-{earlier}earlier" if earlier else ""
    return f"bench-billing-{notes}-{month:%Y%m}{tail}"


def month_days(month: datetime.date) -> int:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (following - month).days


def seed(notes: int, month: datetime.date, earlier: int = 0) -> tuple[int, float]:
    """The clinic of `notes` notes in `month` (its first day) and as many in each of the
    `earlier` months before it in its year, made once and then reused; its id and the
    seconds spent."""
    from django.db import transaction

    from visits.note_models import VisitNote

    started = time.monotonic()
    months = [month.replace(month=month.month - k) for k in range(earlier, -1, -1)]
    slug = clinic_slug(notes, month, earlier)
    clinic, therapist = ensure_clinic(
        slug=slug, name=f"Bench Billing {notes}", therapist=f"{slug}.therapist"
    )
    if VisitNote.objects.filter(patient__clinic=clinic).count() >= notes * len(months):
        return clinic.pk, time.monotonic() - started
    clinic.npi = CLINIC_NPI
    clinic.save(update_fields=["npi"])
    therapist.npi = THERAPIST_NPI
    therapist.save(update_fields=["npi"])
    with transaction.atomic():
        _seed(clinic, therapist, notes, months)
    return clinic.pk, time.monotonic() - started


def _seed(clinic: Clinic, therapist: StaffMember, notes: int, months: list[datetime.date]) -> None:
    from appointments.models import Appointment
    from patients.models import Cause, Diagnosis, Patient, Side
    from programs.models import (
        ExerciseSession,
        ExtentChange,
        PainExtent,
        Prescription,
        ProgramTemplate,
    )
    from visits.billing_models import Coverage, Fee, Payer
    from visits.note_models import NoteKind, ProcedureLine, VisitNote
    from visits.plan_models import PlanOfCare, SignatureStatus
    from visits.rtm_models import ConsentMethod, RtmEpisode, RtmTimeEntry
    from visits.units import Rule

    utc = datetime.UTC
    month = months[-1]  # the month exported; RTM is in it alone
    days = month_days(month)
    count = max(notes // NOTES_PER_PATIENT, 1)
    before = months[0] - datetime.timedelta(days=20)
    Fee.objects.bulk_create(
        [
            Fee(
                clinic=clinic,
                code=code,
                amount=Decimal(amount),
                medicare_allowed=Decimal(allowed) if allowed else None,
            )
            for code, (amount, allowed) in FEES.items()
        ]
    )
    medicare = Payer.objects.create(clinic=clinic, name="Medicare Part B", medicare=True)
    commercial = Payer.objects.create(
        clinic=clinic, name="Blue Harbor Health PPO", rule=Rule.AMA.value
    )
    patients = Patient.objects.bulk_create(
        [
            Patient(
                clinic=clinic,
                mrn=f"BILL-{i:06d}",
                first_name=f"Pat{i % 97}",
                last_name=f"Billing{i:06d}",
                date_of_birth=datetime.date(1940 + i % 50, 1 + i % 12, 1 + i % 28),
                time_zone="America/New_York",
                primary_therapist=therapist,
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    diagnoses = Diagnosis.objects.bulk_create(
        [
            Diagnosis(
                patient=p,
                cause=Cause.HERNIATED_DISC,
                side=Side.LEFT,
                icd10_code="M51.16",
                secondary_icd10_codes=["M54.17"],
                onset_date=before - datetime.timedelta(days=30),
                diagnosed_on=before - datetime.timedelta(days=5),
                diagnosed_by=therapist,
            )
            for p in patients
        ],
        batch_size=BATCH,
    )
    payer_of = {}
    coverages = []
    for i, p in enumerate(patients):
        if i % SELF_PAY_EVERY == SELF_PAY_EVERY - 1:
            continue
        payer_of[p.pk] = medicare if i % 2 == 0 else commercial
        coverages.append(
            Coverage(
                patient=p,
                payer=payer_of[p.pk],
                member_id=f"M{i:08d}",
                starts_on=month.replace(month=1, day=1),
            )
        )
    Coverage.objects.bulk_create(coverages, batch_size=BATCH)
    PlanOfCare.objects.bulk_create(
        [
            PlanOfCare(
                patient=p,
                therapist=therapist,
                starts_on=before,
                visits_per_week=3,
                weeks=12,
                ends_on=before + datetime.timedelta(weeks=12, days=-1),
                physician_name="Dr. Bench Referrer",
                certified_on=None if uncertified else before + datetime.timedelta(days=3),
                signature_status=SignatureStatus.SENT if uncertified else SignatureStatus.SIGNED,
            )
            for i, p in enumerate(patients)
            for uncertified in [i % UNCERTIFIED_EVERY == UNCERTIFIED_EVERY - 1]
        ],
        batch_size=BATCH,
    )
    # Each month, note j is the (j // count)-th visit of patient j % count, three days
    # after the one before.
    visits = []
    for first in months:
        for j in range(notes):
            i, k = j % count, j // count
            day = first + datetime.timedelta(days=(i + 3 * k) % month_days(first))
            starts_at = datetime.datetime.combine(day, datetime.time(14 + j % 7), utc)
            visits.append((patients[i], day, starts_at, k))
    appointments = Appointment.objects.bulk_create(
        [
            Appointment(
                patient=p,
                therapist=therapist,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=45),
                kind=Appointment.Kind.FOLLOW_UP,
                status=Appointment.Status.ATTENDED,
            )
            for p, _, starts_at, _ in visits
        ],
        batch_size=BATCH,
    )
    rows = VisitNote.objects.bulk_create(
        [
            VisitNote(
                appointment=appointment,
                patient=p,
                therapist=therapist,
                kind=NoteKind.PROGRESS if k == 0 else NoteKind.DAILY,
                visit_on=day,
                back_pain=4,
                leg_pain=5,
                assessment="Improving.",
                plan="Continue the program.",
                signed_at=starts_at + datetime.timedelta(hours=2),
                signed_by=therapist,
            )
            for appointment, (p, day, starts_at, k) in zip(appointments, visits, strict=True)
        ],
        batch_size=BATCH,
    )
    lines = []
    for note in rows:
        payer = payer_of.get(note.patient_id)
        rule = payer.rule if payer is not None else Rule.CMS.value
        for code, minutes, units in PROCEDURES:
            reason = f"{minutes} minutes: {units} unit{'s' if units > 1 else ''} ({rule.upper()})"
            lines.append(
                ProcedureLine(
                    note=note, code=code, minutes=minutes, units=units, rule=rule, reason=reason
                )
            )
    ProcedureLine.objects.bulk_create(lines, batch_size=BATCH)

    monitored = [(p, d) for i, (p, d) in enumerate(zip(patients, diagnoses, strict=True))]
    monitored = monitored[::RTM_EVERY]
    template = ProgramTemplate.objects.get(slug=TEMPLATE)
    phases = list(template.phases.order_by("number").values_list("name", flat=True))
    programs = Prescription.objects.bulk_create(
        [
            Prescription(
                patient=p,
                diagnosis=d,
                template=template,
                name=template.name,
                prescribed_by=therapist,
                start_date=before,
                phase_names=phases,
                weekdays=list(range(7)),
                reminder_times=["08:00"],
            )
            for p, d in monitored
        ]
    )
    ExerciseSession.objects.bulk_create(
        [
            ExerciseSession(
                patient=program.patient,
                prescription=program,
                client_id=uuid.uuid4(),
                # 18:00 in New York, the patient's own day.
                performed_at=datetime.datetime.combine(
                    month + datetime.timedelta(days=n), datetime.time(23), utc
                ),
                leg_pain_before=5,
                leg_pain_after=4,
                pain_extent=PainExtent.THIGH,
                extent_change=ExtentChange.SAME if n else ExtentChange.FIRST,
            )
            for program in programs
            for n in range(days)
            if n % SESSION_EVERY != SESSION_EVERY - 1
        ],
        batch_size=BATCH,
    )
    episodes = RtmEpisode.objects.bulk_create(
        [
            RtmEpisode(
                patient=p,
                starts_on=month,
                consent_at=datetime.datetime.combine(month, datetime.time(15), utc),
                consent_recorded_by=therapist,
                consent_method=ConsentMethod.IN_PERSON,
                onboarded_on=month,
                onboarded_by=therapist,
            )
            for p, _ in monitored
        ]
    )
    RtmTimeEntry.objects.bulk_create(
        [
            RtmTimeEntry(
                episode=episode,
                clinician=therapist,
                worked_on=month + datetime.timedelta(days=day),
                minutes=15,
                interactive=day == INTERACTIVE_DAY,
                note="Reviewed the week's data.",
            )
            for episode in episodes
            for day in (INTERACTIVE_DAY, INTERACTIVE_DAY + 7, INTERACTIVE_DAY + 14)
        ],
        batch_size=BATCH,
    )


def settle() -> None:
    """VACUUM ANALYZE: planner statistics for the rows just bulk-loaded."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
