"""Safety rules run on what the patient reports, and the alerts they raise.

`session_review` runs inside `programs.services.session_log`, once, when a new session
has been stored (never for a retried upload of one already stored):

- the pain rules of programs.pain, on the session's back and leg pain and on each
  exercise's own readings: leg pain rising by 2+, or pain spreading further down the
  leg (during the session or since the previous one), or back pain rising by 2+
  without centralization flags the exercises "stop and contact your therapist" (shown
  in /me/program) and raises one alert per kind for the session; back pain rising
  while the pain centralizes is recorded on the session as the expected
  centralization response and stops nothing;
- the verdict is kept on the session (`pain_response`), the comparison with the
  previous session too (`extent_change`).

A session done during a hold runs none of this (programs.sessions).

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

from django.db import transaction
from django.utils import timezone

from patients.models import ClinicalAlert, Patient
from patients.services import alert_raise
from practice.records import record_save

from . import pain
from .adherence import local_today, patient_adherence, patient_zone
from .models import (
    ExerciseSession,
    ExtentChange,
    PainExtent,
    PainResponse,
    PrescribedExercise,
    Prescription,
    SessionExercise,
    StopReason,
)

logger = logging.getLogger(__name__)

# The no-improvement review: after this long on a program, with at least this share of
# the scheduled days done, and a follow-up measurement from this far into the program.
REVIEW_AFTER = datetime.timedelta(weeks=6)
GOOD_ADHERENCE = 0.8
FOLLOW_UP_FROM = datetime.timedelta(weeks=5)  # "in the sixth week or later"


def _day(moment: datetime.datetime, patient: Patient) -> str:
    local = moment.astimezone(patient_zone(patient)).date()
    return f"{local:%a} {local.day} {local:%b %Y}"


# ---------------------------------------------------------------- pain extent


def previous_session(
    *, patient: Patient, performed_at: datetime.datetime
) -> ExerciseSession | None:
    """The patient's latest session performed before `performed_at` (any program): the
    one a new session's pain extent is compared with, even when uploaded after it."""
    earlier = ExerciseSession.objects.filter(patient=patient, performed_at__lt=performed_at)
    return earlier.order_by("-performed_at", "-pk").only("pain_extent", "performed_at").first()


# ---------------------------------------------------------------- the session rules


def session_review(
    *,
    session: ExerciseSession,
    items: Sequence[SessionExercise],
    previous: ExerciseSession | None,
) -> list[ClinicalAlert]:
    """Apply the pain rules (programs.pain) to a session just stored, inside its
    transaction, once; record the verdict on the session and return the alerts raised:
    at most one per kind.

    `previous` is the session it was compared with (`previous_session`, looked up before
    it was stored; its `extent_change` is set from it)."""
    during = (
        pain.extent_change(session.pain_extent_before, session.pain_extent)
        if session.pain_extent_before
        else None
    )
    extent = pain.Extent(
        during=during, since_previous=ExtentChange(session.extent_change or ExtentChange.FIRST)
    )
    session_leg = pain.leg_pain(session)
    verdict = pain.judge(back=pain.back_pain(session), leg=session_leg, extent=extent)
    centralization = verdict.centralization
    item_findings: list[tuple[SessionExercise, pain.Finding]] = []
    stops: list[tuple[SessionExercise, pain.Finding]] = []
    for item in items:
        back, leg = pain.back_pain(item), pain.leg_pain(item)
        own = pain.judge(back=back, leg=leg, extent=extent, leg_eased_elsewhere=session_leg.eased)
        centralization = centralization or own.centralization
        item_findings += [(item, finding) for finding in own.findings]
        stop = pain.stop_for(
            own=own,
            session=verdict,
            has_own={"back": back.known, "leg": leg.known},
            extent=extent,
            leg=leg if leg.known else session_leg,
        )
        if stop is not None:
            stops.append((item, stop))
    when = _day(session.performed_at, session.patient)
    for item, stop in stops:
        _stop_exercise(item.prescribed_exercise, stop, session=session, when=when)
    if verdict.findings or item_findings or extent.spread:
        session.pain_response = PainResponse.WORSENED
    elif centralization:
        session.pain_response = PainResponse.CENTRALIZATION
    else:
        session.pain_response = PainResponse.STEADY
    record_save(session, update_fields=["pain_response"])
    stopped = [item.prescribed_exercise.exercise.name for item, _ in stops]
    alerts = []
    if verdict.findings or item_findings:
        findings = [f"session {finding.describe()}" for finding in verdict.findings]
        findings += [
            f"{item.prescribed_exercise.exercise.name}: {finding.describe()}"
            for item, finding in item_findings
        ]
        alerts.append(_pain_alert(session, findings, stopped, when))
    if extent.spread:
        alerts.append(_peripheralization_alert(session, previous, extent, stopped, when))
    return alerts


