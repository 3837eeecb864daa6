"""Patients needing attention: the active patients of a scope, each with why.

The reasons, each read only for a user allowed to read what it is about (the front
desk, which reads no clinical record, sees the holds only):

- on hold: a red-flag (medical) hold or a serious-pathology (referral) hold;
- stopped exercises: exercises of the open program the pain rules stopped and no
  clinician has resumed (programs.stops);
- inactive: an active program and no session for `INACTIVE_AFTER_DAYS` of the
  patient's own days, counted from the latest session or the program's start;
- questionnaires overdue: due on an earlier day of the patient's and not answered
  (outcomes.schedule);
- no improvement: a no-improvement alert (outcomes.progress_review) not yet resolved;
  acknowledging it says it was read, resolving it that the matter is closed;
- plan-of-care deadlines and remote monitoring short of data days
  (workspace.care_deadlines).

Three queries whatever the number of patients: the patients with what the first four
reasons need, and for the questionnaires their first diagnosis, program and answers;
and care_deadlines' own fixed number.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery
from django.urls import reverse

from core.localtime import local_date, local_midnight, local_today, patient_zone
from outcomes import schedule
from outcomes.models import Code, QuestionnaireResponse
from patients.models import ClinicalAlert, Diagnosis, Patient
from practice.models import User
from programs.models import ExerciseSession, PrescribedExercise, Prescription

from .care_deadlines import care_deadline_texts

INACTIVE_AFTER_DAYS = 3

# What each reason needs the user to be allowed to read.
SEE_STOPS = "programs.view_prescription"
SEE_SESSIONS = "programs.view_exercisesession"
SEE_QUESTIONNAIRES = "outcomes.view_questionnaireresponse"
SEE_ALERTS = "patients.view_clinicalalert"

# The names the questionnaires go by in the clinic.
SHORT_NAMES: dict[str, str] = {
    Code.ODI: "ODI",
    Code.NPRS: "NPRS",
    Code.RMDQ: "RMDQ",
    Code.STARTBACK: "STarT Back",
}


@dataclass(frozen=True)
class Reason:
    text: str
    url: str = ""  # the page that deals with it, when there is one besides the patient's


@dataclass(frozen=True)
class Attention:
    patient: Patient
    reasons: tuple[Reason, ...]


def _open_program(field: str) -> Subquery:
    rows = Prescription.objects.filter(
        patient=OuterRef("pk"), status__in=Prescription.OPEN_STATUSES
    ).order_by()
    return Subquery(rows.values(field)[:1])


def _annotated(patients: QuerySet[Patient], user: User) -> QuerySet[Patient]:
    annotations: dict[str, Any] = {}
    if user.has_perm(SEE_STOPS):
        stops = (
            PrescribedExercise.objects.filter(
                prescription__patient=OuterRef("pk"),
                prescription__status__in=Prescription.OPEN_STATUSES,
                stopped_for_pain_at__isnull=False,
            )
            .order_by()
            .values("prescription__patient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations["stops"] = Subquery(stops)
        annotations["program_id"] = _open_program("pk")
    if user.has_perm(SEE_SESSIONS):
        active = Prescription.objects.filter(
            patient=OuterRef("pk"), status=Prescription.Status.ACTIVE
        ).order_by()
        last = (
            ExerciseSession.objects.filter(patient=OuterRef("pk"))
            .order_by()
            .values("patient")
            .annotate(last=Max("performed_at"))
            .values("last")
        )
        annotations["active_start"] = Subquery(active.values("start_date")[:1])
        annotations["last_session_at"] = Subquery(last)
    if user.has_perm(SEE_ALERTS):
        unresolved = ClinicalAlert.objects.filter(
            patient=OuterRef("pk"),
            kind=ClinicalAlert.Kind.NO_IMPROVEMENT,
            resolved_at__isnull=True,
        ).order_by("-created_at", "-pk")
        annotations["no_improvement_alert"] = Subquery(unresolved.values("pk")[:1])
    return patients.annotate(**annotations)


def _hold(patient: Patient, zone: datetime.tzinfo) -> list[Reason]:
    # The dates on the clinic's calendar, whatever zone the caller has active.
    found = []
    if patient.medical_hold_since is not None:
        since = local_date(patient.medical_hold_since, zone)
        found.append(Reason(f"On medical hold (red flag) since {since:%Y-%m-%d}"))
    if patient.referral_hold_since is not None:
        since = local_date(patient.referral_hold_since, zone)
        found.append(Reason(f"On referral hold (to see a physician first) since {since:%Y-%m-%d}"))
    return found


def _stops(patient: Patient) -> list[Reason]:
    count = getattr(patient, "stops", None) or 0
    if not count:
        return []
    noun = "exercise" if count == 1 else "exercises"
    program_id = patient.program_id  # type: ignore[attr-defined]
    url = reverse("admin:programs_prescription_change", args=[program_id])
    return [Reason(f"{count} {noun} stopped for pain, waiting for review", url)]


def _inactive(patient: Patient) -> list[Reason]:
    start: datetime.date | None = getattr(patient, "active_start", None)
    if start is None or patient.on_hold:
        return []  # no program running: nothing to do, or told not to exercise
    zone = patient_zone(patient)
    today = local_today(zone)
    last: datetime.datetime | None = getattr(patient, "last_session_at", None)
    began = local_midnight(start, zone)
    last_day = local_date(max(last, began) if last is not None else began, zone)
    idle = (today - last_day).days
    if idle < INACTIVE_AFTER_DAYS:
        return []
    if last is None or last < began:
        return [Reason(f"No session since the program started {idle} days ago")]
    return [Reason(f"No session for {idle} days")]


def _no_improvement(patient: Patient) -> list[Reason]:
    alert_id = getattr(patient, "no_improvement_alert", None)
    if alert_id is None:
        return []
    url = reverse("admin:patients_clinicalalert_change", args=[alert_id])
    return [Reason("No meaningful improvement on the program: consider a referral", url)]


def _overdue(patients: QuerySet[Patient]) -> dict[int, Reason]:
    """The questionnaires each patient has overdue, as one reason per patient."""
    first_diagnosis = (
        Diagnosis.objects.filter(patient=OuterRef("pk"))
        .order_by()
        .values("patient")
        .annotate(first=Min("diagnosed_on"))
        .values("first")
    )
    first_program = (
        Prescription.objects.filter(patient=OuterRef("pk"), status=Prescription.Status.ACTIVE)
        .order_by()
        .values("patient")
        .annotate(first=Min("start_date"))
        .values("first")
    )
    rows = patients.annotate(
        first_diagnosis=Subquery(first_diagnosis), first_program=Subquery(first_program)
    ).only("pk", "status", "time_zone")
    answered: defaultdict[int, dict[str, tuple[datetime.datetime, datetime.datetime]]]
    answered = defaultdict(dict)
    for row in (
        QuestionnaireResponse.objects.filter(patient__in=patients.values("pk"))
        .order_by()
        .values("patient_id", "code")
        .annotate(first=Min("answered_at"), last=Max("answered_at"))
    ):
        answered[row["patient_id"]][row["code"]] = (row["first"], row["last"])
    found = {}
    for patient in rows:
        zone = patient_zone(patient)
        firsts = (patient.first_diagnosis, patient.first_program)
        starts = [d for d in firsts if d]
        facts = schedule.Facts.build(
            status=patient.status,
            evaluated_on=min(starts) if starts else None,
            answered=answered[patient.pk],
            tz=zone,
        )
        today = local_today(zone)
        late = [item for item in schedule.due(facts, today) if item.due_on < today]
        if late:
            names = ", ".join(SHORT_NAMES.get(item.code, item.code) for item in late)
            since = min(item.due_on for item in late)
            found[patient.pk] = Reason(f"Overdue: {names} (due since {since:%Y-%m-%d})")
    return found


def patients_needing_attention(
    *, patients: QuerySet[Patient], user: User, zone: datetime.tzinfo
) -> list[Attention]:
    """The active ones of `patients` (already scoped to the user) with a reason the user
    may read, by name; each with every such reason. `zone` is the clinic's: the holds'
    dates are on its calendar."""
    active = patients.filter(status=Patient.Status.ACTIVE)
    overdue = _overdue(active) if user.has_perm(SEE_QUESTIONNAIRES) else {}
    deadlines = care_deadline_texts(patients=active, user=user, zone=zone)
    found = []
    for patient in _annotated(active, user).order_by("last_name", "first_name", "pk"):
        reasons = [
            *_hold(patient, zone),
            *_stops(patient),
            *_inactive(patient),
            *([overdue[patient.pk]] if patient.pk in overdue else []),
            *_no_improvement(patient),
            *(Reason(text) for text in deadlines.get(patient.pk, ())),
        ]
        if reasons:
            found.append(Attention(patient=patient, reasons=tuple(reasons)))
    return found
