"""Six weeks of history for the demo patients: home sessions, questionnaires and visits.

Each history patient's program started six weeks ago on their own calendar. Sessions go
through `programs.services.session_log`, so the pain rules run on them: the demo
patient's pain spreading to the calf in week 3 really stops the exercise and raises the
alert, as one patient's leg pain rising in the last week does. Questionnaires are
answered through `outcomes.services.questionnaire_submit` (checked, scored, given their
occasion by the schedule) at baseline, week 2 and week 4; the service answers them now,
so each is then dated the day it stands for (the demo has no clock to turn back). Visits
are past attended ones (`appointment_record_past`) and today's around the hour of
seeding, attended before it and booked after it. Random choices come from a Random seeded
per patient: the same data every time.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from appointments import services as appointment_services
from appointments.models import Appointment
from core.localtime import local_midnight, local_today, patient_zone, zone_of
from core.records import record_save
from outcomes import services as outcome_services
from outcomes.instruments import INSTRUMENTS
from outcomes.models import Code
from outcomes.schedule import BASELINE_CODES, FOLLOW_UP_CODES
from patients.models import Patient
from practice.models import Clinic, StaffMember
from programs import services as program_services
from programs.models import PainExtent, PrescribedExercise, Prescription

HISTORY_DAYS = 42  # six weeks
FOLLOW_UP_DAYS = (14, 28)  # the questionnaires at week 2 and week 4
VISIT_DAYS = (0, 14, 28)  # evaluation, follow-up, re-evaluation
ADVANCE_ON_DAY = 21  # an improving patient moves to the program's next phase
PERIPHERALIZE_ON_DAY = 17  # the demo patient's pain spreads in week 3
LEG_PAIN_STOP_DAYS_AGO = 7  # one patient's leg pain rises in the last week
EXERCISES_PER_SESSION = 2
LATE_ENTRY = "Entered with the demo data."
# Where the pain reaches, week by week, as it centralizes (two weeks per stage).
CENTRALIZING = (PainExtent.CALF, PainExtent.THIGH, PainExtent.BUTTOCK)
VISIT_MINUTES = 45
_FIRST_HOUR = 9


@dataclass(frozen=True)
class Story:
    """How one patient's six weeks went."""

    leg_pain: int  # leg pain before exercising in week 1 (0-10)
    adherence: float  # the share of the program's days with a session
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)  # the program's exercise days
    improves: bool = True
    peripheralizes_in: str = ""  # the exercise first done in week 3 that spreads the pain
    leg_pain_stop: bool = False  # leg pain rises by 2 in a session last week
    idle_days: int = 0  # no session in the last days
    visit_today: bool = False
    # A twice-weekly course of visits with signed notes, a plan of care and remote
    # monitoring (demo.visits), in place of the three visits below.
    documented: bool = False


# The demo patient: daily sessions, pain falling; the press-up, first tried in week 3,
# sends the pain to the calf and is stopped (not resumed: the stop and its alert wait
# for the therapist).
PRESS_UP = "Prone press-up (extension in lying)"
DEMO_STORY = Story(leg_pain=7, adherence=0.9, peripheralizes_in=PRESS_UP, documented=True)
# A dozen other patients at the demo clinic: data, not code.
_WEEKDAYS_3 = (0, 2, 4)
_WEEKDAYS_4 = (0, 1, 3, 5)
STORIES = (
    Story(leg_pain=6, adherence=0.85, weekdays=_WEEKDAYS_4, visit_today=True),
    Story(leg_pain=8, adherence=0.95, weekdays=_WEEKDAYS_4, improves=False, visit_today=True),
    Story(leg_pain=5, adherence=0.8, weekdays=_WEEKDAYS_4, leg_pain_stop=True, visit_today=True),
    Story(leg_pain=7, adherence=0.7, weekdays=_WEEKDAYS_4, idle_days=5, visit_today=True),
    Story(leg_pain=6, adherence=0.9, weekdays=_WEEKDAYS_3),
    Story(leg_pain=4, adherence=0.6, weekdays=_WEEKDAYS_3),
    Story(leg_pain=7, adherence=0.85, weekdays=_WEEKDAYS_4, visit_today=True),
    Story(leg_pain=5, adherence=0.75, weekdays=_WEEKDAYS_3, documented=True),
    Story(leg_pain=8, adherence=0.9, weekdays=_WEEKDAYS_4),
    Story(leg_pain=6, adherence=0.65, weekdays=_WEEKDAYS_3, idle_days=4),
    Story(leg_pain=5, adherence=0.85, weekdays=_WEEKDAYS_3),
    Story(leg_pain=7, adherence=0.8, weekdays=_WEEKDAYS_4),
)


def history_start(patient: Patient) -> datetime.date:
    """The day a history patient's program started: six weeks ago on their calendar."""
    return local_today(patient_zone(patient)) - datetime.timedelta(days=HISTORY_DAYS)


