"""The demo clinic's billing set-up and two documented courses of physical therapy.

The set-up: the clinic's NPI and its clinicians', two payers (Medicare Part B by the
CMS 8-minute rule; a commercial plan by the AMA rule that pays hot packs), a fee for
every code the practice bills, and coverage for most patients. The courses: for the
patients whose story is `documented` (demo.seed_history), twice-weekly visits recorded
as attended, each with a signed note (demo.visit_notes: the evaluation's full
examination, daily notes, the progress note on the 10th treatment day) and its
procedures, one addendum, a certified plan of care with short- and long-term goals, and
remote monitoring with consent, set-up and the clinicians' time.

Notes and addenda are written through visits.services, the plan through visits.plans,
monitoring through visits.rtm_services. The services stamp a signature or an addendum
with the present moment; the demo has no clock to turn back, so each is then dated the
evening of its visit, as seed_history dates its questionnaires.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from appointments import services as appointment_services
from appointments.models import Appointment
from core.localtime import local_today, patient_zone, zone_of
from core.records import record_save
from demo.seed_history import LATE_ENTRY, Diary
from demo.visit_notes import (
    COURSE_VISITS,
    PROGRESS_VISIT,
    assessment_and_plan,
    examination,
    procedures,
    subjective,
)
from patients.models import Patient
from practice.models import Clinic, StaffMember
from visits import plans, rtm_codes, rtm_services, services
from visits.billing_models import Coverage, Fee, Payer
from visits.note_models import NoteKind, VisitNote
from visits.plan_models import Goal
from visits.rtm_models import ConsentMethod
from visits.units import Rule

# Fictional NPIs with valid check digits (core.validators.validate_npi): the clinic's
# organisational NPI, the billing provider, and each clinician's own.
CLINIC_NPI = "1234567893"
CLINIC_TAX_ID = "12-3456789"
STAFF_NPIS = {
    "demo.therapist": "1648293011",
    "demo.physiatrist": "1527304962",
    "demo.chiro": "1384759209",
}
MEDICARE = "Medicare Part B"
COMMERCIAL = "Blue Harbor Health PPO"
MEDICARE_AGE = 65
# Of the other patients, every sixth by MRN pays for their own care.
SELF_PAY_EVERY = 6

# The clinic's charge per unit, in US dollars: a private practice's usual charges, about
# three times what Medicare allows, so a Medicare patient's course passes the year's
# therapy threshold (settings.THERAPY_KX_THRESHOLDS) and its last visits carry KX.
FEES = {
    "97110": "95.00",
    "97112": "98.00",
    "97116": "90.00",
    "97140": "88.00",
    "97530": "100.00",
    "97535": "92.00",
    "97161": "185.00",
    "97162": "210.00",
    "97163": "240.00",
    "97164": "140.00",
    "97010": "25.00",
    "97014": "28.00",
    "G0283": "28.00",
    rtm_codes.SET_UP: "40.00",
    rtm_codes.SUPPLY_16_DAYS: "85.00",
    rtm_codes.SUPPLY_2_TO_15_DAYS: "70.00",
    rtm_codes.MANAGEMENT_10_MINUTES: "45.00",
    rtm_codes.MANAGEMENT_FIRST_20: "90.00",
    rtm_codes.MANAGEMENT_EACH_FURTHER_20: "70.00",
}

# The course: Monday and Thursday, from an evaluation on the Monday at least this many
# days ago, so the 10th visit (Thursday of the fifth week) is two or more days past and
# the six-week plan still runs for a few days after today.
COURSE_STARTS_DAYS_AGO = 33
COURSE_WEEKDAY_OFFSETS = (0, 3)
VISIT_MINUTES = 60
PLAN_VISITS_PER_WEEK = 2
PLAN_WEEKS = 6
CERTIFIED_AFTER_DAYS = 3
ADDENDUM_VISIT = 2
# When the notes are signed and the addendum written, after the visit.
SIGNED_AFTER = datetime.timedelta(hours=2)
ADDENDUM_NEXT_MORNING = datetime.time(9, 15)
# Weekly review of the app's data, and one phone call about it.
RTM_REVIEWS = ((4, 8, False), (11, 9, False), (18, 12, True), (25, 8, False), (32, 10, False))


def visits_seed(*, clinic: Clinic, documented: Sequence[Patient], diary: Diary) -> None:
    staff = {
        s.user.username: s for s in StaffMember.objects.for_clinic(clinic).select_related("user")
    }
    _identifiers(clinic, staff)
    payers = _payers(clinic, staff["demo.admin"])
    _coverage(clinic, payers, staff["demo.frontdesk"])
    for patient in documented:
        _course(
            patient,
            therapist=staff["demo.therapist"],
            physician=staff["demo.physiatrist"],
            diary=diary,
        )


def _identifiers(clinic: Clinic, staff: dict[str, StaffMember]) -> None:
    clinic.npi, clinic.tax_id = CLINIC_NPI, CLINIC_TAX_ID
    record_save(clinic, update_fields=["npi", "tax_id"])
    for username, npi in STAFF_NPIS.items():
        member = staff[username]
        member.npi = npi
        record_save(member, update_fields=["npi"])


def _payers(clinic: Clinic, admin: StaffMember) -> dict[str, Payer]:
    payers = {
        MEDICARE: Payer(
            clinic=clinic,
            name=MEDICARE,
            rule=Rule.CMS.value,
            pays_hot_cold_packs=False,
            accepts_2026_rtm_codes=True,
            medicare=True,
        ),
        # Commercial plans took up the 2026 RTM codes one by one; this one has not yet.
        COMMERCIAL: Payer(
            clinic=clinic,
            name=COMMERCIAL,
            rule=Rule.AMA.value,
            pays_hot_cold_packs=True,
            accepts_2026_rtm_codes=False,
        ),
    }
    for payer in payers.values():
        record_save(payer, actor=admin.user)
    for code, amount in FEES.items():
        record_save(Fee(clinic=clinic, code=code, amount=Decimal(amount)), actor=admin.user)
    return payers


def _age(patient: Patient, today: datetime.date) -> int:
    born = patient.date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _medicare_id(rng: random.Random) -> str:
    """A Medicare Beneficiary Identifier's shape: 11 characters, letters never S, L, O,
    I, B or Z (CMS, "The Medicare Beneficiary Identifier")."""
    letters = "ACDEFGHJKMNPQRTUVWXY"
    alnum = letters + "0123456789"
    digits = "0123456789"
    pattern: tuple[str, ...] = ("123456789", letters, alnum, digits, letters, alnum, digits)
    pattern += (letters, letters, digits, digits)
    return "".join(rng.choice(choices) for choices in pattern)


def _coverage(clinic: Clinic, payers: dict[str, Payer], desk: StaffMember) -> None:
    """Medicare for patients of 65 and over, the commercial plan for the others, from
    the start of the year before the six weeks of history; some pay for themselves."""
    rng = random.Random(f"demo-coverage-{clinic.slug}")  # noqa: S311  made-up demo data
    today = local_today(zone_of(clinic.time_zone))
    since = datetime.date((today - datetime.timedelta(days=60)).year, 1, 1)
    for patient in Patient.objects.for_clinic(clinic).order_by("mrn"):
        if int(patient.mrn.rsplit("-", 1)[1]) % SELF_PAY_EVERY == 0:
            continue
        medicare = patient.date_of_birth is not None and _age(patient, today) >= MEDICARE_AGE
        member_id = _medicare_id(rng) if medicare else f"BHH{rng.randrange(10**9):09d}"
        coverage = Coverage(
            patient=patient,
            payer=payers[MEDICARE if medicare else COMMERCIAL],
            member_id=member_id,
            starts_on=since,
        )
        record_save(coverage, actor=desk.user)


def course_days(today: datetime.date) -> list[datetime.date]:
    """The course's visit days: Monday and Thursday from the evaluation on."""
    latest = today - datetime.timedelta(days=COURSE_STARTS_DAYS_AGO)
    monday = latest - datetime.timedelta(days=latest.weekday())
    return [
        monday + datetime.timedelta(weeks=week, days=offset)
        for week in range(COURSE_VISITS)
        for offset in COURSE_WEEKDAY_OFFSETS
    ][:COURSE_VISITS]


