"""Safety rules run on what the patient reports, and the alerts they raise.

`session_review` runs inside `programs.services.session_log`, once, when a new session
has been stored (never for a retried upload of one already stored):

- pain that rises by 2+ points during an exercise flags that exercise "stop and contact
  your therapist" (shown in /me/program) and, with a session whose pain rose by 2+
  points, raises one pain-increase alert for the session;
- pain that reaches further down the leg than at the previous session
  (peripheralization) raises a peripheralization alert; pain retreating toward the back
  (centralization) is recorded on the session as progress.

`progress_review` raises the "no improvement after 6 weeks of good adherence" alert,
once per program; it runs after a questionnaire is answered and from a daily task.

Severity: these alerts are *routine*, not urgent. Urgent is kept for red flags (a
possible cauda equina syndrome, an emergency): an urgent alert is emailed to the
therapist within a minute at any hour and sorts above everything else, and alerts that
are not emergencies there would dull it. A rise in pain or a spreading pain needs the
therapist's review before the program goes on, and the patient has already been told
to stop the exercise and contact the therapist; if it comes with weakness or bladder
symptoms, the red-flag report is the emergency path.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from patients.models import ClinicalAlert, Patient
from patients.services import alert_raise
from practice.models import StaffMember
from practice.records import record_save
from practice.services import ensure_same_clinic

from .adherence import local_today, patient_adherence, patient_zone
from .models import (
    ExerciseSession,
    ExtentChange,
    PainExtent,
    PrescribedExercise,
    Prescription,
    SessionExercise,
)

logger = logging.getLogger(__name__)

# A rise of this many points (0-10 scale) or more stops the exercise.
PAIN_RISE = 2
# The no-improvement review: after this long on a program, with at least this share of
# the scheduled days done, and a follow-up measurement from this far into the program.
REVIEW_AFTER = datetime.timedelta(weeks=6)
GOOD_ADHERENCE = 0.8
FOLLOW_UP_FROM = datetime.timedelta(weeks=5)  # "in the sixth week or later"


def _day(moment: datetime.datetime, patient: Patient) -> str:
    local = moment.astimezone(patient_zone(patient)).date()
    return f"{local:%a} {local.day} {local:%b %Y}"


def _rise(before: int | None, after: int | None) -> int | None:
    if before is None or after is None:
        return None
    return after - before


# ---------------------------------------------------------------- pain extent


def extent_change(previous: str | None, current: str) -> ExtentChange:
    """Compare a session's pain extent with the previous session's (None: no previous)."""
    if previous is None:
        return ExtentChange.FIRST
    delta = PainExtent.rank(current) - PainExtent.rank(previous)
    if delta > 0:
        return ExtentChange.PERIPHERALIZED
    if delta < 0:
        return ExtentChange.CENTRALIZED
    return ExtentChange.SAME


def previous_session(
    *, patient: Patient, performed_at: datetime.datetime, exclude: int | None = None
) -> ExerciseSession | None:
    """The patient's latest session performed before `performed_at` (any program)."""
    earlier = ExerciseSession.objects.filter(patient=patient).filter(
        Q(performed_at__lt=performed_at) | Q(performed_at=performed_at, pk__lt=exclude or 0)
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    return earlier.order_by("-performed_at", "-pk").only("pain_extent", "performed_at").first()


# ---------------------------------------------------------------- the session rules


def session_review(
    *,
    session: ExerciseSession,
    items: Sequence[SessionExercise],
    previous: ExerciseSession | None,
) -> list[ClinicalAlert]:
    """Apply the rules to a session just stored (inside its transaction, once).

    `previous` is the session it was compared with (`previous_session`, looked up before
    it was stored; its `extent_change` is set from it). Flags exercises whose pain rose by
    2+ and returns the alerts raised: at most one per kind."""
    alerts = []
    alert = _pain_rule(session, items)
    if alert is not None:
        alerts.append(alert)
    if session.extent_change == ExtentChange.PERIPHERALIZED and previous is not None:
        alerts.append(_peripheralization_alert(session, previous, items))
    return alerts


def _pain_rule(session: ExerciseSession, items: Sequence[SessionExercise]) -> ClinicalAlert | None:
    patient = session.patient
    when = _day(session.performed_at, patient)
    findings = []
    stopped = []
    for item in items:
        rise = _rise(item.pain_before, item.pain_after)
        if rise is None or rise < PAIN_RISE:
            continue
        prescribed = item.prescribed_exercise
        name = prescribed.exercise.name
        findings.append(f"{name}: pain from {item.pain_before} to {item.pain_after} (+{rise})")
        stopped.append(name)
        _stop_exercise(prescribed, before=item.pain_before, after=item.pain_after, when=when)
    session_rise = _rise(session.pain_before, session.pain_after)
    if session_rise is not None and session_rise >= PAIN_RISE:
        findings.insert(
            0,
            f"session pain from {session.pain_before} to {session.pain_after} (+{session_rise})",
        )
    if not findings:
        return None
    if stopped:
        action = (
            f"The app now tells {patient.first_name} to stop {', '.join(stopped)} and contact "
            "you before doing it again; review the program."
        )
    else:
        action = "Review the program with the patient before the next session."
    return alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.PAIN_INCREASE,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=f"Pain rose by {PAIN_RISE} or more points in {patient.full_name}'s session on "
        f"{when}: {'; '.join(findings)}. {action}",
    )


