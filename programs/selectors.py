"""Reads of the programs with a rule in them."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONObject

from core.localtime import local_date, local_midnight, local_today, patient_zone
from core.translations import translation_columns
from education.models import Topic
from education.selectors import LATEST_DIAGNOSIS, active_topic_links_sql, topic_links_from
from patients.models import Diagnosis, Patient

from .models import ExerciseSession, PrescribedExercise, Prescription, ProgramPhase


def open_prescription(patient: Patient, *, with_exercises: bool = False) -> Prescription | None:
    """The patient's active or paused program, if any (a patient has at most one open).

    `with_exercises` fetches its exercises too, with their library entries, in program
    order (phase, then order), for a page that lists them."""
    programs = patient.prescriptions.filter(status__in=Prescription.OPEN_STATUSES)
    if with_exercises:
        items = PrescribedExercise.objects.select_related("exercise").order_by("phase", "order")
        programs = programs.prefetch_related(Prefetch("exercises", queryset=items))
    return programs.first()


def sessions_on(
    patient: Patient, day: datetime.date, zone: datetime.tzinfo
) -> QuerySet[ExerciseSession]:
    """The patient's sessions performed on `day` in `zone`."""
    return ExerciseSession.objects.filter(
        patient=patient,
        performed_at__gte=local_midnight(day, zone),
        performed_at__lt=local_midnight(day + datetime.timedelta(days=1), zone),
    )


@dataclass(frozen=True)
class TodayReads:
    """What today's plan reads besides the program, read in the program's query."""

    date: datetime.date  # today in the patient's zone
    sessions_logged: int  # sessions performed on that date
    diagnosis: Diagnosis | None  # the latest, with its cause and onset date only
    topics: list[Topic] | None  # the active ones, link fields only (None: not read)
    # The phases of the program's template, each with its number and its name in every
    # language (`name_en`, ...); None: not read, [] for a custom program.
    phases: list[dict[str, Any]] | None = None
    # With no open program: the last program's exercises stopped for pain and never
    # resumed (a closed program's stay as they ended); None: not read.
    earlier_stops: list[PrescribedExercise] | None = None


# A phase row: its number, its name in every language (`name_en`, ...) and its template's
# (`template_name_en`, ...): what the patient's app shows in the patient's language.
_PHASE_ROW = {
    "number": "number",
    **{column: column for column in translation_columns("name")},
    **{f"template_{column}": f"template__{column}" for column in translation_columns("name")},
}


