"""/api/v1/appointments/{id}/visit/: what a note's bodies refuse (a 400 naming the
field, never a 500), and the queries a note costs whatever its addenda."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.visits import make_addendum, make_attended_appointment, make_visit_note
from visits.note_models import VisitNote

pytestmark = pytest.mark.django_db


def url(appointment, tail: str = "") -> str:
    return f"/api/v1/appointments/{appointment.pk}/visit/{tail}"


@pytest.fixture
def visit(patient, therapist):
    return make_attended_appointment(patient=patient, therapist=therapist)


@pytest.fixture
def note(visit):
    return make_visit_note(appointment=visit)


@pytest.fixture
def signed(visit):
    return make_visit_note(appointment=visit, signed=True)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"sbjective": {"back_pain": 3}}, "sbjective"),
        ({"subjective": {"back_pain": 11}}, "subjective"),
        ({"subjective": {"back_pain": -1}}, "subjective"),
        ({"subjective": {"leg_pain": "a lot"}}, "subjective"),
        ({"subjective": {"pain": 3}}, "subjective"),
        ({"subjective": "three"}, "subjective"),
        ({"subjective": {}}, "non_field_errors"),
        ({"objective": {"slr_left_degrees": 200}}, "objective"),
        ({"objective": {"myotome_l5_left": 6}}, "objective"),
        ({"objective": {"reflex_patellar_left": "5"}}, "objective"),
        ({"objective": {"slr_left_reproduces": "maybe"}}, "objective"),
        ({"kind": "essay"}, "kind"),
        ({"assessment": True}, "assessment"),
        ({"plan": ["Continue."]}, "plan"),
        ({"assessment": "x" * 10001}, "assessment"),
        ({"signed_at": "2025-01-01T00:00:00Z"}, "signed_at"),
        ([{"assessment": "x"}], "non_field_errors"),
    ],
)
def test_a_bad_section_is_a_400_naming_it(therapist_api, note, body, field):
    response = therapist_api.patch(url(note.appointment), body, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    "body",
    [
        [{"code": "97110", "minutes": -1}],
        [{"code": "97110", "minutes": 10000}],
        [{"code": "97110", "minutes": "ten"}],
        [{"code": "99999", "minutes": 10}],
        [{"code": "97110", "minutes": 10}, {"code": "97110", "minutes": 5}],
        [{"code": "97110"}],
        [{"code": "97110", "minutes": 10, "units": 4}],
        {"code": "97110", "minutes": 10},
        "97110",
    ],
)
def test_bad_procedures_are_a_400(therapist_api, note, body):
    response = therapist_api.put(url(note.appointment, "procedures/"), body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["detail"]
    assert not note.procedures.exists()


def test_an_unknown_code_is_named_in_the_answer(therapist_api, note):
    response = therapist_api.put(
        url(note.appointment, "procedures/"), [{"code": "99999", "minutes": 10}]
    )

    assert response.json()["detail"] == ("procedures: 99999 is not a code this practice bills.")


@pytest.mark.parametrize(
    "body", [{}, {"reason": "Why."}, {"reason": "Why.", "text": "T.", "author": 1}, []]
)
def test_a_bad_addendum_is_a_400(therapist_api, signed, body):
    response = therapist_api.post(url(signed.appointment, "addenda/"), body, format="json")

    assert response.status_code == 400, response.json()
    assert not signed.addenda.exists()


def test_starting_with_an_unknown_kind_is_a_400(therapist_api, visit):
    response = therapist_api.post(url(visit), {"kind": "essay"})

    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert not VisitNote.objects.filter(appointment=visit).exists()


# ---------------------------------------------------------------- queries


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("tail", ["", "addenda/"])
def test_a_note_costs_the_same_queries_with_1_or_50_addenda(therapist_api, signed, tail):
    make_addendum(note=signed)
    one = _queries(therapist_api, url(signed.appointment, tail))
    for _ in range(49):
        make_addendum(note=signed)

    fifty = _queries(therapist_api, url(signed.appointment, tail))

    assert fifty == one