class Diary:
    """The clinic's past and today's visits: one an hour per therapist, from 09:00."""

    def __init__(self, clinic: Clinic) -> None:
        self.zone = zone_of(clinic.time_zone)
        self.booked: defaultdict[tuple[int, datetime.date], int] = defaultdict(int)

    def slot(self, therapist: StaffMember, day: datetime.date) -> datetime.datetime:
        hour = _FIRST_HOUR + self.booked[(therapist.pk, day)]
        self.booked[(therapist.pk, day)] += 1
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.zone)

    def today_slot(
        self, therapist: StaffMember, now: datetime.datetime
    ) -> datetime.datetime | None:
        """A visit on the clinic's today around `now`, whatever the hour the demo is seeded
        at: the therapist's visits alternate between the hour after the next one (still to
        come) and the hours before this one (over), while they fall within the day; None
        once the day has no room left."""
        day = local_today(self.zone, now)
        begins = local_midnight(day, self.zone)
        ends = local_midnight(day + datetime.timedelta(days=1), self.zone)
        # In UTC: an hour added across a change of daylight saving time is an hour.
        hour = now.astimezone(self.zone).replace(minute=0, second=0, microsecond=0)
        hour = hour.astimezone(datetime.UTC)
        length = datetime.timedelta(minutes=VISIT_MINUTES)
        slots = [
            start
            for n in range(1, 25)
            for start in (
                hour + datetime.timedelta(hours=n + 1),
                hour - datetime.timedelta(hours=n),
            )
            if begins <= start and start + length <= ends
        ]
        taken = self.booked[(therapist.pk, day)]
        self.booked[(therapist.pk, day)] += 1
        return slots[taken] if taken < len(slots) else None


def history_seed(*, patient: Patient, therapist: StaffMember, story: Story, diary: Diary) -> None:
    """Six weeks of sessions, questionnaires and visits for a patient whose program
    started on `history_start`."""
    rng = random.Random(f"demo-history-{patient.mrn}")  # noqa: S311  made-up demo data
    start = history_start(patient)
    # The answers dated in the past go in before the sessions: the progress review that
    # the service runs at each answer sees them as answered today, and must not judge
    # six weeks of adherence by them. The week-6 answer, today's, comes after.
    _questionnaires(patient, story, rng, start, week_6=False)
    _sessions(patient, therapist, story, rng, start)
    _questionnaires(patient, story, rng, start, week_6=True)
    _visits(patient, therapist, story, diary, start)


def _leg_pain(story: Story, day: int, rng: random.Random) -> int:
    """Leg pain before exercising on the program's `day`: down by two thirds over six
    weeks for an improving patient, about level otherwise, with a day's ups and downs."""
    progress = day / HISTORY_DAYS
    level = story.leg_pain * (1 - 0.65 * progress) if story.improves else story.leg_pain - progress
    return max(0, min(10, round(level + rng.uniform(-0.8, 0.8))))