def _course(
    patient: Patient, *, therapist: StaffMember, physician: StaffMember, diary: Diary
) -> None:
    days = course_days(local_today(diary.zone))
    visits = [
        appointment_services.appointment_record_past(
            patient=patient,
            therapist=therapist,
            starts_at=diary.slot(therapist, day),
            duration_minutes=VISIT_MINUTES,
            kind=Appointment.Kind.EVALUATION if index == 0 else Appointment.Kind.FOLLOW_UP,
            reason=LATE_ENTRY,
            actor=therapist.user,
        )
        for index, day in enumerate(days)
    ]
    # A documented patient is in treatment, diagnosed.
    diagnosis = patient.diagnoses.order_by("-diagnosed_on", "-id")[0]
    notes = [
        _note(visit, therapist, cause=diagnosis.cause, side=diagnosis.side, index=index)
        for index, visit in enumerate(visits)
    ]
    addendum = services.addendum_add(
        note=notes[ADDENDUM_VISIT],
        author=therapist,
        reason="The patient called the morning after the visit.",
        text="Soreness after the manual therapy settled overnight; no new symptoms. "
        "No change to the plan.",
    )
    morning = datetime.datetime.combine(
        notes[ADDENDUM_VISIT].visit_on + datetime.timedelta(days=1),
        ADDENDUM_NEXT_MORNING,
        tzinfo=diary.zone,
    )
    addendum.written_at = min(morning, timezone.now())
    record_save(addendum, actor=therapist.user, update_fields=["written_at"])
    _plan(patient, therapist, physician, evaluated_on=days[0], progress_on=days[-1])
    _monitoring(patient, therapist, evaluation=visits[0])


