"""Reads of the programs with a rule in them."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    Prefetch,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from core.localtime import local_midnight, local_today, patient_zone
from education.models import Topic
from education.selectors import LATEST_DIAGNOSIS, active_topic_links_sql, topic_links_from
from patients.models import Diagnosis, Patient

from .models import ExerciseSession, PrescribedExercise, Prescription


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


def open_program_for_today(patient: Patient) -> tuple[Prescription | None, TodayReads | None]:
    """`open_program_with_exercises(patient)`, and in the same query today's count of
    logged sessions and the latest diagnosis (the education profile's), and on
    PostgreSQL the active topics to link, as subqueries that do not depend on the row
    (PostgreSQL runs each once). The reads are None for a program without exercises,
    read the plain way."""
    zone = patient_zone(patient)
    today = local_today(zone)
    logged = (
        sessions_on(patient, today, zone)
        .order_by()
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest = Diagnosis.objects.filter(patient=patient).order_by(*LATEST_DIAGNOSIS)
    reads = _open_items(patient).annotate(
        sessions_today=Coalesce(Subquery(logged), Value(0), output_field=IntegerField()),
        latest_diagnosis=Subquery(latest.values("pk")[:1]),
        latest_cause=Subquery(latest.values("cause")[:1]),
        latest_onset=Subquery(latest.values("onset_date")[:1]),
    )
    with_topics = connection.vendor == "postgresql"
    if with_topics:
        reads = reads.annotate(
            # Table and column names from the models only, no value: nothing to inject.
            # As text, parsed for the first row only: every row carries the same array.
            active_topics=RawSQL(active_topic_links_sql(), (), output_field=TextField())  # noqa: S611
        )
    items: list[PrescribedExercise] = list(reads)
    if not items:
        return open_prescription(patient, with_exercises=True), None
    first = vars(items[0])  # the annotations
    diagnosis = None
    if first["latest_diagnosis"] is not None:
        diagnosis = Diagnosis(
            pk=first["latest_diagnosis"],
            patient=patient,
            cause=first["latest_cause"],
            onset_date=first["latest_onset"],
        )
    topics = topic_links_from(json.loads(first["active_topics"])) if with_topics else None
    today_reads = TodayReads(
        date=today, sessions_logged=first["sessions_today"], diagnosis=diagnosis, topics=topics
    )
    return _program_of(items), today_reads


def _open_items(patient: Patient) -> QuerySet[PrescribedExercise]:
    return (
        PrescribedExercise.objects.filter(
            prescription__patient=patient, prescription__status__in=Prescription.OPEN_STATUSES
        )
        .select_related("exercise", "prescription")
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
