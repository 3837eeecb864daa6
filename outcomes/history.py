"""A patient's own history, as the app shows it to them: sessions per week, the pain
trend (back and leg apart) and every questionnaire score with what it means in plain
words, and whether the change since the first answer is a clinically important
improvement (the MCIDs of outcomes.selectors).

Built on `patient_progress` (the staff progress read), plus one query for the scores
with their bands, so the number of queries does not grow with the history.

The pain trend reads the pain rated before exercising (the resting level the exercises
are meant to bring down; the reading after a session says how that session went). Its
baseline is the first week with a reading, its latest the most recent, each the week's
mean, and an improvement is judged as for the NPRS: 2 points or 30% of the baseline.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.localtime import local_date, patient_zone
from patients.models import Patient

from .models import Code, QuestionnaireResponse
from .scoring import OdiBand, StartBackRisk
from .selectors import FOLLOWED_UP, MEASURES, Mcid, Progress, patient_progress

PAIN_MCID = MEASURES[Code.NPRS][1]
# NPRS upper limits (inclusive) for the words a patient reads; the usual 0 / 1-3 / 4-6
# / 7-10 reading of the scale.
NPRS_WORDS = ((0, "none"), (3, "mild"), (6, "moderate"), (10, "severe"))


def band_meaning(code: str, band: str) -> str:
    """An ODI band or STarT Back risk group in words a patient understands."""
    meanings: dict[tuple[str, str], str] = {
        (Code.ODI, OdiBand.MINIMAL): _(
            "Minimal disability: you can manage most everyday activities; lifting or "
            "sitting for a long time may still be uncomfortable."
        ),
        (Code.ODI, OdiBand.MODERATE): _(
            "Moderate disability: pain makes sitting, lifting and standing harder; most "
            "people manage daily life with some changes."
        ),
        (Code.ODI, OdiBand.SEVERE): _(
            "Severe disability: pain is a main problem in daily life, affecting things "
            "like travel, personal care, social life and sleep."
        ),
        (Code.ODI, OdiBand.CRIPPLED): _(
            "Very severe disability: back pain affects almost every part of daily life."
        ),
        (Code.ODI, OdiBand.BED_BOUND): _(
            "Extreme disability: pain limits nearly everything you do. Please tell your "
            "therapist how you are."
        ),
        (Code.STARTBACK, StartBackRisk.LOW): _(
            "Low risk: back pain like yours usually gets better with advice, staying "
            "active and your exercises."
        ),
        (Code.STARTBACK, StartBackRisk.MEDIUM): _(
            "Medium risk: your back pain may take longer to settle; a guided exercise "
            "program helps."
        ),
        (Code.STARTBACK, StartBackRisk.HIGH): _(
            "High risk: pain and worry are weighing on you; your therapist can give "
            "extra support with both."
        ),
    }
    return meanings.get((code, band), "")


def score_meaning(code: str, score: Decimal, band: str) -> str:
    """What one score means, in plain words ("" when there is nothing to say)."""
    if code in (Code.ODI, Code.STARTBACK):
        return band_meaning(code, band)
    if code == Code.NPRS:
        words = next(word for limit, word in NPRS_WORDS if score <= limit)
        return {
            "none": _("No pain."),
            "mild": _("Mild pain: it is there, but most activities are manageable."),
            "moderate": _("Moderate pain: it gets in the way of some activities."),
            "severe": _("Severe pain: it makes most activities hard."),
        }[words]
    if code == Code.RMDQ:
        return _(
            "Your back limits {score} of the 24 everyday activities asked about; lower is better."
        ).format(score=f"{score.normalize():f}")
    return ""


def change_meaning(improved: bool | None) -> str:
    if improved is None:
        return _("Not enough answers yet to see a change.")
    if improved:
        return _("A clinically important improvement since your first answer.")
    return _("Not yet a clinically important improvement since your first answer.")


@dataclass(frozen=True)
class Score:
    answered_at: datetime.datetime
    answered_on: datetime.date
    occasion: str
    score: Decimal
    band: str
    meaning: str


@dataclass(frozen=True)
class Trend:
    """Baseline and latest, the change (negative is better) and the MCID verdict (None
    before a second reading, or where the measure has no MCID)."""

    baseline: Decimal | None
    latest: Decimal | None
    change: Decimal | None
    improved: bool | None
    mcid: Mcid | None

    @property
    def meaning(self) -> str:
        return change_meaning(self.improved) if self.mcid is not None else ""


def _trend(values: list[Decimal], mcid: Mcid | None) -> Trend:
    if not values:
        return Trend(None, None, None, None, mcid)
    baseline, latest = values[0], values[-1]
    if len(values) < FOLLOWED_UP:
        return Trend(baseline, latest, None, None, mcid)
    improved = mcid.met(baseline=baseline, latest=latest) if mcid is not None else None
    return Trend(baseline, latest, latest - baseline, improved, mcid)


@dataclass(frozen=True)
class Questionnaire:
    code: str
    title: str
    scores: tuple[Score, ...]  # oldest first
    trend: Trend


@dataclass(frozen=True)
class History:
    progress: Progress
    back_pain: Trend
    leg_pain: Trend
    questionnaires: tuple[Questionnaire, ...]

    @property
    def weeks(self):
        return self.progress.weeks


def _questionnaires(patient: Patient) -> tuple[Questionnaire, ...]:
    tz = patient_zone(patient)
    by_code: dict[str, list[Score]] = defaultdict(list)
    rows = (
        QuestionnaireResponse.objects.filter(patient=patient)
        .order_by("answered_at", "pk")
        .values_list("code", "score", "band", "answered_at", "occasion")
    )
    for code, score, band, answered_at, occasion in rows:
        if not score.is_finite():  # NaN is a valid PostgreSQL numeric, never a score
            continue
        by_code[code].append(
            Score(
                answered_at=answered_at,
                answered_on=local_date(answered_at, tz),
                occasion=occasion,
                score=score,
                band=band,
                meaning=score_meaning(code, score, band),
            )
        )
    result = []
    for code, label in Code.choices:
        scores = by_code.get(code, [])
        mcid = MEASURES[code][1] if code in MEASURES else None
        result.append(
            Questionnaire(
                code=code,
                title=str(label),
                scores=tuple(scores),
                trend=_trend([s.score for s in scores], mcid),
            )
        )
    return tuple(result)


def patient_history(*, patient: Patient, today: datetime.date | None = None) -> History:
    """The patient's history for the app (see the module doc); a fixed number of queries."""
    progress = patient_progress(patient=patient, today=today)
    back = [w.back_pain_before_mean for w in progress.weeks if w.back_pain_before_mean is not None]
    leg = [w.leg_pain_before_mean for w in progress.weeks if w.leg_pain_before_mean is not None]
    return History(
        progress=progress,
        back_pain=_trend(back, PAIN_MCID),
        leg_pain=_trend(leg, PAIN_MCID),
        questionnaires=_questionnaires(patient),
    )
