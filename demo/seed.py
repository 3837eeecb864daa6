"""Demo data for `make run`: two clinics, their staff, and patients across every cause;
demo.patient and a dozen others at the demo clinic with six weeks of history
(demo.seed_history); the demo clinic's payers, fees and coverage, and two patients' visits
documented with signed notes, a plan of care and remote monitoring (demo.visits).

Everything is written through the services, so the demo obeys the same rules as the
admin. Seeding twice creates nothing new; it only resets the demo logins' password.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from appointments import services as appointment_services
from core.localtime import local_today, patient_zone, zone_of
from core.records import record_save
from demo.names import FIRST_NAMES, LAST_NAMES
from demo.seed_history import DEMO_STORY, STORIES, Diary, Story, history_seed, history_start
from demo.visits import visits_seed
from episodes import services as episode_services
from patients import services as patient_services
from patients.models import Cause, Diagnosis, Patient, Side
from practice import services
from practice.models import Clinic, Role, StaffMember, User
from programs import services as program_services
from programs.models import ProgramTemplate
from programs.schedule import default_start_date

DEMO_CLINIC = "demo-spine"
OTHER_CLINIC = "northside"
# The patient login with six weeks of history (demo.seed_history).
DEMO_PATIENT = "demo.patient"
EXTRA_PATIENTS = 40
# Of the extra patients, the eighth waits for a clinician after a red-flag screening, and
# every tenth is discharged; the rest have a visit booked.
_AWAITING_CLINICIAN = 7
_DISCHARGED_EVERY = 10
# Bookings fall on weekdays (Monday 0 to Friday 4), from 09:00 to 16:00 clinic time.
_WORKDAYS = 5
_FIRST_HOUR, _LAST_HOUR = 9, 16
# The clinicians' direct lines (fictional, like the clinics'); the others, and the
# chiropractor, give the clinic's phone.
WORK_PHONES = {
    "demo.therapist": "+1 202 555 0111",
    "demo.physiatrist": "+1 202 555 0112",
    "other.therapist": "+44 20 7946 0959",
}
# The demo patient's video visit (an https link, as every telehealth link must be).
DEMO_TELEHEALTH_URL = "https://video.example.com/demo-spine/dana-whitaker"

# A program that suits each cause without a contraindication override.
PROGRAM_FOR_CAUSE = {
    Cause.HERNIATED_DISC: "mckenzie-extension",
    Cause.DEGENERATIVE_DISC_DISEASE: "dynamic-lumbar-stabilization",
    Cause.PIRIFORMIS_SYNDROME: "piriformis-hamstring-stretching",
    Cause.SPONDYLOLISTHESIS: "mckenzie-flexion",
    Cause.SPINAL_STENOSIS: "mckenzie-flexion",
    Cause.OTHER: "low-impact-aerobic",
}

_SIDED_CODES = {
    Cause.PIRIFORMIS_SYNDROME: {
        Side.RIGHT: "G57.01",
        Side.LEFT: "G57.02",
        Side.BILATERAL: "G57.03",
    },
    Cause.OTHER: {Side.RIGHT: "M54.41", Side.LEFT: "M54.42", Side.BILATERAL: "M54.41"},
}
# Sciatica in both legs is coded as right plus left, never as the unspecified side.
_BILATERAL_SECONDARY_CODES = {Cause.OTHER: ["M54.42"]}
_CODES = {
    Cause.HERNIATED_DISC: "M51.16",
    Cause.DEGENERATIVE_DISC_DISEASE: "M51.362",
    Cause.SPONDYLOLISTHESIS: "M43.16",
    Cause.SPINAL_STENOSIS: "M48.062",
}


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    clinic: str
    patient: str = ""  # a patient login's name and MRN


def demo_seed(*, password: str) -> list[Login]:
    """Create the demo data once and set every demo login's password."""
    with transaction.atomic():
        if not Clinic.objects.filter(slug=DEMO_CLINIC).exists():
            _create_demo()
        logins = _logins()
        for login in logins:
            user = User.objects.get(username=login.username)
            user.set_password(password)
            user.save(update_fields=["password"])
    return logins


def _logins() -> list[Login]:
    logins = [
        Login(s.user.username, s.get_role_display(), s.clinic.name)
        for s in StaffMember.objects.select_related("user", "clinic").filter(
            user__username__in=["demo.admin", "demo.therapist", "demo.frontdesk", "other.therapist"]
        )
    ]
    logins += [
        Login(p.user.username, "Patient", p.clinic.name, f"{p.full_name}, {p.mrn}")
        for p in Patient.objects.select_related("user", "clinic").filter(
            user__username__in=[DEMO_PATIENT, "other.patient"]
        )
        if p.user is not None
    ]
    return sorted(logins, key=lambda login: (login.clinic, login.username))


