"""Billed units of a visit's procedures, by the payer's rule.

Timed CPT codes (the 15-minute codes) are billed in units of their minutes; untimed
codes (evaluations, unattended modalities) are one unit whatever their length.

- Medicare (CMS) counts the visit's timed minutes together: 8 to 22 minutes are one
  unit, 23 to 37 two, and so on by 15, and assigns the units to the codes by the
  published method: each code first gets a unit for every full 15 minutes of its own,
  then the units left go to the codes with the most minutes left over (ties: the code
  with more minutes in all). Source: CMS, Medicare Claims Processing Manual (Pub.
  100-04), chapter 5, section 20.2, "Reporting of Service Units With HCPCS", and the
  MLN fact sheet on the 8-minute rule.
- Most commercial payers follow the AMA's CPT rule (the "rule of eights") code by code:
  a code earns a unit for 8 minutes or more, and another at each further 15
  (8-22 minutes = 1, 23-37 = 2, ...). Source: AMA, CPT Professional, "Time" in the
  introduction, units of 15 minutes reached at the midpoint.

Example: 97110 for 25 minutes, 97112 for 15 and 97140 for 10 are 50 timed minutes,
3 units under CMS (97110 2, 97112 1, 97140 none) and 4 under the AMA rule (2, 1, 1).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

UNIT_MINUTES = 15
MIDPOINT = 8  # a unit's minutes begin to count at 8 of its 15
MAX_MINUTES = 480  # a procedure's minutes in one visit, as appointments allow a visit


class Rule(enum.StrEnum):
    CMS = "cms"  # Medicare and the payers that follow it
    AMA = "ama"  # CPT's own rule, per code


# The timed codes a physical therapist bills for sciatica care.
TIMED_CODES: dict[str, str] = {
    "97110": "Therapeutic exercise",
    "97112": "Neuromuscular re-education",
    "97116": "Gait training",
    "97140": "Manual therapy",
    "97530": "Therapeutic activities",
    "97535": "Self-care / home management training",
}
# One unit a visit, whatever the minutes.
UNTIMED_CODES: dict[str, str] = {
    "97161": "PT evaluation, low complexity",
    "97162": "PT evaluation, moderate complexity",
    "97163": "PT evaluation, high complexity",
    "97164": "PT re-evaluation",
    "97010": "Hot or cold packs",
    "97014": "Electrical stimulation, unattended",
    "G0283": "Electrical stimulation, unattended (Medicare)",
}
EVALUATION_CODES = frozenset({"97161", "97162", "97163", "97164"})
# Bundled by Medicare and many payers: its minutes are time of the visit, not billed.
HOT_COLD_PACKS = "97010"


@dataclass(frozen=True)
class Procedure:
    code: str
    minutes: int


@dataclass(frozen=True)
class Line:
    """A procedure as billed: its units, and why, in words for the note."""

    code: str
    minutes: int
    units: int
    reason: str


@dataclass(frozen=True)
class Units:
    """`timed_minutes` decide the units; `total_minutes` is the visit's treatment time as
    the claim reports it (the timed minutes, and hot or cold packs where they are paid)."""

    rule: Rule
    lines: tuple[Line, ...]
    timed_minutes: int
    total_minutes: int

    @property
    def total(self) -> int:
        return sum(line.units for line in self.lines)


def units_for_minutes(minutes: int) -> int:
    """Units for `minutes` of timed service: none below 8, then one more at each 15."""
    if minutes < MIDPOINT:
        return 0
    return (minutes + UNIT_MINUTES - MIDPOINT) // UNIT_MINUTES


def _check(procedures: Sequence[Procedure]) -> None:
    codes = [p.code for p in procedures]
    if len(set(codes)) != len(codes):
        raise ValueError("List each code once, with all of its minutes.")
    for procedure in procedures:
        if procedure.code not in TIMED_CODES and procedure.code not in UNTIMED_CODES:
            raise ValueError(f"{procedure.code} is not a code this practice bills.")
        if not 0 <= procedure.minutes <= MAX_MINUTES:
            raise ValueError(f"{procedure.code}: minutes must be between 0 and {MAX_MINUTES}.")
        # An untimed code bills its unit whatever the minutes: 0 means it was not done.
        if procedure.code in UNTIMED_CODES and procedure.minutes == 0:
            raise ValueError(f"{procedure.code}: give the minutes it took.")
    evaluations = sorted(set(codes) & EVALUATION_CODES)
    if len(evaluations) > 1:
        # One evaluation or re-evaluation a visit (CPT: 97161-97164 are alternatives).
        raise ValueError(f"Bill one evaluation a visit, not {' and '.join(evaluations)}.")


def _untimed(procedure: Procedure, *, pays_packs: bool) -> Line:
    if procedure.code == HOT_COLD_PACKS and not pays_packs:
        return Line(procedure.code, procedure.minutes, 0, "bundled: the payer does not pay it")
    return Line(procedure.code, procedure.minutes, 1, "untimed: one unit")


def _cms(timed: Sequence[Procedure], total_minutes: int) -> list[Line]:
    total = units_for_minutes(total_minutes)
    full = {p.code: p.minutes // UNIT_MINUTES for p in timed}
    left = total - sum(full.values())
    # The units left go to the largest remainders, then to the code with more minutes.
    by_remainder = sorted(
        (p for p in timed if p.minutes % UNIT_MINUTES),
        key=lambda p: (p.minutes % UNIT_MINUTES, p.minutes),
        reverse=True,
    )
    extra = {p.code for p in by_remainder[:left]}
    lines = []
    for p in timed:
        units = full[p.code] + (p.code in extra)
        why = f"{full[p.code]} for full 15 minutes"
        if p.code in extra:
            why += f", 1 for the {p.minutes % UNIT_MINUTES} minutes left over"
        lines.append(Line(p.code, p.minutes, units, f"CMS, {total_minutes} timed minutes: {why}"))
    return lines


def _ama(timed: Sequence[Procedure]) -> list[Line]:
    return [
        Line(p.code, p.minutes, units_for_minutes(p.minutes), f"AMA, {p.minutes} minutes")
        for p in timed
    ]


def visit_units(*, procedures: Sequence[Procedure], rule: Rule, pays_packs: bool) -> Units:
    """The units each procedure bills under `rule`. `pays_packs`: whether the payer pays
    hot or cold packs (97010): then they bill their unit and their minutes count toward
    the visit's total time; else they bill nothing and count toward nothing."""
    _check(procedures)
    timed = [p for p in procedures if p.code in TIMED_CODES]
    untimed = [p for p in procedures if p.code in UNTIMED_CODES]
    timed_minutes = sum(p.minutes for p in timed)
    packs = sum(p.minutes for p in untimed if p.code == HOT_COLD_PACKS) if pays_packs else 0
    timed_lines = _cms(timed, timed_minutes) if rule is Rule.CMS else _ama(timed)
    lines = [*timed_lines, *(_untimed(p, pays_packs=pays_packs) for p in untimed)]
    return Units(
        rule=rule,
        lines=tuple(lines),
        timed_minutes=timed_minutes,
        total_minutes=timed_minutes + packs,
    )
