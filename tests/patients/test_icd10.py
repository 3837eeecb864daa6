"""ICD-10-CM codes are billable leaves that fit the recorded cause and side."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from patients import icd10
from patients.models import Cause, Diagnosis, Side
from patients.services import diagnosis_record
from tests.factories import make_diagnosis

H = Cause.HERNIATED_DISC
DDD = Cause.DEGENERATIVE_DISC_DISEASE
PIRI = Cause.PIRIFORMIS_SYNDROME
SPONDY = Cause.SPONDYLOLISTHESIS
STEN = Cause.SPINAL_STENOSIS
OTHER = Cause.OTHER
L, R, B = Side.LEFT, Side.RIGHT, Side.BILATERAL


@pytest.mark.parametrize(
    ("code", "cause", "side"),
    [
        ("M51.16", H, L),
        ("M51.17", H, R),
        ("M51.26", H, B),
        ("M51.27", H, L),
        *[(f"M51.36{d}", DDD, L) for d in "0129"],
        *[(f"M51.37{d}", DDD, R) for d in "0129"],
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
        ("M54.30", DDD, B),
        ("M54.40", SPONDY, B),
        ("M54.16", OTHER, L),
        ("M54.17", H, B),
    ],
)
def test_billable_leaf_code_is_accepted_for_its_cause_and_side(code, cause, side):
    assert icd10.validate_code(code=code, cause=cause, side=side) == code


@pytest.mark.parametrize(
    ("parent", "cause", "side"),
    [
        ("G57.0", PIRI, R),
        ("M48.06", STEN, L),
        ("M51.36", DDD, L),
        ("M51.37", DDD, R),
        ("M54.4", H, L),
        ("M51", H, L),
    ],
)
def test_non_billable_parent_code_is_refused_as_a_category(parent, cause, side):
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code=parent, cause=cause, side=side)
    message = exc.value.messages[0]
    assert f"{parent} is a category, not a billable code" in message


def test_category_refusal_suggests_the_leaves_that_fit():
    with pytest.raises(ValidationError) as exc:
        icd10.validate_code(code="G57.0", cause=PIRI, side=R)
    message = exc.value.messages[0]
    assert "G57.01" in message
    # Codes for the other side are not suggested.
    assert "G57.02" not in message
    assert "G57.03" not in message


@pytest.mark.parametrize(
    ("code", "cause", "side"),
    [
        ("M51.16", SPONDY, L),
        ("M43.16", H, L),
        ("G57.01", STEN, R),
        ("M48.061", PIRI, L),
        ("M51.361", H, L),
        ("M51.16", DDD, L),
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
        ("G57.01", PIRI, B),
        ("M54.41", H, L),
        ("M54.42", H, R),
        ("M54.31", STEN, B),
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
    "code",
    ["M99.99", "S33.0", "hello", "Z00.00"],
)
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
        ("M51", "M51"),
        ("g570", "G57.0"),
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


@pytest.mark.django_db
def test_diagnosis_stores_the_normalized_code(patient, therapist):
    diagnosis = make_diagnosis(
        patient=patient, diagnosed_by=therapist, cause=PIRI, side=R, icd10_code="g5701"
    )
    diagnosis.refresh_from_db()
    assert diagnosis.icd10_code == "G57.01"


@pytest.mark.django_db
def test_diagnosis_with_a_side_contradicting_code_is_refused_on_the_code_field(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        make_diagnosis(
            patient=patient, diagnosed_by=therapist, cause=PIRI, side=L, icd10_code="G57.01"
        )
    assert "icd10_code" in exc.value.message_dict
    assert "does not match the left side" in exc.value.message_dict["icd10_code"][0]
    assert not Diagnosis.objects.filter(patient=patient).exists()


@pytest.mark.django_db
def test_diagnosis_with_a_parent_code_is_refused_and_nothing_is_written(patient, therapist):
    import datetime

    with pytest.raises(ValidationError) as exc:
        diagnosis_record(
            patient=patient,
            cause=STEN,
            side=L,
            icd10_code="M48.06",
            onset_date=datetime.date(2024, 1, 1),
            diagnosed_by=therapist,
        )
    assert "M48.06 is a category" in exc.value.message_dict["icd10_code"][0]
    assert not Diagnosis.objects.exists()
