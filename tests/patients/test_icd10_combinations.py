"""A diagnosis's codes together: Excludes1 pairs, bilateral sciatica, secondary-code limits."""

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

DISC_RADICULOPATHY = "the disc disorder with radiculopathy already includes the sciatica"
NERVE_LESION = "the lesion of the sciatic nerve already includes the sciatica"
DDD_LEG = "the disc degeneration with lower extremity pain already includes the leg pain"
DDD_BACK_AND_LEG = (
    "the disc degeneration with back and lower extremity pain already includes the back and "
    "leg pain"
)
LUMBAGO = "lumbago with sciatica already includes the sciatica"
RADICULOPATHY = "the disc disorder with radiculopathy already includes the radiculopathy"


def codes(primary, *secondary, cause=OTHER, side=R):
    return icd10.validate_codes(primary=primary, secondary=list(secondary), cause=cause, side=side)


def refusal(primary, *secondary, cause=OTHER, side=R) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        codes(primary, *secondary, cause=cause, side=side)
    return exc.value.message_dict


# The Excludes1 notes at M54.3 Sciatica, M54.4 Lumbago with sciatica and M54.1
# Radiculopathy in the FY2026 tabular list: (excluded here, to keep, cause, side, why).
EXCLUDES1_PAIRS = [
    ("M54.31", "M51.16", H, R, DISC_RADICULOPATHY),
    ("M54.32", "M51.17", H, L, DISC_RADICULOPATHY),
    ("M54.31", "M51.17", DDD, R, DISC_RADICULOPATHY),
    ("M54.31", "G57.01", PIRI, R, NERVE_LESION),
    ("M54.32", "G57.02", PIRI, L, NERVE_LESION),
    ("M54.31", "M51.361", DDD, R, DDD_LEG),
    ("M54.32", "M51.371", DDD, L, DDD_LEG),
    ("M54.31", "M54.41", OTHER, R, LUMBAGO),
    ("M54.32", "M54.42", STEN, L, LUMBAGO),
    ("M54.41", "M51.16", H, R, DISC_RADICULOPATHY),
    ("M54.42", "M51.17", DDD, L, DISC_RADICULOPATHY),
    ("M54.41", "M51.362", DDD, R, DDD_BACK_AND_LEG),
    ("M54.42", "M51.372", DDD, L, DDD_BACK_AND_LEG),
    ("M54.16", "M51.16", H, L, RADICULOPATHY),
    ("M54.17", "M51.17", DDD, R, RADICULOPATHY),
]


@pytest.mark.parametrize(("excluded", "kept", "cause", "side", "why"), EXCLUDES1_PAIRS)
def test_excludes1_pair_is_refused_naming_the_code_to_keep(excluded, kept, cause, side, why):
    expected = f"{excluded} is not coded with {kept} (Excludes1): {why}; code {kept} alone."
    for primary, secondary in ((kept, excluded), (excluded, kept)):
        errors = refusal(primary, secondary, cause=cause, side=side)
        assert errors == {"secondary_icd10_codes": [expected]}


def test_lumbago_with_sciatica_and_a_herniated_disc_names_the_disc_code():
    errors = refusal("M54.41", "M51.16", cause=H, side=R)
    assert errors["secondary_icd10_codes"] == [
        "M54.41 is not coded with M51.16 (Excludes1): the disc disorder with radiculopathy "
        "already includes the sciatica; code M51.16 alone."
    ]


def test_every_excludes1_note_names_codes_the_practice_uses():
    leaves = icd10.LEAF_CODES
    for note in icd10.EXCLUDES1:
        assert any(code.startswith(note.at) for code in leaves), note
        for excluded in note.excluded:
            assert any(code.startswith(excluded) for code in leaves), note


