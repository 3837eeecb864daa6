"""Scoring of the outcome questionnaires, as published. Pure functions: no database.

Each function takes the item answers in the instrument's order (None = unanswered) and
returns a small frozen dataclass, or raises `ScoringError` (a ValueError) saying why the
answers cannot be scored. Every result has `score` (a Decimal with at most one decimal
place), `band` (the published interpretation, "" where the instrument has none) and
`subscale` (None where the instrument has none).

Sources and the choices made where they are silent:

- Oswestry Disability Index v2.1a: Fairbank JCT, Pynsent PB. The Oswestry Disability
  Index. Spine 2000;25(22):2940-52. Each of the 10 sections scores 0-5 (first statement
  0, last 5); index = total scored / (5 x sections answered) x 100. Their worked
  examples: all sections answered, 16/50 x 100 = 32%; one section missed,
  16/45 x 100 = "35.5%" (35.56, which they truncate). We allow at most 2 unanswered
  sections (the sex-life section is often skipped); with 3 or more the index is not
  computed. The index is reported rounded half-up to one decimal (16/45 -> 35.6).
  Bands (same paper): 0-20 minimal disability, 21-40 moderate, 41-60 severe, 61-80
  crippled, 81-100 bed-bound (or exaggerating). A complete ODI is always an even
  whole number; with missing sections it need not be whole, so the bands are read as
  contiguous ranges with inclusive upper limits, applied to the exact (unrounded)
  value: <= 20 minimal, <= 40 moderate, <= 60 severe, <= 80 crippled, above bed-bound.
  For whole numbers this is exactly the published table.
- Numeric Pain Rating Scale: one whole number 0-10; nothing may be missing.
- Roland-Morris Disability Questionnaire (24 items): Roland M, Morris R. Spine
  1983;8(2):141-4; Roland M, Fairbank J. Spine 2000;25(24):3115-24. The score is the
  number of statements that apply (0-24). The paper form is a checklist (an unticked
  line counts as "does not apply"); this app asks yes/no for each statement, so an
  unanswered item is unknown rather than "no". For it we prorate, as studied by Kent P,
  Lauridsen HH. Managing missing scores on the Roland Morris Disability Questionnaire.
  Spine 2011;36(22):1878-84: score = yes answers x 24 / items answered, rounded half-up
  to one decimal, when at most 2 items are unanswered; with 3 or more, not scored.
- Keele STarT Back Screening Tool (9 items): Hill JC et al. A primary care back pain
  screening tool. Arthritis Rheum 2008;59(5):632-41, and Keele's scoring guide. Items
  1-8 agree = 1, disagree = 0; item 9 (bothersomeness: not at all, slightly,
  moderately, very much, extremely) scores 1 only for "very much" or "extremely".
  Total 0-9; psychosocial subscale = items 5-9 (0-5). Risk: total <= 3 low; otherwise
  subscale >= 4 high, else medium. No missing items: the risk group needs them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import ClassVar, Protocol

from django.db import models


class ScoringError(ValueError):
    """The answers cannot be scored; the message says why."""


class OdiBand(models.TextChoices):
    MINIMAL = "minimal", "Minimal disability"
    MODERATE = "moderate", "Moderate disability"
    SEVERE = "severe", "Severe disability"
    CRIPPLED = "crippled", "Crippled"
    BED_BOUND = "bed_bound", "Bed-bound (or exaggerating)"


class StartBackRisk(models.TextChoices):
    LOW = "low", "Low risk"
    MEDIUM = "medium", "Medium risk"
    HIGH = "high", "High risk"


ODI_SECTIONS = 10
ODI_MAX_MISSING = 2
# Upper limits (inclusive) of each band, in order; above the last is bed-bound.
ODI_BAND_LIMITS = (
    (20, OdiBand.MINIMAL),
    (40, OdiBand.MODERATE),
    (60, OdiBand.SEVERE),
    (80, OdiBand.CRIPPLED),
)

NPRS_MAX = 10

RMDQ_ITEMS = 24
RMDQ_MAX_MISSING = 2

STARTBACK_ITEMS = 9
STARTBACK_SUBSCALE_ITEMS = range(5, 10)  # items 5-9, numbered from 1
# Item 9 options, in order; only the last two count.
STARTBACK_BOTHER_OPTIONS = ("not at all", "slightly", "moderately", "very much", "extremely")
STARTBACK_BOTHER_SCORING = (0, 0, 0, 1, 1)
STARTBACK_LOW_MAX = 3  # a total up to this is low risk
STARTBACK_HIGH_SUBSCALE = 4  # above that, a subscale from this is high risk

_TENTH = Decimal("0.1")


def one_decimal(value: Fraction | int) -> Decimal:
    """Round half-up to one decimal: 16/45 x 100 = 35.555... -> 35.6."""
    value = Fraction(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(_TENTH, rounding=ROUND_HALF_UP)


class Scored(Protocol):
    """What a stored response keeps of every result."""

    @property
    def score(self) -> Decimal: ...

    @property
    def band(self) -> str: ...

    @property
    def subscale(self) -> int | None: ...


class _NoSubscale:
    subscale: ClassVar[None] = None


class _Unbanded(_NoSubscale):
    """The result of an instrument without a published band or a subscale."""

    band: ClassVar[str] = ""


def _whole(value: object, *, lowest: int, highest: int, what: str) -> int:
    # bool is an int in Python; True must not pass for 1.
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise ScoringError(f"{what} must be a whole number from {lowest} to {highest}.")
    return value


def _count(answers: Sequence[object], expected: int, name: str) -> None:
    if len(answers) != expected:
        raise ScoringError(f"The {name} has {expected} items; got {len(answers)}.")


# --- Oswestry Disability Index ---------------------------------------------------------


@dataclass(frozen=True)
class OdiScore(_NoSubscale):
    total: int  # sum of the answered sections
    answered: int  # sections answered (8-10)
    percent: Decimal  # the index, 0-100, one decimal
    band: str

    @property
    def score(self) -> Decimal:
        return self.percent


def odi_band(percent: Fraction | Decimal | int) -> OdiBand:
    for limit, band in ODI_BAND_LIMITS:
        if percent <= limit:
            return band
    return OdiBand.BED_BOUND


def score_odi(sections: Sequence[int | None]) -> OdiScore:
    """Sections in order (pain intensity ... travelling), each 0-5 or None."""
    _count(sections, ODI_SECTIONS, "Oswestry Disability Index")
    answered = []
    for number, value in enumerate(sections, start=1):
        if value is not None:
            answered.append(_whole(value, lowest=0, highest=5, what=f"Section {number}"))
    missing = ODI_SECTIONS - len(answered)
    if missing > ODI_MAX_MISSING:
        raise ScoringError(
            f"{missing} of {ODI_SECTIONS} sections are unanswered; the Oswestry index is "
            f"scored with at most {ODI_MAX_MISSING} missing."
        )
    total = sum(answered)
    exact = Fraction(total, 5 * len(answered)) * 100
    return OdiScore(
        total=total, answered=len(answered), percent=one_decimal(exact), band=odi_band(exact)
    )


# --- Numeric Pain Rating Scale ---------------------------------------------------------


@dataclass(frozen=True)
class NprsScore(_Unbanded):
    pain: int

    @property
    def score(self) -> Decimal:
        return Decimal(self.pain)


def score_nprs(pain: int | None) -> NprsScore:
    if pain is None:
        raise ScoringError("The pain rating is unanswered; it has no missing-item rule.")
    return NprsScore(pain=_whole(pain, lowest=0, highest=NPRS_MAX, what="The pain rating"))


# --- Roland-Morris Disability Questionnaire --------------------------------------------


@dataclass(frozen=True)
class RmdqScore(_Unbanded):
    yes: int  # statements answered "yes"
    answered: int  # items answered (22-24)
    score: Decimal  # 0-24; prorated when items are missing

    @property
    def prorated(self) -> bool:
        return self.answered < RMDQ_ITEMS


def score_rmdq(items: Sequence[bool | None]) -> RmdqScore:
    """24 items in order, True when the statement applies, None when unanswered."""
    _count(items, RMDQ_ITEMS, "Roland-Morris Disability Questionnaire")
    answered = []
    for number, value in enumerate(items, start=1):
        if value is None:
            continue
        if not isinstance(value, bool):
            raise ScoringError(f"Item {number} must be yes (True) or no (False).")
        answered.append(value)
    missing = RMDQ_ITEMS - len(answered)
    if missing > RMDQ_MAX_MISSING:
        raise ScoringError(
            f"{missing} of {RMDQ_ITEMS} items are unanswered; the Roland-Morris score is "
            f"prorated for at most {RMDQ_MAX_MISSING} missing."
        )
    yes = sum(answered)
    return RmdqScore(
        yes=yes,
        answered=len(answered),
        score=one_decimal(Fraction(yes * RMDQ_ITEMS, len(answered))),
    )


# --- STarT Back Screening Tool ---------------------------------------------------------


@dataclass(frozen=True)
class StartBackScore:
    total: int  # 0-9
    subscale: int  # psychosocial, items 5-9: 0-5
    risk: str

    @property
    def score(self) -> Decimal:
        return Decimal(self.total)

    @property
    def band(self) -> str:
        return self.risk


def startback_risk(total: int, subscale: int) -> StartBackRisk:
    if total <= STARTBACK_LOW_MAX:
        return StartBackRisk.LOW
    return StartBackRisk.HIGH if subscale >= STARTBACK_HIGH_SUBSCALE else StartBackRisk.MEDIUM


def score_startback(items: Sequence[int | None]) -> StartBackScore:
    """Items 1-8 as 1 (agree) or 0 (disagree); item 9 as the option chosen, 0 (not at
    all) to 4 (extremely)."""
    _count(items, STARTBACK_ITEMS, "STarT Back Screening Tool")
    scores = []
    for number, value in enumerate(items, start=1):
        if value is None:
            raise ScoringError(
                f"Item {number} is unanswered; the STarT Back tool needs all {STARTBACK_ITEMS}."
            )
        if number < STARTBACK_ITEMS:
            scores.append(_whole(value, lowest=0, highest=1, what=f"Item {number}"))
        else:
            option = _whole(
                value, lowest=0, highest=len(STARTBACK_BOTHER_OPTIONS) - 1, what=f"Item {number}"
            )
            scores.append(STARTBACK_BOTHER_SCORING[option])
    total = sum(scores)
    subscale = sum(scores[n - 1] for n in STARTBACK_SUBSCALE_ITEMS)
    return StartBackScore(total=total, subscale=subscale, risk=startback_risk(total, subscale))