def _create_demo() -> None:
    rng = random.Random(2026)  # noqa: S311  made-up demo data, seeded to come out the same
    # Fictional numbers only: 555-01xx in the US, Ofcom's drama range in London.
    clinic = Clinic.objects.create(
        name="Demo Spine Clinic",
        slug=DEMO_CLINIC,
        time_zone="America/New_York",
        phone="+1 202 555 0199",
        address="100 Example Avenue, Suite 200, New York, NY 10001",
        opening_hours="Mon-Fri 8:00-18:00, Sat 9:00-13:00",
    )
    other = Clinic.objects.create(
        name="Northside Physio",
        slug=OTHER_CLINIC,
        time_zone="Europe/London",
        phone="+44 20 7946 0958",
        address="12 Example Road, London N1 0AA",
        opening_hours="Mon-Fri 8:30-17:30",
    )
    therapist = _staff(clinic, "demo.therapist", Role.PHYSICAL_THERAPIST, "Jordan", "Ellis")
    _staff(clinic, "demo.frontdesk", Role.FRONT_DESK, "Casey", "Morgan")
    _staff(clinic, "demo.admin", Role.CLINIC_ADMIN, "Robin", "Hart")
    colleagues = [
        therapist,
        _staff(clinic, "demo.physiatrist", Role.PHYSIATRIST, "Priya", "Shah"),
        _staff(clinic, "demo.chiro", Role.CHIROPRACTOR, "Marco", "Bianchi"),
    ]
    other_therapist = _staff(other, "other.therapist", Role.PHYSICAL_THERAPIST, "Alex", "Byrne")

    slots = _appointment_slots(clinic)
    demo_patient = _patient(
        clinic,
        therapist,
        mrn="DEMO-0001",
        first_name="Dana",
        last_name="Whitaker",
        username=DEMO_PATIENT,
        date_of_birth=datetime.date(1978, 3, 14),
        email="demo.patient@example.com",
        phone="+12025550100",
        time_zone="America/New_York",
    )
    # Six weeks into the program (demo.seed_history); the pain began 20 days before it.
    diary = Diary(clinic)
    _treat(
        demo_patient,
        therapist,
        Cause.HERNIATED_DISC,
        Side.LEFT,
        onset_days_ago=20,
        story=DEMO_STORY,
    )
    history_seed(patient=demo_patient, therapist=therapist, story=DEMO_STORY, diary=diary)
    documented = [demo_patient]
    # At the clinic (no location: the app shows the clinic's address), then by video.
    appointment_services.appointment_book(
        patient=demo_patient,
        therapist=therapist,
        starts_at=next(slots),
        kind="follow_up",
        actor=therapist.user,
    )
    appointment_services.appointment_book(
        patient=demo_patient,
        therapist=therapist,
        starts_at=_next_day_slot(slots),
        kind="follow_up",
        telehealth_url=DEMO_TELEHEALTH_URL,
        notes="Video follow-up (demo).",
        actor=therapist.user,
    )

    other_patient = _patient(
        other,
        other_therapist,
        mrn="NS-0001",
        first_name="Owen",
        last_name="Price",
        username="other.patient",
        date_of_birth=datetime.date(1985, 9, 2),
        email="other.patient@example.com",
        phone="+442079460123",
        time_zone="Europe/London",
    )
    _treat(other_patient, other_therapist, Cause.PIRIFORMIS_SYNDROME, Side.RIGHT, onset_days_ago=50)

    causes = list(Cause)
    stories = iter(STORIES)
    for number in range(EXTRA_PATIENTS):
        clinician = colleagues[number % len(colleagues)]
        patient = _patient(
            clinic,
            clinician,
            mrn=f"DEMO-{number + 2:04d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=datetime.date(1950, 1, 1)
            + datetime.timedelta(days=rng.randint(0, 19000)),
            phone=f"+1202555{number + 200:04d}",
            time_zone=rng.choice(["America/New_York", "America/Chicago", "America/Denver"]),
        )
        cause = causes[number % len(causes)]
        side = rng.choice(list(Side))
        if number == _AWAITING_CLINICIAN:
            # One patient awaiting a clinician: the red-flag alert waits in the inbox.
            _diagnose(patient, clinician, cause, side, onset_days_ago=10)
            patient_services.red_flag_screen(
                patient=patient, flags={"foot_drop": True}, screened_by=clinician
            )
            continue
        onset_days_ago = rng.randint(5, 150)
        discharged = number % _DISCHARGED_EVERY == _DISCHARGED_EVERY - 1
        # The first dozen patients in treatment have six weeks of history behind them.
        story = None if discharged else next(stories, None)
        _treat(patient, clinician, cause, side, onset_days_ago=onset_days_ago, story=story)
        if story is not None:
            history_seed(patient=patient, therapist=clinician, story=story, diary=diary)
            if story.documented:
                documented.append(patient)
        if discharged:
            # Through the episode service, so the discharge closes the program as the
            # admin's would.
            episode_services.patient_discharge(
                patient=patient, actor=clinician.user, note="Goals met (demo)."
            )
            continue
        appointment_services.appointment_book(
            patient=patient,
            therapist=clinician,
            starts_at=next(slots),
            kind=rng.choice(["follow_up", "re_evaluation"]),
            actor=clinician.user,
        )
    visits_seed(clinic=clinic, documented=documented, diary=diary)