def _phase_rows(template_id: Any) -> Subquery:
    """A JSON array of the template's phases in order, each a `_PHASE_ROW` (PostgreSQL)."""
    rows = (
        ProgramPhase.objects.filter(template_id=template_id)
        .order_by()
        .values("template_id")
        .annotate(rows=JSONBAgg(JSONObject(**_PHASE_ROW), order_by="number"))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


def template_phases(template_id: int | None) -> list[dict[str, Any]]:
    """`_phase_rows` read on its own, for a caller that did not read it with the program."""
    if template_id is None:
        return []
    return list(
        ProgramPhase.objects.filter(template_id=template_id)
        .order_by("number")
        .values(
            *[key for key, path in _PHASE_ROW.items() if key == path],
            **{key: F(path) for key, path in _PHASE_ROW.items() if key != path},
        )
    )


def _today_annotations(patient: Patient, today: datetime.date, zone: Any) -> dict[str, Any]:
    """Today's count of logged sessions and the latest diagnosis, as subqueries that do
    not depend on the row they are read with (PostgreSQL runs each once)."""
    logged = (
        sessions_on(patient, today, zone)
        .order_by()
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest = Diagnosis.objects.filter(patient=patient).order_by(*LATEST_DIAGNOSIS)
    annotations: dict[str, Any] = {
        "sessions_today": Coalesce(Subquery(logged), Value(0), output_field=IntegerField()),
        "latest_diagnosis": Subquery(latest.values("pk")[:1]),
        "latest_cause": Subquery(latest.values("cause")[:1]),
        "latest_onset": Subquery(latest.values("onset_date")[:1]),
    }
    if connection.vendor == "postgresql":
        # Table and column names from the models only, no value: nothing to inject.
        # As text, parsed for the first row only: every row carries the same array.
        topics = active_topic_links_sql()
        annotations["active_topics"] = RawSQL(topics, (), output_field=TextField())  # noqa: S611
    return annotations


def _reads_of(row: Any, patient: Patient, today: datetime.date, **extra: Any) -> TodayReads:
    """The reads `_today_annotations` (and `phases`, when asked) left on `row`."""
    found = vars(row)
    diagnosis = None
    if found["latest_diagnosis"] is not None:
        diagnosis = Diagnosis(
            pk=found["latest_diagnosis"],
            patient=patient,
            cause=found["latest_cause"],
            onset_date=found["latest_onset"],
        )
    topics = found.get("active_topics")
    phases: list[dict[str, Any]] | None = None
    if "phases" in found:
        phases = found["phases"] or []
    return TodayReads(
        date=today,
        sessions_logged=found["sessions_today"],
        diagnosis=diagnosis,
        topics=topic_links_from(json.loads(topics)) if topics is not None else None,
        phases=phases,
        **extra,
    )


def open_program_for_today(patient: Patient) -> tuple[Prescription | None, TodayReads]:
    """`open_program_with_exercises(patient)`, and in the same query today's count of
    logged sessions, the latest diagnosis (the education profile's) and, on PostgreSQL,
    the active topics to link and the template's phase names in every language.

    Without an open program (or with one stored without exercises) a second query reads
    the same of the patient's latest program, open ones first, and for a closed one a
    third its exercises stopped for pain; a patient who never had a program has the
    reads read with their own row instead. So the plan costs the same queries whoever
    reads it."""
    zone = patient_zone(patient)
    today = local_today(zone)
    annotations = _today_annotations(patient, today, zone)
    on_postgresql = connection.vendor == "postgresql"
    open_template = Prescription.objects.filter(
        patient=patient, status__in=Prescription.OPEN_STATUSES
    ).values("template_id")[:1]
    reads = _open_items(patient).annotate(**annotations)
    if on_postgresql:
        reads = reads.annotate(phases=_phase_rows(Subquery(open_template)))
    items: list[PrescribedExercise] = list(reads)
    if items:
        return _program_of(items), _reads_of(items[0], patient, today)
    return _without_open_items(patient, today, annotations)


def _without_open_items(
    patient: Patient, today: datetime.date, annotations: dict[str, Any]
) -> tuple[Prescription | None, TodayReads]:
    programs = patient.prescriptions.annotate(
        is_open=Case(
            When(status__in=Prescription.OPEN_STATUSES, then=Value(True)),
            default=Value(False),
        ),
        **annotations,
    ).order_by("-is_open", "-start_date", "-id")
    if connection.vendor == "postgresql":
        programs = programs.annotate(phases=_phase_rows(OuterRef("template_id")))
    latest = programs.first()
    if latest is None:
        row = Patient.objects.filter(pk=patient.pk).annotate(**annotations).get()
        return None, _reads_of(row, patient, today, earlier_stops=[])
    if latest.status in Prescription.OPEN_STATUSES:
        # Stored without exercises (programs are prescribed with some; an older row).
        latest._prefetched_objects_cache = {"exercises": []}  # type: ignore[attr-defined]
        return latest, _reads_of(latest, patient, today)
    return None, _reads_of(latest, patient, today, earlier_stops=stopped_exercises(latest))


def stopped_exercises(program: Prescription) -> list[PrescribedExercise]:
    """The program's exercises stopped for pain and not resumed since, in program order."""
    return list(
        program.exercises.filter(stopped_for_pain_at__isnull=False)
        .select_related("exercise")
        .order_by("phase", "order")
    )


def last_program_stops(patient: Patient) -> list[PrescribedExercise]:
    """With no open program: the exercises of the patient's latest program that were
    stopped for pain and never resumed (none for a patient who never had a program)."""
    latest = patient.prescriptions.order_by("-start_date", "-id").first()
    return stopped_exercises(latest) if latest is not None else []


def _open_items(patient: Patient) -> QuerySet[PrescribedExercise]:
    return (
        PrescribedExercise.objects.filter(
            prescription__patient=patient, prescription__status__in=Prescription.OPEN_STATUSES
        )
        .select_related("exercise", "prescription")
        # The media of every exercise in one more query, whatever the program's length.
        .prefetch_related("exercise__media")
        .order_by("phase", "order")
    )


def _program_of(items: list[PrescribedExercise]) -> Prescription:
    program = items[0].prescription
    for item in items:
        item.prescription = program  # one instance, as a prefetch would share it
    program._prefetched_objects_cache = {"exercises": items}  # type: ignore[attr-defined]
    return program


def open_program_with_exercises(patient: Patient) -> Prescription | None:
    """`open_prescription(patient, with_exercises=True)` in one query instead of two: the
    open program's exercises with their library rows and the program itself, joined. A
    patient has at most one open program (a unique constraint), so every row found is
    of that program; only a program without exercises needs the second query."""
    items = list(_open_items(patient))
    if not items:
        return open_prescription(patient, with_exercises=True)
    return _program_of(items)


# --- the patient summary's program, phase and pain -------------------------------------


@dataclass(frozen=True)
class PainTrend:
    """One pain (back or leg) rated after the program's sessions: the first reading (the
    baseline) and the latest; None where no session rated it."""

    baseline: int | None
    latest: int | None
    followed_up: bool = False  # rated by two sessions or more: there is a change

    @property
    def change(self) -> int | None:
        """Latest minus baseline: negative is better; None before a second reading."""
        if self.baseline is None or self.latest is None or not self.followed_up:
            return None
        return self.latest - self.baseline


@dataclass(frozen=True)
class CurrentProgram:
    """The program a patient is on (the open one, or without one their latest) with
    where it stands."""

    prescription: Prescription
    phase_began: datetime.date  # the patient's local date the current phase began
    phase_weeks: int | None  # the phase's planned length in its template (None: custom)
    back_pain: PainTrend
    leg_pain: PainTrend

    @property
    def is_open(self) -> bool:
        return self.prescription.status in Prescription.OPEN_STATUSES

    def phase_week(self, today: datetime.date) -> int:
        """The week of the phase `today` falls in: 1 in its first seven days (and before
        a program's start date)."""
        return max(0, (today - self.phase_began).days) // 7 + 1


# The readings a pain trend takes from a program's sessions that rated the pain: the
# first, the second (is there a change yet?) and the latest.
_READINGS = {"first": (False, 0), "second": (False, 1), "last": (True, 0)}


def _pain_reading(field: str, end: str) -> Subquery:
    """One of the `_READINGS` of `field` among the program's sessions that rated it."""
    latest_first, index = _READINGS[end]
    order = ("-performed_at", "-pk") if latest_first else ("performed_at", "pk")
    rated = ExerciseSession.objects.filter(
        prescription=OuterRef("pk"), **{f"{field}__isnull": False}
    )
    return Subquery(rated.order_by(*order).values(field)[index : index + 1])


def current_programs(*, patients: Iterable[Patient]) -> dict[int, CurrentProgram]:
    """Each patient's current program (open first, else the latest), by patient id: two
    queries however many patients, the program with its pain readings and its template
    phase's length, then its history for when the phase began."""
    chosen = Subquery(
        Prescription.objects.filter(patient=OuterRef("patient"))
        .annotate(is_open=Case(When(status__in=Prescription.OPEN_STATUSES, then=1), default=0))
        .order_by("-is_open", "-start_date", "-id")
        .values("pk")[:1]
    )
    phase_weeks = ProgramPhase.objects.filter(
        template=OuterRef("template"), number=OuterRef("current_phase")
    ).values("weeks")[:1]
    programs = list(
        Prescription.objects.filter(patient__in=[p.pk for p in patients])
        .annotate(
            chosen_id=chosen,
            planned_weeks=Subquery(phase_weeks),
            **{
                f"{field}_{end}": _pain_reading(field, end)
                for field in ("back_pain_after", "leg_pain_after")
                for end in _READINGS
            },
        )
        .filter(pk=F("chosen_id"))
        .select_related("patient")
        .order_by()
    )
    began = _phase_began(programs)
    result = {}
    for program in programs:
        row = vars(program)
        result[program.patient_id] = CurrentProgram(
            prescription=program,
            phase_began=began[program.pk],
            phase_weeks=row["planned_weeks"],
            back_pain=_trend(row, "back_pain_after"),
            leg_pain=_trend(row, "leg_pain_after"),
        )
    return result


def _trend(row: dict[str, Any], field: str) -> PainTrend:
    return PainTrend(
        baseline=row[f"{field}_first"],
        latest=row[f"{field}_last"],
        followed_up=row[f"{field}_second"] is not None,
    )


def _phase_began(programs: Sequence[Prescription]) -> dict[int, datetime.date]:
    """When each program's current phase began, on the patient's calendar: the first
    version with that phase after the last with another (phases only move forward, by
    prescription_advance_phase), and never before the program's start date. No phase
    is stored with its start, so this reads the history (one query)."""
    moved: dict[int, datetime.datetime] = {}
    current = {p.pk: p.current_phase for p in programs}
    previous: dict[int, int] = {}
    for pk, moment, phase in (
        Prescription.history.filter(id__in=list(current))
        .order_by("history_date", "history_id")
        .values_list("id", "history_date", "current_phase")
    ):
        if phase == current[pk] and previous.get(pk) not in (None, phase):
            moved[pk] = moment
        previous[pk] = phase
    return {
        p.pk: max(p.start_date, local_date(moved[p.pk], patient_zone(p.patient)))
        if p.pk in moved
        else p.start_date
        for p in programs
    }
