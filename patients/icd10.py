"""ICD-10-CM codes the practice bills for sciatica, checked against cause, side and each other.

Release: FY2026 ICD-10-CM (effective 1 October 2025). The codes, titles and Excludes1
notes below are taken from the CDC/NCHS Tabular List of Diseases and Injuries that CMS
publishes as the 2026 ICD-10-CM (its XML edition, as of the 1 April 2026 update of that
release). Since FY2025, M51.36 and M51.37 are categories: only their six-character
leaves (M51.360-M51.369, M51.370-M51.379) are billable.

A diagnosis carries one primary code and up to three secondary codes. Each is a
billable leaf that belongs to the recorded cause (the sciatica and radiculopathy
symptom codes fit every cause) and whose laterality, if any, matches the recorded
side. Together they must respect the tabular list's Excludes1 notes (two conditions
never coded together) and code bilateral sciatica as right plus left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .models import Cause, Side

MAX_SECONDARY_CODES = 3


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    laterality: Side | None = None  # None: the code carries no side
    # An unspecified-side code never fits: the diagnosis always records the side.
    unspecified_side: bool = False
    # Sciatica has no bilateral code: both legs are coded as the right-side code plus
    # the left-side one (M54.31 with M54.32), never as the unspecified M54.30.
    bilateral_pair: str | None = None

    @property
    def condition(self) -> str:
        """'Sciatica, right side' -> 'sciatica'."""
        name = self.title.split(",")[0]
        return name[0].lower() + name[1:]


_SYMPTOM_CODES = (
    Code("M54.30", "Sciatica, unspecified side", unspecified_side=True),
    Code("M54.31", "Sciatica, right side", Side.RIGHT, bilateral_pair="M54.32"),
    Code("M54.32", "Sciatica, left side", Side.LEFT, bilateral_pair="M54.31"),
    Code("M54.40", "Lumbago with sciatica, unspecified side", unspecified_side=True),
    Code("M54.41", "Lumbago with sciatica, right side", Side.RIGHT, bilateral_pair="M54.42"),
    Code("M54.42", "Lumbago with sciatica, left side", Side.LEFT, bilateral_pair="M54.41"),
    Code("M54.16", "Radiculopathy, lumbar region"),
    Code("M54.17", "Radiculopathy, lumbosacral region"),
)

# M51.1- is "disc disorders with radiculopathy" whatever the disorder: a displaced disc
# and a degenerated disc that press on the nerve root are both coded there.
_DISC_WITH_RADICULOPATHY = (
    Code("M51.16", "Intervertebral disc disorders with radiculopathy, lumbar region"),
    Code("M51.17", "Intervertebral disc disorders with radiculopathy, lumbosacral region"),
)

_DDD = "Other intervertebral disc degeneration"

_CAUSE_CODES: dict[str, tuple[Code, ...]] = {
    Cause.HERNIATED_DISC: (
        *_DISC_WITH_RADICULOPATHY,
        Code("M51.26", "Other intervertebral disc displacement, lumbar region"),
        Code("M51.27", "Other intervertebral disc displacement, lumbosacral region"),
    ),
    Cause.DEGENERATIVE_DISC_DISEASE: (
        *_DISC_WITH_RADICULOPATHY,
        Code("M51.360", f"{_DDD}, lumbar region with discogenic back pain only"),
        Code("M51.361", f"{_DDD}, lumbar region with lower extremity pain only"),
        Code(
            "M51.362",
            f"{_DDD}, lumbar region with discogenic back pain and lower extremity pain",
        ),
        Code(
            "M51.369",
            f"{_DDD}, lumbar region without mention of lumbar back pain or lower extremity pain",
        ),
        Code("M51.370", f"{_DDD}, lumbosacral region with discogenic back pain only"),
        Code("M51.371", f"{_DDD}, lumbosacral region with lower extremity pain only"),
        Code(
            "M51.372",
            f"{_DDD}, lumbosacral region with discogenic back pain and lower extremity pain",
        ),
        Code(
            "M51.379",
            f"{_DDD}, lumbosacral region without mention of lumbar back pain or lower "
            "extremity pain",
        ),
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


@dataclass(frozen=True)
class Excludes1:
    """An Excludes1 note: codes starting with `at` are never coded with `excluded`.

    In every note below the excluded condition already includes the one the note
    stands at, so the excluded code is the one to keep.
    """

    at: str
    excluded: tuple[str, ...]
    reason: str


EXCLUDES1 = (
    # At M54.3 Sciatica.
    Excludes1(
        "M54.3",
        ("M51.1",),
        "the disc disorder with radiculopathy already includes the sciatica",
    ),
    Excludes1("M54.3", ("G57.0",), "the lesion of the sciatic nerve already includes the sciatica"),
    Excludes1(
        "M54.3",
        ("M51.361", "M51.371"),
        "the disc degeneration with lower extremity pain already includes the leg pain",
    ),
    Excludes1("M54.3", ("M54.4",), "lumbago with sciatica already includes the sciatica"),
    # At M54.4 Lumbago with sciatica. Unlike M54.3 it does not exclude G57.0.
    Excludes1(
        "M54.4",
        ("M51.1",),
        "the disc disorder with radiculopathy already includes the sciatica",
    ),
    Excludes1(
        "M54.4",
        ("M51.362", "M51.372"),
        "the disc degeneration with back and lower extremity pain already includes the "
        "back and leg pain",
    ),
    # At M54.1 Radiculopathy (and, the other way round, at M51.1).
    Excludes1(
        "M54.1",
        ("M51.1",),
        "the disc disorder with radiculopathy already includes the radiculopathy",
    ),
)

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
    return [c for c in _codes_of(cause) if _side_fits(c, side)]


def _codes_of(cause: str) -> tuple[Code, ...]:
    return (*_CAUSE_CODES[cause], *_SYMPTOM_CODES)


def _side_fits(code: Code, side: str) -> bool:
    if code.unspecified_side:
        return False
    if code.laterality is None or code.laterality == side:
        return True
    return side == Side.BILATERAL and code.bilateral_pair is not None


def _bilateral_pair_of(leaf: Code) -> Code | None:
    """The right-side code of the pair that codes this condition on both sides, if any."""
    family = leaf.code[:5]
    return next(
        (
            c
            for c in _SYMPTOM_CODES
            if c.code[:5] == family and c.bilateral_pair and c.laterality == Side.RIGHT
        ),
        None,
    )


def _suggestion(cause: str, side: str) -> str:
    parts = []
    for code in codes_for(cause, side):
        if side == Side.BILATERAL and code.bilateral_pair:
            if code.laterality == Side.RIGHT:
                parts.append(f"{code.code} with {code.bilateral_pair}")
        else:
            parts.append(code.code)
    return ", ".join(parts)


def validate_code(*, code: str, cause: str, side: str) -> str:
    """Check one code on its own; return it normalized, or raise saying what would fit.

    A right or left sciatica code passes for a bilateral side here: `validate_codes`
    then requires the other side's code beside it.
    """
    normalized = normalize(code)
    suggestion = _suggestion(cause, side)
    if not normalized:
        raise ValidationError(f"Enter an ICD-10-CM code; for this cause and side: {suggestion}.")
    leaf = LEAF_CODES.get(normalized)
    if leaf is None:
        # Only something shaped like a code (a letter, two digits, ...) is a category:
        # "M5" is a prefix of the codes but not a heading of the tabular list.
        if _SHAPE.match(normalized) and any(known.startswith(normalized) for known in LEAF_CODES):
            raise ValidationError(
                f"{normalized} is a category, not a billable code; use one of: {suggestion}."
            )
        raise ValidationError(
            f"{normalized} is not an ICD-10-CM code this practice uses for sciatica; "
            f"for this cause and side use one of: {suggestion}."
        )
    if leaf not in _codes_of(cause):
        raise ValidationError(
            f"{leaf.code} ({leaf.title}) does not describe {Cause(cause).label.lower()}; "
            f"use one of: {suggestion}."
        )
    if not _side_fits(leaf, side):
        pair = _bilateral_pair_of(leaf)
        if side == Side.BILATERAL and pair is not None:
            raise ValidationError(
                f"{leaf.code} ({leaf.title}) does not match the bilateral side; bilateral "
                f"{pair.condition} is coded as {pair.code} with {pair.bilateral_pair}."
            )
        raise ValidationError(
            f"{leaf.code} ({leaf.title}) does not match the {Side(side).label.lower()} side; "
            f"use one of: {suggestion}."
        )
    return leaf.code


def validate_codes(
    *, primary: str, secondary: Sequence[str], cause: str, side: str
) -> tuple[str, list[str]]:
    """Check a diagnosis's codes; return (primary, secondary) normalized.

    Raises a ValidationError keyed by the Diagnosis fields: `icd10_code` for the
    primary code, `secondary_icd10_codes` for the secondary ones and for what is
    wrong with the codes together.
    """
    # A bare string would be read as a list of letters, so it is refused like any
    # other value that is not a list of strings.
    if not isinstance(secondary, list | tuple) or not all(isinstance(c, str) for c in secondary):
        raise ValidationError(
            {"secondary_icd10_codes": "Give the secondary codes as a list of codes, e.g. M54.32."}
        )
    if len(secondary) > MAX_SECONDARY_CODES:
        raise ValidationError(
            {
                "secondary_icd10_codes": f"A diagnosis carries at most {MAX_SECONDARY_CODES} "
                f"secondary codes; {len(secondary)} were given."
            }
        )
    errors: dict[str, list[str]] = {}
    primary_code = ""
    try:
        primary_code = validate_code(code=primary, cause=cause, side=side)
    except ValidationError as exc:
        errors["icd10_code"] = exc.messages
    secondary_codes = []
    for raw in secondary:
        try:
            secondary_codes.append(validate_code(code=raw, cause=cause, side=side))
        except ValidationError as exc:
            errors.setdefault("secondary_icd10_codes", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    problems = _combination_problems([primary_code, *secondary_codes], side=side)
    if problems:
        raise ValidationError({"secondary_icd10_codes": problems})
    return primary_code, secondary_codes


def _combination_problems(codes: Sequence[str], *, side: str) -> list[str]:
    """What is wrong with these (valid, normalized) codes on one diagnosis together."""
    problems = []
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            problems.append(f"{code} is listed twice; list each code once.")
        seen.add(code)
    for note in EXCLUDES1:
        dropped = _distinct(c for c in codes if c.startswith(note.at))
        kept = _distinct(c for c in codes if c.startswith(note.excluded))
        if dropped and kept:
            verb = "is" if len(dropped) == 1 else "are"
            problems.append(
                f"{' and '.join(dropped)} {verb} not coded with {' and '.join(kept)} "
                f"(Excludes1): {note.reason}; code {' and '.join(kept)} alone."
            )
    if side == Side.BILATERAL:
        for code in _distinct(codes):
            leaf = LEAF_CODES[code]
            if leaf.bilateral_pair and leaf.bilateral_pair not in seen:
                right, left = sorted((leaf.code, leaf.bilateral_pair))
                problems.append(
                    f"Bilateral {leaf.condition} is coded as {right} with {left}; "
                    f"add {leaf.bilateral_pair}."
                )
    return problems


def _distinct(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))