@pytest.mark.parametrize(
    ("primary", "secondary", "cause", "side"),
    [
        # M54.4 has no Excludes1 note for G57.0, unlike M54.3.
        ("G57.01", "M54.41", PIRI, R),
        # M54.3 excludes only the leg-pain-only degeneration, M54.4 only back-and-leg.
        ("M51.360", "M54.31", DDD, R),
        ("M51.362", "M54.31", DDD, R),
        ("M51.369", "M54.32", DDD, L),
        ("M51.361", "M54.41", DDD, R),
        ("M51.370", "M54.42", DDD, L),
        ("M51.26", "M54.41", H, R),
        ("M51.27", "M54.32", H, L),
        ("M48.062", "M54.42", STEN, L),
        ("M43.16", "M54.17", SPONDY, R),
        ("M54.16", "M54.31", OTHER, R),
        ("M51.16", "M51.362", DDD, L),
    ],
)
def test_codes_without_an_excludes1_note_between_them_are_coded_together(
    primary, secondary, cause, side
):
    assert codes(primary, secondary, cause=cause, side=side) == (primary, [secondary])


def test_each_excluded_pair_among_several_codes_gets_its_own_message():
    errors = refusal("M51.16", "M54.31", "M54.41", cause=H, side=R)
    assert errors["secondary_icd10_codes"] == [
        f"M54.31 is not coded with M51.16 (Excludes1): {DISC_RADICULOPATHY}; code M51.16 alone.",
        f"M54.31 is not coded with M54.41 (Excludes1): {LUMBAGO}; code M54.41 alone.",
        f"M54.41 is not coded with M51.16 (Excludes1): {DISC_RADICULOPATHY}; code M51.16 alone.",
    ]


def test_a_code_listed_twice_is_named_once_in_its_excludes1_message():
    errors = refusal("M51.16", "M54.31", "M54.31", cause=H, side=R)
    assert errors["secondary_icd10_codes"] == [
        "M54.31 is listed twice; list each code once.",
        f"M54.31 is not coded with M51.16 (Excludes1): {DISC_RADICULOPATHY}; code M51.16 alone.",
    ]


def test_both_sides_of_bilateral_sciatica_are_named_in_one_excludes1_message():
    errors = refusal("M51.16", "M54.41", "M54.42", cause=H, side=B)
    assert errors["secondary_icd10_codes"] == [
        f"M54.41 and M54.42 are not coded with M51.16 (Excludes1): {DISC_RADICULOPATHY}; "
        "code M51.16 alone."
    ]


# Bilateral sciatica


@pytest.mark.parametrize(
    ("primary", "secondary", "cause"),
    [
        ("M54.31", ["M54.32"], OTHER),
        ("M54.32", ["M54.31"], OTHER),
        ("M54.41", ["M54.42"], OTHER),
        ("M48.062", ["M54.41", "M54.42"], STEN),
        ("M51.26", ["M54.32", "M54.31"], H),
        ("M43.17", ["M54.31", "M54.32", "M54.17"], SPONDY),
    ],
)
def test_bilateral_sciatica_is_coded_as_right_plus_left(primary, secondary, cause):
    assert codes(primary, *secondary, cause=cause, side=B) == (primary, secondary)


@pytest.mark.parametrize(
    ("primary", "secondary", "message"),
    [
        ("M54.31", [], "Bilateral sciatica is coded as M54.31 with M54.32; add M54.32."),
        ("M54.32", [], "Bilateral sciatica is coded as M54.31 with M54.32; add M54.31."),
        (
            "M54.42",
            [],
            "Bilateral lumbago with sciatica is coded as M54.41 with M54.42; add M54.41.",
        ),
        (
            "M48.061",
            ["M54.41"],
            "Bilateral lumbago with sciatica is coded as M54.41 with M54.42; add M54.42.",
        ),
    ],
)
def test_bilateral_sciatica_with_one_side_only_is_refused(primary, secondary, message):
    errors = refusal(primary, *secondary, cause=STEN, side=B)
    assert errors == {"secondary_icd10_codes": [message]}


def test_bilateral_unspecified_side_sciatica_is_refused_on_the_primary_code():
    errors = refusal("M54.30", cause=OTHER, side=B)
    assert errors == {
        "icd10_code": [
            "M54.30 (Sciatica, unspecified side) does not match the bilateral side; bilateral "
            "sciatica is coded as M54.31 with M54.32."
        ]
    }


