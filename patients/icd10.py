"""ICD-10-CM codes the practice bills for sciatica, checked against cause and side.

Only billable leaf codes are listed (FY2025 tabular list onward, where M51.36 and
M51.37 gained a fifth character). A code is accepted when it is a leaf, belongs to the
recorded cause (sciatica and radiculopathy symptom codes fit every cause) and its
laterality, if it has one, matches the recorded side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .models import Cause, Side


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    laterality: Side | None = None  # None: the code carries no side
    # An unspecified-side code never fits: the diagnosis always records the side.
    unspecified_side: bool = False


# Sciatica (M54.3-, M54.4-) has no bilateral code, so its unspecified-side code is the
# one that describes both legs.
_SYMPTOM_CODES = (
    Code("M54.30", "Sciatica, unspecified side", Side.BILATERAL),
    Code("M54.31", "Sciatica, right side", Side.RIGHT),
    Code("M54.32", "Sciatica, left side", Side.LEFT),
    Code("M54.40", "Lumbago with sciatica, unspecified side", Side.BILATERAL),
    Code("M54.41", "Lumbago with sciatica, right side", Side.RIGHT),
    Code("M54.42", "Lumbago with sciatica, left side", Side.LEFT),
    Code("M54.16", "Radiculopathy, lumbar region"),
    Code("M54.17", "Radiculopathy, lumbosacral region"),
)

_CAUSE_CODES: dict[str, tuple[Code, ...]] = {
    Cause.HERNIATED_DISC: (
        Code("M51.16", "Intervertebral disc disorders with radiculopathy, lumbar region"),
        Code("M51.17", "Intervertebral disc disorders with radiculopathy, lumbosacral region"),
        Code("M51.26", "Other intervertebral disc displacement, lumbar region"),
        Code("M51.27", "Other intervertebral disc displacement, lumbosacral region"),
    ),
    Cause.DEGENERATIVE_DISC_DISEASE: (
        Code("M51.360", "Disc degeneration, lumbar, with discogenic back pain only"),
        Code("M51.361", "Disc degeneration, lumbar, with lower extremity pain only"),
        Code("M51.362", "Disc degeneration, lumbar, with back and lower extremity pain"),
        Code("M51.369", "Disc degeneration, lumbar, without back or lower extremity pain"),
        Code("M51.370", "Disc degeneration, lumbosacral, with discogenic back pain only"),
        Code("M51.371", "Disc degeneration, lumbosacral, with lower extremity pain only"),
        Code("M51.372", "Disc degeneration, lumbosacral, with back and lower extremity pain"),
        Code("M51.379", "Disc degeneration, lumbosacral, without back or lower extremity pain"),
    ),
    Cause.PIRIFORMIS_SYNDROME: (
        Code("G57.00", "Lesion of sciatic nerve, unspecified lower limb", unspecified_side=True),
        Code("G57.01", "Lesion of sciatic nerve, right lower limb", Side.RIGHT),
        Code("G57.02", "Lesion of sciatic nerve, left lower limb", Side.LEFT),
        Code("G57.03", "Lesion of sciatic nerve, bilateral lower limbs", Side.BILATERAL),
    ),
    Cause.SPONDYLOLISTHESIS: (
        Code("M43.16", "Spondylolisthesis, lumbar region"),
        Code("M43.17", "Spondylolisthesis, lumbosacral region"),
    ),
    Cause.SPINAL_STENOSIS: (
        Code("M48.061", "Spinal stenosis, lumbar region without neurogenic claudication"),
        Code("M48.062", "Spinal stenosis, lumbar region with neurogenic claudication"),
    ),
    Cause.OTHER: (),
}

LEAF_CODES: dict[str, Code] = {
    c.code: c for codes in (*_CAUSE_CODES.values(), _SYMPTOM_CODES) for c in codes
}

_SHAPE = re.compile(r"^([A-Z]\d{2})\.?([0-9A-Z]{1,4})?$")


def normalize(raw: str) -> str:
    """'m5116' and ' M51.16 ' both become 'M51.16'."""
    compact = raw.strip().upper().replace(" ", "")
    match = _SHAPE.match(compact)
    if not match:
        return compact
    category, rest = match.groups()
    return f"{category}.{rest}" if rest else category


def codes_for(cause: str, side: str) -> list[Code]:
    """The codes a therapist may pick for this cause and side, cause codes first."""
    return [c for c in (*_CAUSE_CODES[cause], *_SYMPTOM_CODES) if _side_fits(c, side)]


def _side_fits(code: Code, side: str) -> bool:
    if code.laterality is not None:
        return code.laterality == side
    return not code.unspecified_side


def validate_code(*, code: str, cause: str, side: str) -> str:
    """Return the normalized code, or raise ValidationError saying what would fit."""
    normalized = normalize(code)
    allowed = codes_for(cause, side)
    suggestion = ", ".join(c.code for c in allowed)
    if not normalized:
        raise ValidationError(f"Enter an ICD-10-CM code; for this cause and side: {suggestion}.")
    leaf = LEAF_CODES.get(normalized)
    if leaf is None:
        if any(known.startswith(normalized) and known != normalized for known in LEAF_CODES):
            raise ValidationError(
                f"{normalized} is a category, not a billable code; use one of: {suggestion}."
            )
        raise ValidationError(
            f"{normalized} is not an ICD-10-CM code this practice uses for sciatica; "
            f"for this cause and side use one of: {suggestion}."
        )
    if leaf.code not in {c.code for c in (*_CAUSE_CODES[cause], *_SYMPTOM_CODES)}:
        raise ValidationError(
            f"{leaf.code} ({leaf.title}) does not describe {Cause(cause).label.lower()}; "
            f"use one of: {suggestion}."
        )
    if not _side_fits(leaf, side):
        raise ValidationError(
            f"{leaf.code} ({leaf.title}) does not match the {Side(side).label.lower()} side; "
            f"use one of: {suggestion}."
        )
    return leaf.code