def _stop_exercise(item: PrescribedExercise, *, before: int, after: int, when: str) -> None:
    item.stop_message = (
        f"Stop this exercise: your pain rose from {before} to {after} while doing it "
        f"({when}). Contact your therapist before you do it again."
    )[:300]
    if item.stopped_for_pain_at is None:
        item.stopped_for_pain_at = timezone.now()
    record_save(item, update_fields=["stopped_for_pain_at", "stop_message"])


def _peripheralization_alert(
    session: ExerciseSession, previous: ExerciseSession, items: Sequence[SessionExercise]
) -> ClinicalAlert:
    patient = session.patient
    names = ", ".join(item.prescribed_exercise.exercise.name for item in items)
    return alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.PERIPHERALIZATION,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=f"Pain spread further down the leg in {patient.full_name}'s session on "
        f"{_day(session.performed_at, patient)}: from the "
        f"{PainExtent(previous.pain_extent).label.lower()} (session on "
        f"{_day(previous.performed_at, patient)}) to the "
        f"{PainExtent(session.pain_extent).label.lower()}. Stop the movement that spreads "
        f"the pain; review the exercises of this session ({names}).",
    )


@transaction.atomic
def exercise_resume(*, item: PrescribedExercise, staff_member: StaffMember) -> PrescribedExercise:
    """A clinician has reviewed a stopped exercise: the patient may do it again."""
    item = (
        PrescribedExercise.objects.select_for_update()
        .select_related("prescription__patient")
        .get(pk=item.pk)
    )
    ensure_same_clinic(item.prescription.patient.clinic, staff_member=staff_member)
    if not staff_member.is_clinician:
        raise ValidationError({"staff_member": f"{staff_member} is not a clinician."})
    if item.stopped_for_pain_at is not None:
        item.stopped_for_pain_at = None
        item.stop_message = ""
        record_save(
            item, actor=staff_member.user, update_fields=["stopped_for_pain_at", "stop_message"]
        )
    return item


# ---------------------------------------------------------------- no improvement


@transaction.atomic
def progress_review(
    *, patient: Patient, today: datetime.date | None = None
) -> ClinicalAlert | None:
    """After 6 weeks of an active program done on 80%+ of its scheduled days, when no
    outcome measure (NPRS, ODI, RMDQ) followed up from the sixth week on has improved by
    its minimal clinically important difference, suggest a spine specialist referral.

    Once per program; safe to call as often as you like (a questionnaire answered, the
    daily task). Without a follow-up measurement nothing is concluded."""
    from outcomes.selectors import measure_summaries  # outcomes builds on programs

    if patient.status != Patient.Status.ACTIVE or patient.on_medical_hold:
        return None  # a held or discharged patient's program is not running
    today = today or local_today(patient)
    program = (
        Prescription.objects.select_for_update()
        .filter(patient=patient, status=Prescription.Status.ACTIVE)
        .first()
    )
    if program is None or program.no_improvement_alerted_at is not None:
        return None
    if today < program.start_date + REVIEW_AFTER:
        return None
    (program_adherence,) = patient_adherence(patient=patient, today=today, prescription=program)
    adherence = program_adherence.adherence
    if adherence.ratio is None or adherence.ratio < GOOD_ADHERENCE:
        return None
    follow_up_from = program.start_date + FOLLOW_UP_FROM
    assessed = [
        m
        for m in measure_summaries(patient=patient).values()
        if m.meets_mcid is not None and m.latest.answered_on >= follow_up_from
    ]
    if not assessed or any(m.meets_mcid for m in assessed):
        return None
    weeks = (today - program.start_date).days // 7
    results = "; ".join(m.describe() for m in assessed)
    alert = alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.NO_IMPROVEMENT,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=f"No meaningful improvement for {patient.full_name} after {weeks} weeks of "
        f"{program.name} done on {adherence.percent}% of the scheduled days: {results}. "
        "Consider referral to a spine specialist.",
    )
    program.no_improvement_alerted_at = timezone.now()
    record_save(program, update_fields=["no_improvement_alerted_at"])
    return alert


def progress_review_all(*, now: datetime.datetime | None = None) -> int:
    """The daily pass: review every active program old enough; how many alerts."""
    now = now or timezone.now()
    # A day of margin for the zones; progress_review checks each patient's own date.
    cutoff = (now - REVIEW_AFTER).date() + datetime.timedelta(days=1)
    patients = (
        Patient.objects.filter(
            status=Patient.Status.ACTIVE,
            medical_hold_since__isnull=True,
            prescriptions__status=Prescription.Status.ACTIVE,
            prescriptions__start_date__lte=cutoff,
            prescriptions__no_improvement_alerted_at__isnull=True,
        )
        .order_by("pk")
        .distinct()
    )
    raised = 0
    for patient in patients.iterator(chunk_size=500):
        try:
            if progress_review(patient=patient) is not None:
                raised += 1
        except Exception:  # one patient's bad data must not stop the others' review
            logger.exception("Progress review failed for patient %s", patient.pk)
    return raised
