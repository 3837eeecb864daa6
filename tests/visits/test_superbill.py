"""A signed visit's superbill: a printable page and a PDF of the same page, with the
export's lines; none for a draft; for staff who bill only."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from audit.models import RecordAccess
from practice.models import Role
from tests.clients import bearer, error_of
from tests.factories import make_staff
from visits import services
from visits.superbill import NoSuperbillError, superbill_html, superbill_of

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


def _url(note, kind: str = "pdf") -> str:
    return f"/api/v1/appointments/{note.appointment_id}/visit/superbill.{kind}"


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
def note(clinic, therapist):
    """The worked example for an AMA payer: 97110 2, 97112 1, 97140 1 units."""
    fees(clinic, **{"97110": "40.00", "97112": "42.00", "97140": "38.00"})
    patient = billed_patient(clinic, therapist, rule="ama", name="Blue Shield")
    certified(patient, therapist)
    return signed_visit(patient, therapist, D(2026, 3, 3), WORKED_EXAMPLE)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_holds_the_codes_diagnoses_and_total(admin_api, note):
    response = admin_api.get(_url(note))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = _pdf_text(response.content)
    for expected in ("97110", "97112", "97140", "M54.32", "M54.31", "GP", "$160.00"):
        assert expected in text
    assert text.index("M54.32") < text.index("M54.31")  # the primary code first
    assert note.patient.full_name in text
    assert THERAPIST_NPI in text
    assert CLINIC_NPI in text


def test_the_printable_page_names_clinic_patient_payer_clinician_and_each_line(
    admin_api, note, clinic, therapist
):
    response = admin_api.get(_url(note, "html"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    for expected in (
        clinic.name,
        "12 Harbor Street",
        clinic.phone,
        CLINIC_NPI,
        "12-3456789",
        note.patient.full_name,
        note.patient.mrn,
        "1980-05-17",
        "Blue Shield",
        f"MEM-{note.patient.mrn}",
        "2026-03-03",
        str(therapist),
        THERAPIST_NPI,
        "1. M54.32",
        "2. M54.31",
        "Therapeutic exercise",
        "Neuromuscular re-education",
        "Manual therapy",
        "$80.00",
        "$42.00",
        "$38.00",
        "$160.00",
    ):
        assert expected in page, expected


def test_the_superbills_lines_are_the_exports(note):
    bill = superbill_of(note=note)

    assert [(line.cpt, line.units, line.modifiers) for line in bill.lines] == [
        ("97110", 2, ("GP",)),
        ("97112", 1, ("GP",)),
        ("97140", 1, ("GP",)),
    ]
    assert (bill.total_units, str(bill.total)) == (4, "160.00")


def test_a_draft_note_has_no_superbill(admin_api, clinic, therapist):
    patient = billed_patient(clinic, therapist)
    draft = signed_visit(patient, therapist, D(2026, 3, 3), {"97110": 23}, signed=False)

    with pytest.raises(NoSuperbillError):
        superbill_of(note=draft)
    for kind in ("pdf", "html"):
        response = admin_api.get(_url(draft, kind))
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert error_of(response)["detail"] == (
            "This visit note is not signed yet: a draft has no superbill."
        )


def test_a_visit_with_no_note_or_of_another_clinic_is_a_404(admin_api, note, other_clinic):
    other_admin = bearer(billing_admin(other_clinic, username="admin.other").user)

    assert other_admin.get(_url(note)).status_code == 404
    assert admin_api.get("/api/v1/appointments/999999/visit/superbill.pdf").status_code == 404
    assert admin_api.get("/api/v1/appointments/junk/visit/superbill.pdf").status_code == 404


def test_only_staff_who_bill_get_a_superbill(
    note, clinic, anon, therapist_api, front_desk_api, patient_api
):
    assert anon.get(_url(note)).status_code == 401
    for client in (therapist_api, front_desk_api, patient_api):
        response = client.get(_url(note))
        assert response.status_code == 403
        assert note.patient.mrn not in response.content.decode()
    desk = bearer(make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk.two").user)
    assert desk.get(_url(note, "html")).status_code == 403


def test_reading_a_superbill_is_in_the_access_log(admin_api, note):
    before = RecordAccess.objects.count()

    assert admin_api.get(_url(note, "html")).status_code == 200

    [logged] = RecordAccess.objects.order_by("pk")[before:]
    assert (logged.patient_id, logged.action) == (note.patient_id, "view")


def test_the_signature_is_dated_in_the_clinics_zone(clinic, therapist, time_machine):
    patient = billed_patient(clinic, therapist)
    note = signed_visit(patient, therapist, D(2026, 3, 2), {"97110": 23}, signed=False)
    # 01:30 UTC on 3 March is 20:30 on 2 March in New York.
    time_machine.move_to(datetime.datetime(2026, 3, 3, 1, 30, tzinfo=datetime.UTC), tick=False)
    services.visit_note_update(
        note=note, staff_member=therapist, fields={"assessment": "Better.", "plan": "Go on."}
    )
    services.visit_note_sign(note=note, staff_member=therapist)
    note.refresh_from_db()
    assert "on 2026-03-02." in superbill_html(superbill_of(note=note))
