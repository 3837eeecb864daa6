"""GET /api/v1/billing/lines/?month=YYYY-MM: the month's billable lines as JSON or CSV,
for staff with the billing permission only."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import RecordAccess
from tests.clients import bearer, error_of
from visits.export import EXPORT_COLUMNS
from visits.units import Rule

from .billing_world import (
    CLINIC_NPI,
    NOW,
    THERAPIST_NPI,
    WORKED_EXAMPLE,
    billed_patient,
    billing_admin,
    billing_clinic,
    certified,
    fees,
    signed_visit,
    with_npi,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/v1/billing/lines/"
MARCH = {"month": "2026-03"}

# The CSV's header row, in order: a billing clerk's import maps the columns by name.
HEADER = [
    "date_of_service",
    "kind",
    "patient_id",
    "patient_name",
    "mrn",
    "date_of_birth",
    "payer",
    "member_id",
    "cpt",
    "description",
    "modifiers",
    "units",
    "icd10_codes",
    "rendering_clinician",
    "rendering_npi",
    "clinic_npi",
    "charge",
    "certification_problem",
    "appointment_id",
]


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def clinic(clinic):
    return billing_clinic(clinic)


@pytest.fixture
def therapist(therapist):
    return with_npi(therapist)


@pytest.fixture
def admin_api(clinic):
    return bearer(billing_admin(clinic).user)


@pytest.fixture
def billed(clinic, therapist):
    """The worked example on a CMS payer and on an AMA payer, 3 and 4 units."""
    fees(clinic, **{"97110": "40.00", "97112": "42.00", "97140": "38.00"})
    cms = billed_patient(clinic, therapist, last_name="Adams", rule=Rule.CMS)
    ama = billed_patient(clinic, therapist, last_name="Baker", rule=Rule.AMA)
    for patient in (cms, ama):
        certified(patient, therapist)
    return (
        signed_visit(cms, therapist, D(2026, 3, 3), WORKED_EXAMPLE),
        signed_visit(ama, therapist, D(2026, 3, 4), WORKED_EXAMPLE),
    )


def _rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_header_is_exactly_the_export_columns(admin_api):
    response = admin_api.get(URL, {**MARCH, "format": "csv"})

    assert response.status_code == 200
    assert response.content.decode().splitlines()[0].split(",") == HEADER
    assert list(EXPORT_COLUMNS) == HEADER


def test_the_csv_lists_the_worked_example_as_3_units_cms_and_4_ama(admin_api, billed, therapist):
    cms_note, ama_note = billed

    response = admin_api.get(URL, MARCH, HTTP_ACCEPT="text/csv")

    assert (
        response["Content-Disposition"] == 'attachment; filename="billing-demo-spine-2026-03.csv"'
    )
    rows = _rows(response)
    assert [(r["mrn"], r["cpt"], r["units"]) for r in rows] == [
        (cms_note.patient.mrn, "97110", "2"),
        (cms_note.patient.mrn, "97112", "1"),
        (ama_note.patient.mrn, "97110", "2"),
        (ama_note.patient.mrn, "97112", "1"),
        (ama_note.patient.mrn, "97140", "1"),
    ]
    first = rows[0]
    assert first == {
        "date_of_service": "2026-03-03",
        "kind": "visit",
        "patient_id": str(cms_note.patient_id),
        "patient_name": cms_note.patient.full_name,
        "mrn": cms_note.patient.mrn,
        "date_of_birth": cms_note.patient.date_of_birth.isoformat(),
        "payer": "Acme CMS",
        "member_id": f"MEM-{cms_note.patient.mrn}",
        "cpt": "97110",
        "description": "Therapeutic exercise",
        "modifiers": "GP",
        "units": "2",
        "icd10_codes": "M54.32;M54.31",
        "rendering_clinician": str(therapist),
        "rendering_npi": THERAPIST_NPI,
        "clinic_npi": CLINIC_NPI,
        "charge": "80.00",
        "certification_problem": "",
        "appointment_id": str(cms_note.appointment_id),
    }


def test_the_json_lines_have_the_same_columns_with_lists_as_lists(admin_api, billed):
    response = admin_api.get(URL, MARCH)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    lines = response.json()
    assert [list(line) for line in lines] == [HEADER] * 5
    assert lines[0]["modifiers"] == ["GP"]
    assert lines[0]["icd10_codes"] == ["M54.32", "M54.31"]
    assert lines[0]["units"] == 2
    assert lines[0]["charge"] == "80.00"
    assert sum(line["units"] for line in lines) == 3 + 4


def test_a_formula_in_a_name_is_defused_in_the_csv(admin_api, clinic, therapist):
    patient = billed_patient(clinic, therapist)
    patient.first_name = "=HYPERLINK(1)"
    patient.save(update_fields=["first_name"])
    signed_visit(patient, therapist, D(2026, 3, 3), {"97110": 23})

    [row] = _rows(admin_api.get(URL, {**MARCH, "format": "csv"}))

    assert row["patient_name"].startswith("'=HYPERLINK(1)")


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ({}, "month: Give the month as YYYY-MM, e.g. 2026-03."),
        (
            {"month": "2026-13"},
            "month: 2026-13 has no month 13. Give the month as YYYY-MM, e.g. 2026-03.",
        ),
        ({"month": "March 2026"}, "month: Give the month as YYYY-MM, e.g. 2026-03."),
        (
            {"month": "1999-12", "format": "csv"},
            "month: 1999-12 is outside the records kept (2000 to 2099).",
        ),
    ],
)
def test_a_bad_month_is_a_400_in_json_saying_why(admin_api, query, detail):
    response = admin_api.get(URL, query, HTTP_ACCEPT="text/csv")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert error_of(response) == {
        "status": 400,
        "code": "invalid",
        "detail": detail,
        "errors": {"month": [detail.removeprefix("month: ")]},
    }


def test_callers_without_the_billing_permission_are_refused(
    billed, anon, therapist_api, front_desk_api, patient_api
):
    assert anon.get(URL, MARCH).status_code == 401
    for client in (therapist_api, front_desk_api, patient_api):
        response = client.get(URL, MARCH)
        assert response.status_code == 403
        assert billed[0].patient.mrn not in response.content.decode()


def test_another_clinics_billing_admin_sees_none_of_these_lines(billed, other_clinic):
    response = bearer(billing_admin(other_clinic, username="admin.other").user).get(URL, MARCH)

    assert response.status_code == 200
    assert response.json() == []


def test_each_patient_listed_is_in_the_access_log(admin_api, billed):
    for params in (MARCH, {**MARCH, "format": "csv"}):
        before = RecordAccess.objects.count()
        assert admin_api.get(URL, params).status_code == 200
        logged = RecordAccess.objects.order_by("pk")[before:]
        assert {row.patient_id for row in logged} == {note.patient_id for note in billed}
        assert {row.action for row in logged} == {"view"}


def _count(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, MARCH)
    assert response.status_code == 200
    return len(queries), len(response.json())


def test_the_export_takes_as_many_queries_for_fifty_notes_as_for_one(admin_api, clinic, therapist):
    patients = [billed_patient(clinic, therapist, last_name=f"P{i}") for i in range(10)]
    signed_visit(patients[0], therapist, D(2026, 3, 2), {"97110": 23})
    one = _count(admin_api)
    for n in range(1, 50):
        day, hour = D(2026, 3, 3 + (n - 1) // 2), 13 + 2 * (n % 2)
        signed_visit(patients[n % 10], therapist, day, {"97110": 23}, hour=hour)
    fifty = _count(admin_api)

    assert (one[1], fifty[1]) == (1, 50)
    assert fifty[0] == one[0]
