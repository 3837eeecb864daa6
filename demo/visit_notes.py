"""What the demo's visit notes say: a course of physical therapy for sciatica, visit by
visit, from the evaluation's full examination to the progress note.

Plain data and arithmetic, no database: demo.visits writes it through the services.
A radicular sciatica (a disc, the canal or a slipped vertebra pressing on the L5 root)
shows a positive straight leg raise, a weak great toe and reduced L5 sensation that
recover over the weeks; piriformis syndrome irritates the nerve outside the spine, so
the neurological examination stays normal and the hip is what hurts.
"""

from __future__ import annotations

from typing import Any

from patients.models import Cause, Side
from programs.session_models import PainExtent
from visits.note_models import (
    LEVELS,
    DirectionalPreference,
    MovementLoss,
    Reflex,
    RepeatedMovementResponse,
    Sensation,
)
from visits.units import Procedure

# The course: the evaluation, daily notes, and the progress note on the 10th treatment
# day (Medicare's deadline, visits.deadlines), all attended before today.
COURSE_VISITS = 10
PROGRESS_VISIT = COURSE_VISITS - 1  # its index
# The visit (its index) from which the nerve tension tests stop reproducing the leg
# pain, and the nerve root's strength and sensation are back.
NERVE_SETTLES_AT = 5
STRENGTH_BACK_AT = 4
SENSATION_BACK_AT = 6
# Three stages of the course: acute until the 4th visit, settling until the 8th, then
# recovered; movement at the end of range comes back by the 5th visit.
SETTLING_AT, RECOVERED_AT = 3, 7
END_RANGE_BACK_AT = 4


def _stage(index: int, acute: str, settling: str, recovered: str) -> str:
    if index < SETTLING_AT:
        return acute
    return settling if index < RECOVERED_AT else recovered


_PREFERENCE: dict[str, DirectionalPreference] = {
    Cause.HERNIATED_DISC: DirectionalPreference.EXTENSION,
    Cause.SPINAL_STENOSIS: DirectionalPreference.FLEXION,
    Cause.SPONDYLOLISTHESIS: DirectionalPreference.FLEXION,
}
_PREFERENCE_WORDS = {
    DirectionalPreference.EXTENSION: "repeated extension in lying",
    DirectionalPreference.FLEXION: "repeated flexion in lying",
}

# The daily notes' treatment, in turn. The first is the example of visits.units: 3 units
# under the CMS rule, 4 under the AMA's. The second has a hot pack, which Medicare does
# not pay; the progress note's 7 minutes of 97112 bill no unit on their own. No visit
# pairs 97530 with 97140, which the NCCI edits bundle unless modifier 59 says they were
# separate: the export carries no such modifier.
_EVALUATION = (Procedure("97162", 30), Procedure("97110", 10), Procedure("97535", 10))
_DAILY = (
    (Procedure("97110", 25), Procedure("97112", 15), Procedure("97140", 10)),
    (
        Procedure("97110", 20),
        Procedure("97140", 15),
        Procedure("97535", 10),
        Procedure("97010", 10),
    ),
    (Procedure("97110", 30), Procedure("97112", 8)),
)
_PROGRESS = (Procedure("97110", 23), Procedure("97140", 15), Procedure("97112", 7))


def procedures(index: int) -> tuple[Procedure, ...]:
    if index == 0:
        return _EVALUATION
    if index == PROGRESS_VISIT:
        return _PROGRESS
    return _DAILY[(index - 1) % len(_DAILY)]


def _sides(side: str) -> tuple[str, ...]:
    return ("left", "right") if side == Side.BILATERAL else (side,)


def radicular(cause: str) -> bool:
    return cause != Cause.PIRIFORMIS_SYNDROME


