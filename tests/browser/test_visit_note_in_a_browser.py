"""A therapist documents a visit in a real browser: from the attended appointment to a
signed, locked note with an addendum. Playwright drives Chromium against the live
server; a screenshot of each step lands in test-artifacts/browser/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from practice.models import Role
from tests.factories import PASSWORD, make_patient, make_staff
from tests.factories.visits import make_attended_appointment, make_coverage, make_payer
from visits.note_models import VisitNote
from visits.units import Rule

pytestmark = [pytest.mark.django_db(transaction=True)]

SUCCESS = "ul.messagelist li.success"
ASSESSMENT = "Centralising with repeated extension; SLR improving."


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def _add_procedure(page: Page, row: int, code: str, minutes: int) -> None:
    page.select_option(f"#id_procedures-{row}-code", code)
    page.fill(f"#id_procedures-{row}-minutes", str(minutes))


def test_a_therapist_documents_signs_and_amends_a_visit(live_server, page, screenshot):
    therapist = make_staff(role=Role.PHYSICAL_THERAPIST, username="browser.pt")
    patient = make_patient(clinic=therapist.clinic, primary_therapist=therapist)
    make_coverage(patient=patient, payer=make_payer(clinic=patient.clinic, rule=Rule.CMS.value))
    visit = make_attended_appointment(
        patient=patient,
        therapist=therapist,
        starts_at=timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=2),
    )
    base = live_server.url

    _log_in(page, base, therapist.user.username)
    page.goto(f"{base}/admin/appointments/appointment/{visit.pk}/change/")
    screenshot("visit-01-attended-appointment")
    page.get_by_role("link", name="Document visit").click()
    page.click("input[value='Start the visit note']")
    page.wait_for_selector("#id_back_pain")
    note = VisitNote.objects.get(appointment=visit)
    screenshot("visit-02-blank-note")

    page.fill("#id_back_pain", "4")
    page.fill("#id_leg_pain", "6")
    page.fill("#id_slr_left_degrees", "35")
    page.select_option("#id_slr_left_reproduces", "true")
    page.select_option("#id_myotome_l5_left", "4")
    page.fill("#id_assessment", ASSESSMENT)
    page.fill("#id_plan", "Extension in lying, 10 x 5 a day; review in a week.")
    _add_procedure(page, 0, "97110", 25)
    _add_procedure(page, 1, "97112", 15)
    _add_procedure(page, 2, "97140", 10)
    screenshot("visit-03-filled-note")
    page.click("input[name=_continue]")
    page.wait_for_selector(SUCCESS)
    units = page.locator(".field-units_billed .readonly")
    assert "3 units in all by the CMS 8-minute rule" in units.inner_text()
    # The saved lines, then a blank row to add another.
    assert page.locator("td.field-units p").all_inner_texts()[:3] == ["2", "1", "0"]
    screenshot("visit-04-saved-with-units")

    page.click("#save-and-sign")
    page.wait_for_selector(SUCCESS)
    note.refresh_from_db()
    assert note.is_signed
    assert page.locator("#id_assessment").count() == 0  # locked: every field read-only
    assert ASSESSMENT in page.locator(".field-assessment .readonly").inner_text()
    screenshot("visit-05-signed-and-locked")

    page.fill("#addendum-form #id_reason", "Patient called the next day.")
    page.fill("#addendum-form #id_text", "Leg pain down to 3/10 after the exercises.")
    page.click("#addendum-form input[type=submit]")
    page.wait_for_selector(SUCCESS)
    assert "Leg pain down to 3/10" in page.content()
    assert note.addenda.get().author == therapist
    screenshot("visit-06-addendum")
