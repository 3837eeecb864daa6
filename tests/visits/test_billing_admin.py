"""The admin's billing page: the month's lines with totals, a month picker and the CSV,
and each signed visit's superbill; only for staff who bill."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import RecordAccess
from visits.admin_billing import superbill_links
from visits.billing_models import Fee
from visits.export import EXPORT_COLUMNS

from .billing_world import (
    NOW,
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
PAGE = "admin:visits_billing"
CSV = "admin:visits_billing_csv"


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
def admin_client(client, clinic):
    client.force_login(billing_admin(clinic).user)
    return client


@pytest.fixture
def notes(clinic, therapist):
    fees(clinic, **{"97110": "40.00", "97112": "42.00"})  # no fee for 97140
    patient = billed_patient(clinic, therapist, rule="ama")
    certified(patient, therapist)
    # On Medicare with no plan of care: its visit is flagged.
    late = billed_patient(clinic, therapist, last_name="Zeller", medicare=True)
    return [
        signed_visit(patient, therapist, D(2026, 3, 3), WORKED_EXAMPLE),
        signed_visit(late, therapist, D(2026, 3, 5), {"97110": 23}),
    ]


def test_the_page_lists_the_months_lines_with_totals(admin_client, notes):
    response = admin_client.get(reverse(PAGE), {"month": "2026-03"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Billing: March 2026" in page
    billing = response.context["billing"]
    assert [(line.cpt, line.units) for line in billing.lines] == [
        ("97110", 2),
        ("97112", 1),
        ("97140", 1),
        ("97110", 2),
    ]
    assert '<input type="month" name="month" id="id_month" value="2026-03" required>' in page
    assert f"{reverse(CSV)}?month=2026-03" in page
    assert "<strong>6</strong> units" in page
    assert "<strong>$202.00</strong> charged" in page  # 80 + 42 + 80; 97140 has no fee
    assert "No fee is set for 97140" in page
    assert "No plan of care covers this visit." in page
    for note in notes:
        assert reverse("admin:visits_superbill", args=[note.pk]) in page


def test_the_page_opens_on_the_clinics_current_month(admin_client, notes):
    response = admin_client.get(reverse(PAGE))

    assert response.status_code == 200
    assert response.context["billing"].month == D(2026, 4, 1)
    assert response.context["billing"].lines == ()
    assert "Nothing billable with a date of service in April 2026" in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "junk", "1999-01"])
def test_a_month_that_is_not_one_is_said_and_the_current_one_shown(admin_client, month):
    response = admin_client.get(reverse(PAGE), {"month": month})

    assert response.status_code == 200
    assert response.context["billing"].month == D(2026, 4, 1)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.endswith("Showing April 2026.")


def test_the_csv_download_has_the_export_header(admin_client, notes):
    response = admin_client.get(reverse(CSV), {"month": "2026-03"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].split(",") == list(EXPORT_COLUMNS)
    assert len(lines) == 1 + 4
    assert admin_client.get(reverse(CSV), {"month": "13-2026"}).status_code == 400


def test_the_superbill_opens_as_a_page_and_as_a_pdf(admin_client, notes):
    note = notes[0]
    page = admin_client.get(reverse("admin:visits_superbill", args=[note.pk]))
    pdf = admin_client.get(reverse("admin:visits_superbill_pdf", args=[note.pk]))

    assert page.status_code == 200
    assert "97140" in page.content.decode()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_a_draft_has_no_superbill_link_nor_page(admin_client, clinic, therapist, notes):
    draft = signed_visit(notes[0].patient, therapist, D(2026, 3, 10), {"97110": 8}, signed=False)

    assert superbill_links(draft) == ""
    assert 'href="' in superbill_links(notes[0])
    response = admin_client.get(reverse("admin:visits_superbill", args=[draft.pk]))
    assert response.status_code == 400
    assert "not signed yet" in response.content.decode()


def test_another_clinics_note_is_a_404(admin_client, other_clinic, other_therapist):
    theirs = billed_patient(other_clinic, other_therapist, last_name="Other")
    note = signed_visit(theirs, other_therapist, D(2026, 3, 3), {"97110": 23})

    for name in ("admin:visits_superbill", "admin:visits_superbill_pdf"):
        assert admin_client.get(reverse(name, args=[note.pk])).status_code == 404
    assert admin_client.get("/admin/visits/billing/superbill/junk/").status_code == 404


@pytest.mark.parametrize("who", ["therapist", "front_desk"])
def test_staff_who_do_not_bill_are_refused(client, notes, request, who):
    client.force_login(request.getfixturevalue(who).user)

    for url in (
        reverse(PAGE),
        reverse(CSV) + "?month=2026-03",
        reverse("admin:visits_superbill", args=[notes[0].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert notes[0].patient.mrn not in response.content.decode()


def test_the_page_logs_every_patient_it_shows(admin_client, notes):
    before = RecordAccess.objects.count()

    admin_client.get(reverse(PAGE), {"month": "2026-03"})

    logged = RecordAccess.objects.order_by("pk")[before:]
    assert sorted(row.patient_id for row in logged) == sorted(n.patient_id for n in notes)


def test_the_clinic_admin_sets_a_fee_for_a_monitoring_code_with_medicares_amount(
    admin_client, clinic
):
    response = admin_client.post(
        reverse("admin:visits_fee_add"),
        {"code": "98977", "amount": "55.00", "medicare_allowed": "43.02"},
    )
    assert response.status_code == 302
    fee = Fee.objects.get(clinic=clinic, code="98977")
    assert (fee.amount, fee.medicare_allowed) == (Decimal("55.00"), Decimal("43.02"))