def examination(*, cause: str, side: str, index: int) -> dict[str, Any]:
    """The objective findings at the course's `index`th visit. The evaluation's is the
    whole examination; later visits repeat it, so the note records what changed."""
    affected = _sides(side)
    settled = index >= NERVE_SETTLES_AT
    root = radicular(cause)
    preference = _PREFERENCE.get(cause, DirectionalPreference.NONE)
    findings: dict[str, Any] = {
        "flexion_loss": _stage(
            index, MovementLoss.MODERATE, MovementLoss.MINIMAL, MovementLoss.NONE
        ),
        "extension_loss": MovementLoss.MINIMAL if index < END_RANGE_BACK_AT else MovementLoss.NONE,
        "repeated_movement_response": RepeatedMovementResponse.CENTRALIZES
        if preference != DirectionalPreference.NONE
        else RepeatedMovementResponse.NO_EFFECT,
        "directional_preference": preference,
        "gait": _stage(
            index,
            "Antalgic, short stance on the painful leg; no foot drop.",
            "Slight limp after 10 minutes' walking.",
            "Normal.",
        ),
    }
    for side_name in ("left", "right"):
        hurts = side_name in affected
        # The straight leg raise opens up by about 4 degrees a visit.
        findings[f"slr_{side_name}_degrees"] = min(80, 35 + 4 * index) if hurts else 80
        findings[f"slr_{side_name}_reproduces"] = hurts and not settled and root
        findings[f"slump_{side_name}_reproduces"] = hurts and not settled
        findings[f"side_bending_{side_name}_loss"] = (
            MovementLoss.MINIMAL if hurts and index < END_RANGE_BACK_AT else MovementLoss.NONE
        )
        for level in LEVELS:
            weak = hurts and root and level == "l5" and index < STRENGTH_BACK_AT
            numb = hurts and root and level == "l5" and index < SENSATION_BACK_AT
            findings[f"myotome_{level}_{side_name}"] = 4 if weak else 5
            findings[f"dermatome_{level}_{side_name}"] = (
                Sensation.REDUCED if numb else Sensation.NORMAL
            )
        findings[f"reflex_patellar_{side_name}"] = Reflex.NORMAL
        findings[f"reflex_achilles_{side_name}"] = Reflex.NORMAL
    return findings


def subjective(*, index: int) -> dict[str, Any]:
    """Pain falling from 7 to 2 in the leg over the course, and the leg pain retreating
    toward the buttock."""
    progress = index / PROGRESS_VISIT
    reach = _stage(index, PainExtent.CALF, PainExtent.THIGH, PainExtent.BUTTOCK)
    early = index < NERVE_SETTLES_AT
    return {
        "back_pain": round(5 - 3 * progress),
        "leg_pain": round(7 - 5 * progress),
        "pain_reach": reach,
        "eases": "Lying on the front, walking slowly." if early else "Walking, moving about.",
        "aggravates": "Sitting over 20 minutes, bending to dress."
        if early
        else "Sitting over an hour.",
        "function": "Can't sit through a work meeting; sleep broken twice a night."
        if early
        else "Back at my desk with breaks; sleeping through most nights.",
    }


def _diagnosis_words(cause: str, side: str) -> str:
    sides = "both legs" if side == Side.BILATERAL else f"the {side} leg"
    if radicular(cause):
        return f"L5 radicular pain into {sides} ({Cause(cause).label.lower()})"
    return f"sciatic nerve irritation at the piriformis, pain into {sides}"


def assessment_and_plan(*, cause: str, side: str, index: int) -> dict[str, str]:
    pain = subjective(index=index)
    findings = examination(cause=cause, side=side, index=index)
    preference = findings["directional_preference"]
    if index == 0:
        drill = _PREFERENCE_WORDS.get(preference)
        mechanical = (
            f"Symptoms centralize with {drill}: a directional preference."
            if drill
            else "No directional preference; hip rotation provokes the pain."
        )
        return {
            "assessment": f"Findings consistent with {_diagnosis_words(cause, side)}. "
            f"{mechanical} Good potential to return to full function.",
            "plan": "Physical therapy twice a week for 6 weeks: exercise toward the "
            "directional preference, neural mobility, manual therapy, graded activity; "
            "home program in the app with pain reported each session.",
        }
    if index == PROGRESS_VISIT:
        return {
            "assessment": f"Progress report after {COURSE_VISITS} treatment days: leg pain "
            f"7/10 to {pain['leg_pain']}/10, now no further than the "
            f"{pain['pain_reach']}; straight leg raise negative; strength and sensation "
            "normal. Short-term goal met; long-term goals on track.",
            "plan": "Continue twice a week to the end of the plan, then discharge to the "
            "home program.",
        }
    return {
        "assessment": f"Leg pain {pain['leg_pain']}/10, reaching the {pain['pain_reach']}; "
        "tolerated treatment without a flare.",
        "plan": "Continue per the plan of care; progress the home program.",
    }