def _note(
    visit: Appointment, therapist: StaffMember, *, cause: str, side: str, index: int
) -> VisitNote:
    kind = NoteKind.PROGRESS if index == PROGRESS_VISIT else None
    note = services.visit_note_start(appointment=visit, therapist=therapist, kind=kind)
    fields = {
        **subjective(index=index),
        **examination(cause=cause, side=side, index=index),
        **assessment_and_plan(cause=cause, side=side, index=index),
    }
    note = services.visit_note_update(note=note, staff_member=therapist, fields=fields)
    services.visit_note_set_procedures(
        note=note, staff_member=therapist, procedures=procedures(index)
    )
    note = services.visit_note_sign(note=note, staff_member=therapist)
    note.signed_at = min(visit.ends_at + SIGNED_AFTER, timezone.now())
    record_save(note, actor=therapist.user, update_fields=["signed_at"])
    return note


def _plan(
    patient: Patient,
    therapist: StaffMember,
    physician: StaffMember,
    *,
    evaluated_on: datetime.date,
    progress_on: datetime.date,
) -> None:
    """Twice a week for six weeks from the evaluation, certified by the clinic's
    physiatrist three days later; the short-term goal met by the progress note."""
    ends_on = evaluated_on + datetime.timedelta(weeks=PLAN_WEEKS, days=-1)
    goals = [
        plans.GoalInput(
            term=Goal.Term.SHORT,
            description="Sit through a 30-minute work meeting without leg pain.",
            measure="Leg pain 3/10 or less after 30 minutes' sitting.",
            target_date=evaluated_on + datetime.timedelta(weeks=3),
        ),
        plans.GoalInput(
            term=Goal.Term.LONG,
            description="Walk 30 minutes and sleep through the night without leg pain.",
            measure="ODI at or below 20%; leg pain 1/10 or less.",
            target_date=ends_on,
        ),
        plans.GoalInput(
            term=Goal.Term.LONG,
            description="Manage flare-ups alone with the home program.",
            measure="Names and performs the directional-preference exercise unprompted.",
            target_date=ends_on,
        ),
    ]
    plan = plans.plan_of_care_create(
        patient=patient,
        therapist=therapist,
        starts_on=evaluated_on,
        visits_per_week=PLAN_VISITS_PER_WEEK,
        weeks=PLAN_WEEKS,
        physician_name=f"{physician.user.get_full_name()}, {physician.credentials}",
        physician_npi=physician.npi,
        goals=goals,
    )
    plans.plan_of_care_mark_sent(plan=plan, staff_member=therapist)
    plans.plan_of_care_certify(
        plan=plan,
        staff_member=therapist,
        certified_on=evaluated_on + datetime.timedelta(days=CERTIFIED_AFTER_DAYS),
    )
    # Met by the progress note, its target date past.
    short = plan.goals.get(term=Goal.Term.SHORT, target_date__lte=progress_on)
    plans.goal_set_status(goal=short, therapist=therapist, status=Goal.Status.MET)


def _monitoring(patient: Patient, therapist: StaffMember, *, evaluation: Appointment) -> None:
    """Monitoring from the evaluation, where the patient consented and was set up in the
    app, with a weekly review of the data and one call about it."""
    started = evaluation.starts_at.astimezone(patient_zone(patient)).date()
    episode = rtm_services.rtm_episode_start(
        patient=patient,
        staff_member=therapist,
        consent_at=evaluation.ends_at - datetime.timedelta(minutes=10),
        consent_method=ConsentMethod.IN_PERSON,
        starts_on=started,
    )
    episode = rtm_services.rtm_episode_onboard(
        episode=episode, staff_member=therapist, onboarded_on=started
    )
    today = local_today(zone_of(patient.clinic.time_zone))
    for days, minutes, interactive in RTM_REVIEWS:
        worked_on = started + datetime.timedelta(days=days)
        if worked_on > today:
            continue
        rtm_services.rtm_time_entry_add(
            episode=episode,
            clinician=therapist,
            worked_on=worked_on,
            minutes=minutes,
            interactive=interactive,
            note="Phoned the patient about the week's sessions and pain reports."
            if interactive
            else "Reviewed the week's sessions, pain reports and questionnaires in the app.",
        )
