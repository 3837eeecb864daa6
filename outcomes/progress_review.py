"""The "no improvement after 6 weeks of good adherence" review.

It weighs a program's adherence (programs.adherence) against the outcome measures
(outcomes.selectors), so it lives with the measures, above the programs. It raises the
alert once per program; it runs after a questionnaire is answered
(outcomes.services.questionnaire_submit) and from a daily task (outcomes.tasks).

Severity: routine, as for the session rules of programs.safety (urgent is kept for red
flags).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from core.localtime import local_today, patient_zone
from core.records import record_save
from patients.models import ClinicalAlert, Patient
from patients.services import alert_raise
from programs.adherence import patient_adherence
from programs.models import Prescription

from .selectors import MeasureSummary, measure_summaries

logger = logging.getLogger(__name__)

# After this long on a program, with at least this share of the scheduled days done,
# and a follow-up measurement from this far into the program.
REVIEW_AFTER = datetime.timedelta(weeks=6)
GOOD_ADHERENCE = 0.8
FOLLOW_UP_FROM = datetime.timedelta(weeks=5)  # "in the sixth week or later"


def _followed_up_in_program(measure: MeasureSummary, start: datetime.date) -> bool:
    """A measure with a change whose latest answer is from the sixth week on."""
    return (
        measure.meets_mcid is not None
        and measure.latest is not None
        and measure.latest.answered_on - start >= FOLLOW_UP_FROM
    )


@transaction.atomic
def progress_review(
    *, patient: Patient, today: datetime.date | None = None
) -> ClinicalAlert | None:
    """After 6 weeks of an active program done on 80%+ of its scheduled days, when no
    outcome measure (NPRS, ODI, RMDQ) followed up from the sixth week on has improved by
    its minimal clinically important difference, suggest a spine specialist referral.

    Once per program; safe to call as often as you like (a questionnaire answered, the
    daily task). Without a follow-up measurement nothing is concluded."""
    if patient.status != Patient.Status.ACTIVE or patient.on_hold:
        return None  # a held or discharged patient's program is not running
    today = today or local_today(patient_zone(patient))
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
        if _followed_up_in_program(m, program.start_date)
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