def _extent(story: Story, day: int) -> str:
    if not story.improves:
        return PainExtent.THIGH
    return CENTRALIZING[min(day // 14, len(CENTRALIZING) - 1)]


def _sessions(
    patient: Patient, therapist: StaffMember, story: Story, rng: random.Random, start: datetime.date
) -> None:
    program = Prescription.objects.get(patient=patient, status=Prescription.Status.ACTIVE)
    zone = patient_zone(patient)
    today = local_today(zone)
    spread = story.peripheralizes_in
    rise = story.leg_pain_stop
    for day in range(HISTORY_DAYS):
        date = start + datetime.timedelta(days=day)
        if (
            day == ADVANCE_ON_DAY
            and story.improves
            and not story.peripheralizes_in
            and program.current_phase < len(program.phase_names)
        ):
            program = program_services.prescription_advance_phase(
                prescription=program, actor=therapist.user
            )
        days_ago = (today - date).days
        if date.weekday() not in story.weekdays or days_ago <= story.idle_days:
            continue
        peripheralizes = bool(spread) and day >= PERIPHERALIZE_ON_DAY
        leg_pain_rises = rise and days_ago <= LEG_PAIN_STOP_DAYS_AGO
        if rng.random() > story.adherence and not (peripheralizes or leg_pain_rises):
            continue
        exercises = list(
            PrescribedExercise.objects.filter(
                prescription=program,
                phase=program.current_phase,
                stopped_for_pain_at__isnull=True,
            ).order_by("order")[:EXERCISES_PER_SESSION]
        )
        leg = _leg_pain(story, day, rng)
        extent, before_extent = _extent(story, day), ""
        leg_after = max(0, leg - rng.choice((0, 1, 1, 2)))
        if peripheralizes:
            # Pain moves from the thigh to the calf during the press-up, the one exercise
            # done that day: the rules stop it, and only it.
            exercises = list(
                PrescribedExercise.objects.filter(
                    prescription=program, phase=program.current_phase, exercise__name=spread
                )
            )[:1]
            spread = ""
            before_extent, extent, leg_after = PainExtent.THIGH, PainExtent.CALF, leg + 1
        elif leg_pain_rises:
            rise, exercises = False, exercises[-1:]
            leg_after = min(10, leg + 2)
        back = max(0, round(leg * 0.6 + rng.uniform(-1, 1)))
        moment = datetime.datetime.combine(
            date, datetime.time(rng.randint(7, 19), rng.choice((0, 15, 30, 45))), tzinfo=zone
        )
        program_services.session_log(
            patient=patient,
            client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            performed_at=moment,
            pain_extent=extent,
            pain_extent_before=before_extent,
            back_pain_before=back,
            back_pain_after=max(0, back - rng.choice((0, 0, 1))),
            leg_pain_before=leg,
            leg_pain_after=leg_after,
            exercises=[
                program_services.ExerciseDone(
                    prescribed_exercise_id=item.pk,
                    sets=item.sets,
                    reps=item.reps,
                    minutes=item.minutes,
                )
                for item in exercises
            ],
        )


def _answers(code: str, severity: float, rng: random.Random) -> dict[str, int]:
    """Answers to a questionnaire that score about `severity` (0 best, 1 worst). Of the
    yes/no (agree/disagree) items, the first ones are the complaints (1), so the same
    complaints fall away as the severity eases."""
    items = INSTRUMENTS[code].items
    binary = [item.key for item in items if sorted(item.values) == [0, 1]]
    complaints = round(severity * len(binary) + rng.uniform(-0.5, 0.5))
    answers = {key: int(number < complaints) for number, key in enumerate(binary)}
    for item in items:
        values = sorted(item.values)
        if item.key in answers:
            continue
        index = round(severity * (len(values) - 1) + rng.uniform(-0.6, 0.6))
        answers[item.key] = values[max(0, min(len(values) - 1, index))]
    return answers


def _answer(patient: Patient, code: str, answers: dict[str, int], on: datetime.date | None) -> None:
    response = outcome_services.questionnaire_submit(
        patient=patient, code=code, answers=answers, actor=patient.user
    )
    if on is not None:  # answered on that day of the history, in the evening
        moment = datetime.datetime.combine(on, datetime.time(19), tzinfo=patient_zone(patient))
        response.answered_at, response.due_on = moment, on
        record_save(response, actor=patient.user, update_fields=["answered_at", "due_on"])


def _questionnaires(
    patient: Patient, story: Story, rng: random.Random, start: datetime.date, *, week_6: bool
) -> None:
    """Baseline, week 2 and week 4; or, with `week_6`, the follow-up due today, which only
    the patient who is not improving answers: the service's progress review then finds
    no meaningful improvement after six weeks and raises its alert."""
    severity = 0.3 + story.leg_pain / 20
    occasions = [(0, BASELINE_CODES), *((day, FOLLOW_UP_CODES) for day in FOLLOW_UP_DAYS)]
    if week_6:
        occasions = [(HISTORY_DAYS, FOLLOW_UP_CODES)] if not story.improves else []
    for day, codes in occasions:
        on = start + datetime.timedelta(days=day) if day < HISTORY_DAYS else None
        drop = 0.55 * day / HISTORY_DAYS if story.improves else 0.0
        for code in codes:
            if code == Code.NPRS:
                answers = {"pain": _leg_pain(story, day, rng)}
            else:
                answers = _answers(code, severity * (1 - drop), rng)
            _answer(patient, code, answers, on)


def _visits(
    patient: Patient, therapist: StaffMember, story: Story, diary: Diary, start: datetime.date
) -> None:
    kinds = (
        Appointment.Kind.EVALUATION,
        Appointment.Kind.FOLLOW_UP,
        Appointment.Kind.RE_EVALUATION,
    )
    for day, kind in zip(VISIT_DAYS, kinds, strict=True):
        if story.documented:
            break  # demo.visits records the patient's course of visits instead
        appointment_services.appointment_record_past(
            patient=patient,
            therapist=therapist,
            starts_at=diary.slot(therapist, start + datetime.timedelta(days=day)),
            duration_minutes=VISIT_MINUTES,
            kind=kind,
            reason=LATE_ENTRY,
            actor=therapist.user,
        )
    if not story.visit_today:
        return
    now = timezone.now()
    starts_at = diary.today_slot(therapist, now)
    if starts_at is None:
        return
    if starts_at < now:  # over: the slots before now end before it
        appointment_services.appointment_record_past(
            patient=patient,
            therapist=therapist,
            starts_at=starts_at,
            duration_minutes=VISIT_MINUTES,
            reason=LATE_ENTRY,
            actor=therapist.user,
        )
    else:
        appointment_services.appointment_book(
            patient=patient,
            therapist=therapist,
            starts_at=starts_at,
            duration_minutes=VISIT_MINUTES,
            actor=therapist.user,
        )
