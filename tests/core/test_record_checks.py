"""`record_save` keeps every rule of `full_clean` while asking the database less.

A check constraint of plain comparisons is decided in Python exactly as PostgreSQL
decides it (each case here is also asked of the database); a foreign key to a target
the caller holds is not read again, one given by id alone still is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.record_checks import condition_holds
from core.records import record_save
from patients.models import Patient
from practice.models import Clinic
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

NAMES = ("a", "b", "c")
INTEGER = models.IntegerField()


def _leaf(draw: Any) -> Q:
    name = draw(st.sampled_from(NAMES))
    lookup = draw(st.sampled_from(["exact", "lt", "lte", "gt", "gte", "isnull", "in"]))
    if lookup == "isnull":
        return Q(**{f"{name}__isnull": draw(st.booleans())})
    if lookup == "in":
        items = draw(st.lists(st.integers(-2, 2), min_size=1, max_size=3))
        return Q(**{f"{name}__in": items})
    rhs = draw(
        st.one_of(
            st.integers(-2, 2),
            st.sampled_from([F(other) for other in NAMES]),
            st.none() if lookup == "exact" else st.integers(-2, 2),
        )
    )
    return Q(**{f"{name}__{lookup}": rhs})


@st.composite
def conditions(draw: Any, depth: int = 0) -> Q:
    if depth >= 3 or draw(st.booleans()):
        return _leaf(draw)
    left = draw(conditions(depth + 1))
    how = draw(st.sampled_from(["and", "or", "not"]))
    if how == "not":
        return ~left
    right = draw(conditions(depth + 1))
    return left & right if how == "and" else left | right


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    condition=conditions(),
    values=st.fixed_dictionaries(
        {name: st.one_of(st.none(), st.integers(-2, 2)) for name in NAMES}
    ),
)
def test_a_condition_of_comparisons_is_decided_as_postgresql_decides_it(condition, values):
    against = {name: Value(value, INTEGER) for name, value in values.items()}
    here = condition_holds(condition, against)
    assert here is not None, condition
    assert here == condition.check(against, using="default")


AWARE = datetime.datetime(2026, 3, 8, 7, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("condition", "values", "field"),
    [
        (Q(a__lt=F("b")), (datetime.time(8, 0), datetime.time(8, 0)), models.TimeField()),
        (Q(a__lt=F("b")), (datetime.time(7, 59), datetime.time(8, 0)), models.TimeField()),
        (Q(a__gt=F("b")), (AWARE, AWARE - datetime.timedelta(seconds=1)), models.DateTimeField()),
        (
            Q(a__gte=datetime.date(2026, 1, 1)),
            (datetime.date(2025, 12, 31), None),
            models.DateField(),
        ),
        (Q(a="direct_access") | ~Q(b=""), ("physician", ""), models.CharField()),
        (Q(a="direct_access") | ~Q(b=""), ("physician", "Dr. Lee"), models.CharField()),
        (Q(a__in=["x", "y"]), ("y", None), models.CharField()),
        (Q(a__lte=Decimal("2.5")), (Decimal("2.50"), None), models.DecimalField()),
        (Q(a=True) | Q(b__isnull=False), (False, None), models.BooleanField()),
    ],
)
def test_dates_times_text_and_decimals_are_decided_as_postgresql_decides_them(
    condition, values, field
):
    against = {"a": Value(values[0], field), "b": Value(values[1], field)}
    here = condition_holds(condition, against)
    assert here is not None
    assert here == condition.check(against, using="default")


@pytest.mark.parametrize(
    "condition",
    [
        Q(a__lt="m"),  # text ordering follows the collation
        Q(a__startswith="x"),
        Q(Lower("a")),
        Q(a__exact=Lower("b")),
        Q(c__gte=1),  # not among the values: Django skips the constraint
    ],
)
def test_anything_else_is_left_to_the_database(condition):
    against = {"a": Value("x", models.CharField()), "b": Value("X", models.CharField())}
    assert condition_holds(condition, against) is None


def _reads(captured: CaptureQueriesContext, table: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_a_save_does_not_read_again_the_foreign_keys_it_holds_or_ask_its_checks(patient):
    stored = Patient.objects.select_related("clinic", "primary_therapist").get(pk=patient.pk)
    stored.first_name = "Alexis"
    with CaptureQueriesContext(connection) as captured:
        record_save(stored)
    assert _reads(captured, "practice_clinic") == []
    assert _reads(captured, "practice_staffmember") == []
    assert not [q for q in captured.captured_queries if '"_check"' in q["sql"]]
    assert Patient.objects.get(pk=patient.pk).first_name == "Alexis"


def test_a_foreign_key_given_by_id_alone_is_read_and_refused_when_missing(patient):
    patient.clinic_id = 999_999
    with pytest.raises(ValidationError) as refused:
        record_save(patient)
    assert refused.value.message_dict["clinic"] == [
        "clinic instance with id 999999 is not a valid choice."
    ]


def test_a_held_target_never_saved_is_read_and_refused(patient):
    patient.clinic = Clinic(pk=999_998, name="Nowhere", slug="nowhere")
    with pytest.raises(ValidationError) as refused:
        record_save(patient)
    assert refused.value.message_dict["clinic"] == [
        "clinic instance with id 999998 is not a valid choice."
    ]


def test_a_key_that_no_longer_matches_the_held_target_is_read_and_refused(patient):
    stored = Patient.objects.select_related("clinic").get(pk=patient.pk)
    stored.__dict__["clinic_id"] = 999_997  # past the attribute, which would drop the cache
    with pytest.raises(ValidationError) as refused:
        record_save(stored)
    assert refused.value.message_dict["clinic"] == [
        "clinic instance with id 999997 is not a valid choice."
    ]


def test_a_check_constraint_decided_here_refuses_with_its_message_alongside_field_errors(
    patient,
):
    patient.referral = Patient.Referral.PHYSICIAN
    patient.time_zone = "Mars/Olympus_Mons"
    with CaptureQueriesContext(connection) as captured, pytest.raises(ValidationError) as refused:
        record_save(patient)
    errors = refused.value.message_dict
    assert "time_zone" in errors
    assert errors["__all__"] == [
        "Constraint “patient_physician_referral_has_physician_and_date” is violated."
    ]
    assert not [q for q in captured.captured_queries if '"_check"' in q["sql"]]


def test_a_unique_constraint_the_caller_settled_is_not_read_but_the_database_holds_it(
    clinic, patient
):
    other = make_patient(clinic=clinic, first_name="Sam")
    other.mrn = patient.mrn
    with (
        CaptureQueriesContext(connection) as captured,
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        record_save(other, settled=["patient_mrn_unique_per_clinic"])
    assert not [q for q in captured.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]
    assert Patient.objects.get(pk=other.pk).mrn != patient.mrn


def test_settling_a_constraint_the_model_does_not_have_is_a_mistake(patient):
    with pytest.raises(ValueError, match="patient_mrn_unique"):
        record_save(patient, settled=["patient_mrn_unique"])