def test_bilateral_unspecified_side_sciatica_is_refused_as_a_secondary_code_too():
    errors = refusal("M48.062", "M54.40", cause=STEN, side=B)
    assert list(errors) == ["secondary_icd10_codes"]
    assert (
        "M54.40 (Lumbago with sciatica, unspecified side) does not match"
        in (errors["secondary_icd10_codes"][0])
    )


@pytest.mark.parametrize(
    ("side", "field", "code"),
    [(L, "icd10_code", "M54.31"), (R, "secondary_icd10_codes", "M54.32")],
)
def test_right_plus_left_sciatica_is_refused_for_one_leg(side, field, code):
    errors = refusal("M54.31", "M54.32", side=side)
    assert list(errors) == [field]
    assert errors[field][0].startswith(f"{code} (")
    assert f"does not match the {side} side" in errors[field][0]


def test_piriformis_on_both_sides_is_g57_03_not_right_plus_left():
    assert codes("G57.03", cause=PIRI, side=B) == ("G57.03", [])
    errors = refusal("G57.01", "G57.02", cause=PIRI, side=B)
    assert "does not match the bilateral side" in errors["icd10_code"][0]
    assert "does not match the bilateral side" in errors["secondary_icd10_codes"][0]


# Secondary codes: how many, each checked, no duplicates


def test_up_to_three_secondary_codes_are_accepted():
    assert codes("M43.16", "M54.31", "M54.32", "M54.17", cause=SPONDY, side=B) == (
        "M43.16",
        ["M54.31", "M54.32", "M54.17"],
    )


def test_a_fourth_secondary_code_is_refused():
    errors = refusal("M43.16", "M54.31", "M54.32", "M54.17", "M54.16", cause=SPONDY, side=B)
    assert errors == {
        "secondary_icd10_codes": ["A diagnosis carries at most 3 secondary codes; 4 were given."]
    }


def test_no_secondary_codes_is_the_primary_alone():
    assert codes("M51.16", cause=H, side=L) == ("M51.16", [])


def test_secondary_codes_are_returned_normalized_in_the_order_given():
    assert codes("m4316", "m5432", " m54.31 ", cause=SPONDY, side=B) == (
        "M43.16",
        ["M54.32", "M54.31"],
    )


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [
        ("M43.16", ["M54.17", "M54.17"]),
        ("M43.16", ["m5417", "M54.17"]),
        ("M43.16", ["M43.16"]),
        ("M43.16", ["m4316"]),
    ],
)
def test_a_code_listed_twice_is_refused(primary, secondary):
    errors = refusal(primary, *secondary, cause=SPONDY, side=R)
    duplicate = icd10.normalize(secondary[-1])
    message = f"{duplicate} is listed twice; list each code once."
    assert errors == {"secondary_icd10_codes": [message]}


@pytest.mark.parametrize(
    ("secondary", "fragment"),
    [
        ("M51.16", "does not describe spondylolisthesis"),
        ("M54.42", "does not match the right side"),
        ("M54.3", "M54.3 is a category, not a billable code"),
        ("M99.99", "M99.99 is not an ICD-10-CM code this practice uses"),
        ("", "Enter an ICD-10-CM code"),
    ],
)
def test_each_secondary_code_is_checked_against_the_cause_and_side(secondary, fragment):
    errors = refusal("M43.16", secondary, cause=SPONDY, side=R)
    assert list(errors) == ["secondary_icd10_codes"]
    assert fragment in errors["secondary_icd10_codes"][0]


def test_every_bad_code_is_reported_at_once():
    errors = refusal("G57.02", "M51.16", "M54.32", cause=PIRI, side=R)
    assert "G57.02" in errors["icd10_code"][0]
    assert [m.split(" ")[0] for m in errors["secondary_icd10_codes"]] == ["M51.16", "M54.32"]


@pytest.mark.parametrize(
    "secondary", ["M54.32", ("M54.32", 5432), [None], [["M54.32"]], None, {"M54.32": 1}]
)
def test_secondary_codes_that_are_not_a_list_of_strings_are_refused(secondary):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_codes(primary="M54.31", secondary=secondary, cause=OTHER, side=B)
    assert exc.value.message_dict == {
        "secondary_icd10_codes": ["Give the secondary codes as a list of codes, e.g. M54.32."]
    }
