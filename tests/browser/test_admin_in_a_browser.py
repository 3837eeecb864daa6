"""The admin in a real browser: a therapist's day at Demo Spine Clinic, end to end.

Playwright drives Debian's Chromium (headless) against pytest-django's live server,
seeded with the demo data. A screenshot of every step lands in test-artifacts/browser/.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, Response

from patients.models import ClinicalAlert, Diagnosis, Patient
from practice.models import StaffMember
from programs import services as program_services
from programs.models import Prescription, ProgramTemplate
from programs.seed.loader import load_library

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-demo-pass-2026"
TEMPLATE = "dynamic-lumbar-stabilization"
LAST_NAME = "Brightwater"
SUCCESS = "ul.messagelist li.success"


@pytest.fixture
def demo_data():
    # Transactional tests flush the tables after themselves, the seeded exercise
    # library included; reload it when an earlier transactional test emptied it.
    if not ProgramTemplate.objects.filter(slug=TEMPLATE).exists():
        load_library(apps)
    call_command("seed_demo", "--force", "--password", PASSWORD)


def _log_sessions(patient: Patient) -> None:
    """Two sessions from the app, so the pain chart has something to draw."""
    prescription = patient.prescriptions.get(status__in=Prescription.OPEN_STATUSES)
    item = prescription.exercises.order_by("pk").first()
    assert item is not None, "the demo program has no exercise"
    now = timezone.now()
    for hours_ago, before, after in [(3, 6, 4), (1, 5, 3)]:
        program_services.session_log(
            patient=patient,
            client_id=uuid.uuid4(),
            performed_at=now - datetime.timedelta(hours=hours_ago),
            pain_before=before,
            pain_after=after,
            pain_extent="thigh",
            exercises=[program_services.ExerciseDone(prescribed_exercise_id=item.pk, sets=1)],
        )


@dataclass
class Admin:
    """The browser on the admin of the live server; `screenshot` saves a step's page."""

    page: Page
    base: str
    screenshot: Callable[[str], Path]

    def open(self, path: str) -> Response | None:
        return self.page.goto(f"{self.base}{path}")


def _log_in(admin: Admin) -> None:
    page = admin.page
    admin.open("/admin/login/")
    page.fill("#id_username", "demo.therapist")
    page.fill("#id_password", PASSWORD)
    admin.screenshot("01-login")
    page.click("input[type=submit]")
    page.wait_for_url(f"{admin.base}/admin/")
    assert page.locator("#user-tools").is_visible()
    admin.screenshot("02-admin-index")


def _register_patient(admin: Admin, therapist: StaffMember) -> Patient:
    """A new patient: no program yet, not on hold."""
    page = admin.page
    admin.open("/admin/patients/patient/add/")
    page.fill("#id_mrn", "DEMO-BROWSER-1")
    page.fill("#id_first_name", "Rowan")
    page.fill("#id_last_name", LAST_NAME)
    page.fill("#id_date_of_birth", "1980-05-17")
    page.fill("#id_phone", "+12025550177")
    page.select_option("#id_primary_therapist", str(therapist.pk))
    admin.screenshot("03-add-patient")
    page.click("input[name=_save]")
    page.wait_for_selector(SUCCESS)
    return Patient.objects.get(clinic=therapist.clinic, mrn="DEMO-BROWSER-1")


def _find_and_open(admin: Admin, patient: Patient) -> None:
    """Search by last name, then open the record."""
    page = admin.page
    admin.open("/admin/patients/patient/")
    page.fill("#searchbar", LAST_NAME)
    page.press("#searchbar", "Enter")
    page.wait_for_url(f"**q={LAST_NAME}**")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    admin.screenshot("04-patient-search")
    rows.first.locator("th a").click()
    page.wait_for_url(f"**/admin/patients/patient/{patient.pk}/change/**")
    admin.screenshot("05-patient-page")


def _record_diagnosis(admin: Admin, patient: Patient, therapist: StaffMember) -> Diagnosis:
    """From the patient page's action link."""
    page = admin.page
    page.get_by_role("link", name="Record diagnosis").click()
    page.wait_for_selector("#id_cause")
    assert page.locator("#id_patient").input_value() == str(patient.pk)
    page.select_option("#id_cause", "spondylolisthesis")
    page.select_option("#id_side", "left")
    page.fill("#id_icd10_code", "M43.16")
    onset = timezone.localdate() - datetime.timedelta(days=30)
    page.fill("#id_onset_date", onset.isoformat())
    admin.screenshot("06-record-diagnosis")
    page.click("input[name=_save]")
    page.wait_for_selector(SUCCESS)
    diagnosis = Diagnosis.objects.get(patient=patient)
    assert (diagnosis.cause, diagnosis.icd10_code) == ("spondylolisthesis", "M43.16")
    assert diagnosis.diagnosed_by == therapist
    admin.screenshot("07-diagnosis-recorded")
    return diagnosis


