"""A therapist's day and a front desk's in a real browser, on the demo data.

Playwright drives Debian's Chromium against the live server. The clock is set to 10:00
at the demo clinic today, so there are visits behind and ahead whatever hour the suite
runs; each step's page lands in test-artifacts/browser/day-*.png.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Page

from appointments.models import Appointment
from outcomes.models import Code, QuestionnaireResponse
from patients.models import ClinicalAlert, Diagnosis, Patient
from practice.models import StaffMember
from programs.models import ExerciseSession, PrescribedExercise, ProgramTemplate
from programs.seed.loader import load_library

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-day-pass-2026"
CLINIC_ZONE = ZoneInfo("America/New_York")
SUCCESS = "ul.messagelist li.success"


@pytest.fixture
def ten_oclock() -> Iterator[datetime.datetime]:
    """10:00 today at the demo clinic; the clock runs on from there."""
    today = datetime.datetime.now(CLINIC_ZONE).date()
    moment = datetime.datetime.combine(today, datetime.time(10), tzinfo=CLINIC_ZONE)
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture
def demo(ten_oclock) -> None:
    if not ProgramTemplate.objects.filter(slug="dynamic-lumbar-stabilization").exists():
        load_library(apps)  # an earlier transactional test flushed the seeded library
    call_command("seed_demo", "--force", "--password", PASSWORD)


class Walk:
    """The browser on the live server, saving a numbered screenshot of each step."""

    def __init__(self, page: Page, base: str, prefix: str) -> None:
        self.page, self.base, self.prefix, self.step = page, base, prefix, 0
        self.seen: list[str] = []  # the text of every page the walk reached

    def open(self, path: str) -> None:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None, path
        assert response.status == 200, path
        self.read()

    def read(self) -> None:
        self.page.wait_for_load_state()
        self.seen.append(self.page.inner_text("body"))

    def shot(self, name: str) -> Path:
        self.step += 1
        directory = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"day-{self.prefix}-{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def log_in(self, username: str) -> None:
        self.page.goto(f"{self.base}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(f"{self.base}/admin/")
        self.read()

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.read()

    def succeeded(self) -> str:
        message = self.page.locator(SUCCESS).first
        message.wait_for()
        self.read()
        return message.inner_text()


@pytest.fixture
def walk(live_server, page: Page) -> Callable[[str], Walk]:
    return lambda prefix: Walk(page, live_server.url, prefix)


def _today_and_calendar(day: Walk) -> None:
    """The start page: today's visits of my patients, their alerts and who needs
    attention; then the clinic's calendar with its free slots."""
    page = day.page
    day.log_in("demo.therapist")
    assert page.locator("#today-appointments tr.appointment").count() >= 1
    assert page.locator("#today-alerts tr.alert").count() >= 1
    assert page.locator("#today-attention tr.attention").count() >= 1
    assert "Times in America/New_York" in page.inner_text("body")
    day.shot("today")
    day.click("#today-scope >> text=Calendar")
    assert page.locator("a.slot").count() >= 1
    day.shot("calendar")


def _summary(day: Walk, patient: Patient) -> None:
    page = day.page
    day.open(f"/admin/patients/patient/{patient.pk}/change/")
    summary = page.locator("fieldset", has=page.locator("h2", has_text="Summary"))
    text = summary.inner_text()
    assert Diagnosis.objects.filter(patient=patient).latest("diagnosed_on").icd10_code in text
    assert "ODI" in text
    day.shot("patient-summary")


def _resume(day: Walk, patient: Patient, therapist: StaffMember) -> None:
    """The exercise the pain rules stopped, resumed from the patient page."""
    page = day.page
    stopped = PrescribedExercise.objects.get(
        prescription__patient=patient, stopped_for_pain_at__isnull=False
    )
    panel = page.locator("fieldset", has=page.locator("h2", has_text="Stopped exercises"))
    panel.get_by_role("link", name="Resume...").click()
    page.fill("#id_note", "Centralised on repeated extension in the clinic today; retry gently.")
    day.shot("resume")
    page.click("input[type=submit][value='Resume the exercise']")
    page.wait_for_url(f"**/admin/patients/patient/{patient.pk}/change/**")
    stopped.refresh_from_db()
    assert stopped.resumed_at is not None
    assert stopped.resumed_by == therapist


def _in_clinic_odi(day: Walk, patient: Patient, therapist: StaffMember) -> None:
    page = day.page
    page.get_by_role("link", name="Record questionnaire").click()
    page.get_by_role("link", name="Oswestry Disability Index").click()
    page.wait_for_selector("input[type=radio]")
    items = page.eval_on_selector_all(
        "form input[type=radio]", "inputs => [...new Set(inputs.map(i => i.name))]"
    )
    assert len(items) == 10
    for item in items:  # the second statement of each: 1 point
        page.locator(f"input[type=radio][name='{item}']").nth(1).check()
    day.shot("in-clinic-odi")
    page.click("input[type=submit][value='Score and save']")
    day.succeeded()
    recorded = QuestionnaireResponse.objects.filter(patient=patient, code=Code.ODI).latest(
        "answered_at"
    )
    assert recorded.entered_by == therapist
    assert recorded.score == 20  # ten items at 1 of 5: 10 of 50 points
    day.shot("odi-recorded")


