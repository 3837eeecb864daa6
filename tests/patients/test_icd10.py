"""ICD-10-CM codes are billable leaves that fit the recorded cause and side, one at a time."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from patients import icd10
from patients.models import Cause, Side

H = Cause.HERNIATED_DISC
DDD = Cause.DEGENERATIVE_DISC_DISEASE
PIRI = Cause.PIRIFORMIS_SYNDROME
SPONDY = Cause.SPONDYLOLISTHESIS
STEN = Cause.SPINAL_STENOSIS
OTHER = Cause.OTHER
L, R, B = Side.LEFT, Side.RIGHT, Side.BILATERAL

FY2026_DISC_DEGENERATION_LEAVES = [
    "M51.360",
    "M51.361",
    "M51.362",
    "M51.369",
    "M51.370",
    "M51.371",
    "M51.372",
    "M51.379",
]


@pytest.mark.parametrize(
    ("code", "cause", "side"),
    [
        ("M51.16", H, L),
        ("M51.17", H, R),
        ("M51.26", H, B),
        ("M51.27", H, L),
        # A degenerated disc pressing on the nerve root is a disc disorder with
        # radiculopathy too.
        ("M51.16", DDD, R),
        ("M51.17", DDD, B),
        ("G57.01", PIRI, R),
        ("G57.02", PIRI, L),
        ("G57.03", PIRI, B),
        ("M43.16", SPONDY, L),
        ("M43.17", SPONDY, B),
        ("M48.061", STEN, R),
        ("M48.062", STEN, B),
        # Symptom codes fit every cause, as long as the side matches.
        ("M54.41", H, R),
        ("M54.42", STEN, L),
        ("M54.31", PIRI, R),
        ("M54.32", OTHER, L),
        ("M54.16", OTHER, L),
        ("M54.17", H, B),
    ],
)
def test_billable_leaf_code_is_accepted_for_its_cause_and_side(code, cause, side):
    assert icd10.validate_code(code=code, cause=cause, side=side) == code


@pytest.mark.parametrize("side", [L, R, B])
@pytest.mark.parametrize("code", FY2026_DISC_DEGENERATION_LEAVES)
def test_every_fy2026_disc_degeneration_leaf_is_accepted(code, side):
    assert icd10.validate_code(code=code, cause=DDD, side=side) == code


def test_the_disc_degeneration_leaves_are_exactly_those_of_fy2026():
    listed = sorted(c.code for c in icd10.LEAF_CODES.values() if c.code.startswith("M51.3"))
    assert listed == FY2026_DISC_DEGENERATION_LEAVES


@pytest.mark.parametrize(
    ("parent", "cause", "side"),
    [
        ("G57.0", PIRI, R),
        ("M48.06", STEN, L),
        # Billable until FY2024; categories since the FY2025 subdivision.
        ("M51.36", DDD, L),
        ("M51.37", DDD, R),
        ("M54.4", H, L),
        ("M54.3", OTHER, R),
        ("M51", H, L),
    ],
)
def test_non_billable_parent_code_is_refused_as_a_category(parent, cause, side):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code=parent, cause=cause, side=side)
    message = exc.value.messages[0]
    assert f"{parent} is a category, not a billable code" in message


def test_retired_disc_degeneration_code_suggests_its_fy2026_leaves():
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code="m5136", cause=DDD, side=L)
    message = exc.value.messages[0]
    assert message.startswith("M51.36 is a category, not a billable code; use one of: ")
    for leaf in FY2026_DISC_DEGENERATION_LEAVES:
        assert leaf in message


def test_category_refusal_suggests_the_leaves_that_fit():
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code="G57.0", cause=PIRI, side=R)
    message = exc.value.messages[0]
    assert "G57.01" in message
    # Codes for the other side are not suggested.
    assert "G57.02" not in message
    assert "G57.03" not in message


def test_suggestions_for_a_bilateral_side_pair_right_with_left():
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code="M99.99", cause=OTHER, side=B)
    message = exc.value.messages[0]
    assert message.endswith("use one of: M54.31 with M54.32, M54.41 with M54.42, M54.16, M54.17.")


@pytest.mark.parametrize(
    ("code", "cause", "side"),
    [
        ("M51.16", SPONDY, L),
        ("M43.16", H, L),
        ("G57.01", STEN, R),
        ("M48.061", PIRI, L),
        ("M51.361", H, L),
        ("M51.26", DDD, L),
        ("M51.16", PIRI, L),
        ("M43.17", OTHER, B),
    ],
)
def test_code_of_another_cause_is_refused(code, cause, side):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code=code, cause=cause, side=side)
    message = exc.value.messages[0]
    assert f"does not describe {Cause(cause).label.lower()}" in message
    assert message.startswith(code)


@pytest.mark.parametrize(
    ("code", "cause", "side"),
    [
        ("G57.01", PIRI, L),
        ("G57.02", PIRI, R),
        ("G57.03", PIRI, L),
        # G57.03 exists, so piriformis on both sides is never right plus left.
        ("G57.01", PIRI, B),
        ("G57.02", PIRI, B),
        ("M54.41", H, L),
        ("M54.42", H, R),
        ("M54.31", STEN, L),
        ("M54.32", OTHER, R),
        ("M54.30", H, L),
        ("M54.40", DDD, R),
    ],
)
def test_side_specific_code_contradicting_the_recorded_side_is_refused(code, cause, side):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code=code, cause=cause, side=side)
    assert f"does not match the {Side(side).label.lower()} side" in exc.value.messages[0]


@pytest.mark.parametrize("side", [L, R, B])
def test_unspecified_side_piriformis_code_never_fits(side):
    with pytest.raises(ValidationError, match="does not match"):
        icd10.validate_code(code="G57.00", cause=PIRI, side=side)


@pytest.mark.parametrize(
    ("code", "title", "pair"),
    [
        (
            "M54.30",
            "Sciatica, unspecified side",
            "bilateral sciatica is coded as M54.31 with M54.32",
        ),
        (
            "M54.40",
            "Lumbago with sciatica, unspecified side",
            "bilateral lumbago with sciatica is coded as M54.41 with M54.42",
        ),
    ],
)
def test_unspecified_side_sciatica_is_refused_for_both_legs_naming_the_pair(code, title, pair):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code=code, cause=OTHER, side=B)
    assert exc.value.messages == [f"{code} ({title}) does not match the bilateral side; {pair}."]


@pytest.mark.parametrize("code", ["M99.99", "S33.0", "hello", "Z00.00", "M5", "M"])
def test_unknown_code_is_refused_with_suggestions(code):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code=code, cause=H, side=L)
    message = exc.value.messages[0]
    assert "not an ICD-10-CM code this practice uses" in message
    assert "M51.16" in message


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_code_is_refused_as_missing_not_as_a_category(blank):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code=blank, cause=H, side=L)
    assert "category" not in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("m51.16", "M51.16"),
        ("M5116", "M51.16"),
        ("m5116", "M51.16"),
        ("  M51.16 ", "M51.16"),
        ("g57 01", "G57.01"),
        ("m48061", "M48.061"),
        ("m51362", "M51.362"),
        ("M51", "M51"),
        ("g570", "G57.0"),
        ("\tm5116\n", "M51.16"),
    ],
)
def test_normalize_uppercases_and_restores_the_dot(raw, expected):
    assert icd10.normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "cause", "side", "stored"),
    [
        ("g57.01", PIRI, R, "G57.01"),
        ("m4316", SPONDY, L, "M43.16"),
        ("m48062", STEN, B, "M48.062"),
        ("m5442", H, L, "M54.42"),
    ],
)
def test_validate_code_returns_the_normalized_code(raw, cause, side, stored):
    assert icd10.validate_code(code=raw, cause=cause, side=side) == stored


@pytest.mark.parametrize(
    ("cause", "side"),
    [(c, s) for c in Cause.values for s in Side.values],
)
def test_every_suggested_code_validates_for_its_cause_and_side(cause, side):
    for code in icd10.codes_for(cause, side):
        assert icd10.validate_code(code=code.code, cause=cause, side=side) == code.code


def test_no_unspecified_side_code_is_ever_suggested():
    for cause in Cause.values:
        for side in Side.values:
            suggested = {c.code for c in icd10.codes_for(cause, side)}
            assert not suggested & {"M54.30", "M54.40", "G57.00"}