def _action(patient: Patient, stopped: Sequence[str]) -> str:
    if not stopped:
        return "Review the program with the patient before the next session."
    return (
        f"The app now tells {patient.first_name} to stop {', '.join(stopped)} and contact "
        "you before doing it again; review the program."
    )


def _pain_alert(
    session: ExerciseSession, findings: Sequence[str], stopped: Sequence[str], when: str
) -> ClinicalAlert:
    patient = session.patient
    return alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.PAIN_INCREASE,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=f"Pain rose by {pain.PAIN_RISE} or more points in {patient.full_name}'s "
        f"session on {when}: {'; '.join(findings)}. {_action(patient, stopped)}",
    )


def _stop_message(stop: pain.Finding, session: ExerciseSession, when: str) -> str:
    if stop.reason == StopReason.PERIPHERALIZED:
        extent = PainExtent(session.pain_extent).label.lower()
        what = f"your pain spread further down your leg, to the {extent}"
    else:
        which = "leg" if stop.reason == StopReason.LEG_PAIN_ROSE else "back"
        what = f"your {which} pain rose from {stop.before} to {stop.after}"
    return (
        f"Stop this exercise: {what} in your session on {when}. Contact your therapist "
        "before you do it again."
    )[:300]


def _stop_exercise(
    item: PrescribedExercise, stop: pain.Finding, *, session: ExerciseSession, when: str
) -> None:
    """Flag the exercise "stop and contact your therapist". An exercise already stopped
    keeps the stop that stopped it (reason, readings, session) until a clinician
    resumes it; the alert tells the therapist about the new one."""
    locked = PrescribedExercise.objects.select_for_update().get(pk=item.pk)
    if locked.stopped_for_pain_at is not None:
        return
    item.stopped_for_pain_at = timezone.now()
    item.stop_reason = stop.reason
    item.stop_message = _stop_message(stop, session, when)
    item.stop_pain_before = stop.before
    item.stop_pain_after = stop.after
    item.stopped_by_session = session
    record_save(
        item,
        update_fields=[
            "stopped_for_pain_at",
            "stop_reason",
            "stop_message",
            "stop_pain_before",
            "stop_pain_after",
            "stopped_by_session",
        ],
    )


def _peripheralization_alert(
    session: ExerciseSession,
    previous: ExerciseSession | None,
    extent: pain.Extent,
    stopped: Sequence[str],
    when: str,
) -> ClinicalAlert:
    patient = session.patient
    now_at = PainExtent(session.pain_extent).label.lower()
    if extent.during == ExtentChange.PERIPHERALIZED or previous is None:
        start = PainExtent(session.pain_extent_before).label.lower()
        spread = f"during the session, from the {start} to the {now_at}"
    else:
        start = PainExtent(previous.pain_extent).label.lower()
        spread = (
            f"from the {start} (session on {_day(previous.performed_at, patient)}) to the {now_at}"
        )
    return alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.PERIPHERALIZATION,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=f"Pain spread further down the leg in {patient.full_name}'s session on "
        f"{when}: {spread}. Stop the movement that spreads the pain. "
        f"{_action(patient, stopped)}",
    )


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

    if patient.status != Patient.Status.ACTIVE or patient.on_hold:
        return None  # a held or discharged patient's program is not running
    today = today or local_today(patient)
    program = (
        Prescription.objects.select_for_update()
        .filter(patient=patient, status=Prescription.Status.ACTIVE)
        .first()
    )
    if program is None or program.no_improvement_alerted_at is not None:
        return None
    # Differences of dates, never sums: a start date stored near the end of the calendar
    # must not overflow (bad data is not reviewed, and does not break the review).
    if today - program.start_date < REVIEW_AFTER:
        return None
    (program_adherence,) = patient_adherence(patient=patient, today=today, prescription=program)
    adherence = program_adherence.adherence
    if adherence.ratio is None or adherence.ratio < GOOD_ADHERENCE:
        return None
    assessed = [
        m
        for m in measure_summaries(patient=patient).values()
        if m.meets_mcid is not None and m.latest.answered_on - program.start_date >= FOLLOW_UP_FROM
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
            referral_hold_since__isnull=True,
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
