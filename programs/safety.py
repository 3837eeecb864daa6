"""Safety rules run on what the patient reports, and the alerts they raise.

`session_judge` and `session_review` run inside `programs.services.session_log`, once,
for a new session (never for a retried upload of one already stored): the judgement
before the session is stored, so its verdict is stored with it, the acts after:

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

The "no improvement after 6 weeks of good adherence" review is outcomes.progress_review:
it weighs adherence against the outcome measures, which this app does not read.

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
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext

from core.localtime import local_date, patient_zone
from core.records import record_save
from patients.models import ClinicalAlert, Patient
from patients.services import alert_raise

from . import pain
from .models import (
    ExerciseSession,
    ExtentChange,
    PainExtent,
    PainResponse,
    PrescribedExercise,
    SessionExercise,
)
from .stop_messages import compose_stop_message


def _day(moment: datetime.datetime, patient: Patient) -> str:
    local = local_date(moment, patient_zone(patient))
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


@dataclass(frozen=True)
class Review:
    """What the pain rules found in a session, judged before it is stored, so its verdict
    goes in with the row (one write, one history entry)."""

    pain_response: str
    extent: pain.Extent
    findings: list[pain.Finding]
    item_findings: list[tuple[SessionExercise, pain.Finding]]
    stops: list[tuple[SessionExercise, pain.Finding]]


def session_judge(*, session: ExerciseSession, items: Sequence[SessionExercise]) -> Review:
    """The pain rules (programs.pain) on a new session and its exercises, no query: the
    verdict to store on the session (`pain_response`), and what `session_review` acts on.
    `session.extent_change` is already set (from `previous_session`)."""
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
    if verdict.findings or item_findings or extent.spread:
        response = PainResponse.WORSENED
    elif centralization:
        response = PainResponse.CENTRALIZATION
    else:
        response = PainResponse.STEADY
    return Review(
        pain_response=response,
        extent=extent,
        findings=list(verdict.findings),
        item_findings=item_findings,
        stops=stops,
    )


def session_review(
    *,
    session: ExerciseSession,
    review: Review,
    previous: ExerciseSession | None,
) -> list[ClinicalAlert]:
    """Act on the pain rules' findings (`session_judge`) for a session just stored with
    that verdict, inside its transaction, once: stop the exercises that made the pain
    worse and return the alerts raised, at most one per kind.

    `previous` is the session it was compared with (`previous_session`, looked up before
    it was stored; its `extent_change` is set from it)."""
    when = _day(session.performed_at, session.patient)
    day = local_date(session.performed_at, patient_zone(session.patient))
    for item, stop in review.stops:
        _stop_exercise(item.prescribed_exercise, stop, session=session, day=day)
    stopped = [item.prescribed_exercise.exercise.name for item, _ in review.stops]
    alerts = []
    if review.findings or review.item_findings:
        findings = [f"session {finding.describe()}" for finding in review.findings]
        findings += [
            f"{item.prescribed_exercise.exercise.name}: {finding.describe()}"
            for item, finding in review.item_findings
        ]
        alerts.append(_pain_alert(session, findings, stopped, when))
    if review.extent.spread:
        alerts.append(_peripheralization_alert(session, previous, review.extent, stopped, when))
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


def _stop_message(stop: pain.Finding, session: ExerciseSession, day: datetime.date) -> str:
    """The English text stored with the stop (the record's, staff's); the patient reads
    it in their language (programs.stop_messages)."""
    with translation.override("en"):
        text = compose_stop_message(
            reason=stop.reason,
            before=stop.before,
            after=stop.after,
            extent=session.pain_extent,
            day=day,
        )
        return (text or gettext("Stop this exercise and contact your therapist."))[:300]


def _stop_exercise(
    item: PrescribedExercise, stop: pain.Finding, *, session: ExerciseSession, day: datetime.date
) -> None:
    """Flag the exercise "stop and contact your therapist". An exercise already stopped
    keeps the stop that stopped it (reason, readings, session) until a clinician
    resumes it; the alert tells the therapist about the new one."""
    locked = PrescribedExercise.objects.select_for_update().get(pk=item.pk)
    if locked.stopped_for_pain_at is not None:
        return
    item.stopped_for_pain_at = timezone.now()
    item.stop_reason = stop.reason
    item.stop_message = _stop_message(stop, session, day)
    item.stop_pain_before = stop.before
    item.stop_pain_after = stop.after
    item.stop_pain_extent = session.pain_extent
    item.stop_session_date = day
    item.stopped_by_session = session
    record_save(
        item,
        update_fields=[
            "stopped_for_pain_at",
            "stop_reason",
            "stop_message",
            "stop_pain_before",
            "stop_pain_after",
            "stop_pain_extent",
            "stop_session_date",
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