def _staff(clinic: Clinic, username: str, role: Role, first: str, last: str) -> StaffMember:
    staff = services.staff_member_create(
        clinic=clinic,
        username=username,
        password=None,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username}@example.com",
        credentials={
            Role.PHYSICAL_THERAPIST: "PT, DPT",
            Role.PHYSIATRIST: "MD",
            Role.CHIROPRACTOR: "DC",
        }.get(role, ""),
    )
    if work_phone := WORK_PHONES.get(username, ""):
        staff.work_phone = work_phone
        record_save(staff, update_fields=["work_phone"])
    return staff


def _patient(
    clinic: Clinic, therapist: StaffMember, *, username: str = "", **fields: object
) -> Patient:
    user = None
    if username:
        user = User(username=username, email=str(fields.get("email", "")))
        user.set_unusable_password()
        user.save()
    return patient_services.patient_register(
        clinic=clinic,
        actor=therapist.user,
        user=user,
        consent_email=True,
        consent_sms=True,
        consent_push=True,
        primary_therapist=therapist,
        **fields,
    )


def _diagnose(
    patient: Patient,
    clinician: StaffMember,
    cause: Cause,
    side: Side,
    onset_days_ago: int,
    *,
    diagnosed_on: datetime.date | None = None,
) -> Diagnosis:
    code = _SIDED_CODES.get(cause, {}).get(side) or _CODES[cause]
    secondary = _BILATERAL_SECONDARY_CODES.get(cause, []) if side == Side.BILATERAL else []
    return patient_services.diagnosis_record(
        patient=patient,
        cause=cause,
        side=side,
        icd10_code=code,
        secondary_icd10_codes=secondary,
        onset_date=(diagnosed_on or local_today(patient_zone(patient)))
        - datetime.timedelta(days=onset_days_ago),
        diagnosed_on=diagnosed_on,
        diagnosed_by=clinician,
    )


def _treat(
    patient: Patient,
    clinician: StaffMember,
    cause: Cause,
    side: Side,
    *,
    onset_days_ago: int,
    story: Story | None = None,
) -> None:
    """Diagnose and prescribe: today, or for a patient with a `story` six weeks ago, on
    the story's exercise days (the onset counted back from the diagnosis)."""
    start = history_start(patient) if story else default_start_date(patient)
    diagnosis = _diagnose(patient, clinician, cause, side, onset_days_ago, diagnosed_on=start)
    program_services.program_prescribe(
        patient=patient,
        diagnosis=diagnosis,
        template=ProgramTemplate.objects.get(slug=PROGRAM_FOR_CAUSE[cause]),
        prescribed_by=clinician,
        # Counted on the patient's calendar, not by the server's UTC date (a day ahead
        # in the American evening).
        start_date=start,
        weekdays=list(story.weekdays if story else range(7)),
        reminder_times=["08:00", "18:00"],
    )


def _appointment_slots(clinic: Clinic) -> Iterator[datetime.datetime]:
    """Hourly slots from tomorrow (the clinic's), 09:00 to 16:00 clinic time: one booking
    per slot."""
    tz = zone_of(clinic.time_zone)
    day = local_today(tz) + datetime.timedelta(days=1)
    while True:
        if day.weekday() < _WORKDAYS:
            for hour in range(_FIRST_HOUR, _LAST_HOUR + 1):
                yield datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
        day += datetime.timedelta(days=1)


def _next_day_slot(slots: Iterator[datetime.datetime]) -> datetime.datetime:
    """The first slot of the next working day: a patient's second visit is not the same day."""
    first = next(slots)
    while (slot := next(slots)).date() == first.date():
        pass
    return slot