def _prescribe_past_the_warning(admin: Admin, patient: Patient, diagnosis: Diagnosis) -> None:
    """The stabilization program: a contraindication warning first, then the override."""
    page = admin.page
    template = ProgramTemplate.objects.get(slug=TEMPLATE)
    doses = program_services.template_doses(template)
    flagged = program_services.contraindications_for(
        exercises=[dose.exercise for dose in doses], cause="spondylolisthesis"
    )
    flagged_names = sorted({c.exercise.name for c in flagged})
    assert any("extension" in name.lower() for name in flagged_names), flagged_names

    admin.open(f"/admin/patients/patient/{patient.pk}/change/")
    page.get_by_role("link", name="Prescribe program").click()
    page.wait_for_selector("#id_template")
    page.select_option("#id_diagnosis", str(diagnosis.pk))
    page.select_option("#id_template", str(template.pk))
    page.click("input[name=_save]")
    warning = page.locator(".field-override_reason .errorlist")
    warning.wait_for()
    text = warning.inner_text()
    assert "contraindicated for spondylolisthesis" in text
    for name in flagged_names:
        assert name in text
    assert not Prescription.objects.filter(patient=patient).exists()
    admin.screenshot("08-prescribe-contraindication-warning")

    reason = "Pars stable on flexion-extension films; extension dosed below symptom threshold."
    page.fill("#id_override_reason", reason)
    page.click("input[name=_save]")
    page.wait_for_selector(SUCCESS)
    prescription = Prescription.objects.get(patient=patient)
    assert prescription.template == template
    assert prescription.exercises.filter(contraindication_override=reason).exists()
    admin.screenshot("09-program-prescribed")


def _see_the_pain_chart(admin: Admin, patient: Patient) -> None:
    """The patient's sessions from the app show in the Progress charts."""
    page = admin.page
    admin.open(f"/admin/patients/patient/{patient.pk}/change/")
    progress = page.locator("fieldset", has=page.locator("h2", has_text="Progress"))
    assert progress.count() == 1
    pain_chart = progress.locator("svg", has_text="Leg pain after sessions")
    assert pain_chart.count() == 1
    assert pain_chart.locator("circle").count() >= 1
    progress.scroll_into_view_if_needed()
    admin.screenshot("10-progress-pain-chart")


def _acknowledge_the_urgent_alert(admin: Admin, therapist: StaffMember) -> None:
    """The red-flag alert of the demo, from the alerts inbox."""
    page = admin.page
    alert = ClinicalAlert.objects.get(
        patient__clinic=therapist.clinic,
        severity=ClinicalAlert.Severity.URGENT,
        acknowledged_at__isnull=True,
    )
    admin.open("/admin/patients/clinicalalert/")
    page.check(f"input[name=_selected_action][value='{alert.pk}']")
    page.select_option("select[name=action]", "acknowledge")
    admin.screenshot("11-alerts-inbox")
    page.click("button[name=index]")
    message = page.locator("ul.messagelist li", has_text="acknowledged")  # an info message
    message.wait_for()
    assert "1 alert(s) acknowledged." in message.inner_text()
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert alert.acknowledged_by == therapist
    admin.screenshot("12-alert-acknowledged")


def _other_clinics_patient_is_not_found(admin: Admin, therapist: StaffMember) -> None:
    """Another clinic's patient is not reachable by URL."""
    other = Patient.objects.get(user__username="other.patient")
    assert other.clinic != therapist.clinic
    response = admin.open(f"/admin/patients/patient/{other.pk}/change/")
    assert response is not None
    assert response.status == 404
    assert "Owen" not in admin.page.content()
    admin.screenshot("13-other-clinic-patient-404")


def test_a_therapist_works_through_the_admin_in_a_browser(demo_data, live_server, page, screenshot):
    admin = Admin(page=page, base=live_server.url, screenshot=screenshot)
    therapist = StaffMember.objects.get(user__username="demo.therapist")

    _log_in(admin)
    patient = _register_patient(admin, therapist)
    _find_and_open(admin, patient)
    diagnosis = _record_diagnosis(admin, patient, therapist)
    _prescribe_past_the_warning(admin, patient, diagnosis)
    _log_sessions(patient)
    _see_the_pain_chart(admin, patient)
    _acknowledge_the_urgent_alert(admin, therapist)
    _other_clinics_patient_is_not_found(admin, therapist)