def _acknowledge_and_resolve(day: Walk, therapist: StaffMember) -> None:
    """The first open alert on the Today page: acknowledged, then resolved with a note."""
    page = day.page
    day.open("/admin/")
    page.locator("#today-alerts tr.alert").first.locator("td a").first.click()
    page.wait_for_selector("#alert-actions")
    alert_id = int(page.url.rstrip("/").split("/")[-2])
    day.read()
    page.click("#alert-actions button:has-text('Acknowledge')")
    day.succeeded()
    page.fill("#id_note", "Called the patient; seen in the clinic this afternoon.")
    page.click("#alert-actions button:has-text('Resolve')")
    day.succeeded()
    alert = ClinicalAlert.objects.get(pk=alert_id)
    assert alert.acknowledged_by == therapist
    assert alert.resolved_at is not None
    day.shot("alert-resolved")


def _weekly_series(
    day: Walk, patient: Patient, therapist: StaffMember, now: datetime.datetime
) -> None:
    page = day.page
    day.open("/admin/appointments/appointment/calendar/")
    page.get_by_role("link", name="Book a series").click()
    page.wait_for_selector("#id_weeks")
    page.select_option("#id_patient", str(patient.pk))
    page.select_option("#id_therapist", str(therapist.pk))
    page.fill("#id_first_starts_at_0", (now + datetime.timedelta(days=7)).date().isoformat())
    page.fill("#id_first_starts_at_1", "07:30")
    page.fill("#id_weeks", "4")
    day.shot("series")
    page.click("input[type=submit][value='Book the series']")
    day.succeeded()
    series = Appointment.objects.filter(patient=patient, series__isnull=False)
    assert series.count() == 4
    assert {a.starts_at.astimezone(CLINIC_ZONE).time() for a in series} == {datetime.time(7, 30)}
    day.shot("series-booked")


def test_a_therapists_day(demo, walk, ten_oclock):
    therapist = StaffMember.objects.get(user__username="demo.therapist")
    patient = Patient.objects.get(user__username="demo.patient")
    day = walk("therapist")

    _today_and_calendar(day)
    _summary(day, patient)
    _resume(day, patient, therapist)
    _in_clinic_odi(day, patient, therapist)
    _acknowledge_and_resolve(day, therapist)
    _weekly_series(day, patient, therapist, ten_oclock)


def test_a_front_desks_day_shows_no_clinical_record(demo, walk, ten_oclock):
    day = walk("frontdesk")
    page = day.page
    clinic = StaffMember.objects.get(user__username="demo.frontdesk").clinic
    walk_in = Patient.objects.filter(clinic=clinic, user__username="demo.patient").get()

    day.log_in("demo.frontdesk")
    assert page.locator("#today-alerts").count() == 0, "alerts are clinical"
    day.shot("today")

    # Book a walk-in into the first free slot of today's calendar.
    day.click("#today-scope >> text=Calendar")
    day.open(f"/admin/appointments/appointment/calendar/?day={ten_oclock.date().isoformat()}")
    day.shot("calendar")
    page.locator("a.slot").first.click()
    page.wait_for_selector("#id_patient")
    page.select_option("#id_patient", str(walk_in.pk))
    day.shot("book-from-slot")
    page.click("input[name=_save]")
    day.succeeded()
    booked = Appointment.objects.filter(patient=walk_in).latest("created_at")
    assert booked.starts_at.astimezone(CLINIC_ZONE).date() == ten_oclock.date()

    # Check the patient in from the Today page.
    day.open("/admin/?scope=clinic")
    page.locator(f"#appointment-{booked.pk} input[value='Check in']").click()
    day.succeeded()
    booked.refresh_from_db()
    assert booked.checked_in_at is not None
    day.shot("checked-in")

    # The patient's page and the appointment: still nothing clinical.
    day.open(f"/admin/patients/patient/{walk_in.pk}/change/")
    day.open(f"/admin/appointments/appointment/{booked.pk}/change/")
    day.shot("patient-and-visit")

    clinical = [
        *Diagnosis.objects.filter(patient__clinic=clinic).values_list("icd10_code", flat=True),
        *ClinicalAlert.objects.filter(patient__clinic=clinic).values_list("message", flat=True),
        *ExerciseSession.objects.filter(patient__clinic=clinic)
        .exclude(notes="")
        .values_list("notes", flat=True),
        "Oswestry",
    ]
    for text in day.seen:
        leaked = [c for c in clinical if c and c in text]
        assert not leaked, leaked
