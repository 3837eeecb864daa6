from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from appointments.models import Appointment
from patients.models import Cause, ClinicalAlert, Diagnosis, Patient
from practice.models import Clinic, StaffMember, User
from programs.models import Prescription
from tests.clients import bearer

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_prints_logins_that_work(client):
    output = seed("--password", "demo-pass-123")

    for username in ("demo.therapist", "demo.frontdesk", "demo.admin", "demo.patient"):
        assert username in output
        assert User.objects.get(username=username).check_password("demo-pass-123")
    assert client.login(username="demo.therapist", password="demo-pass-123")
    assert client.get("/admin/patients/patient/").status_code == 200


def test_seed_demo_twice_creates_nothing_new_and_resets_the_password():
    seed("--password", "first-pass-123")
    counts = (Patient.objects.count(), Appointment.objects.count(), Prescription.objects.count())

    output = seed("--password", "second-pass-123")

    assert counts == (
        Patient.objects.count(),
        Appointment.objects.count(),
        Prescription.objects.count(),
    )
    assert "second-pass-123" in output
    assert User.objects.get(username="demo.patient").check_password("second-pass-123")


def test_seed_demo_generates_a_password_when_none_is_given(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    seed()
    assert User.objects.get(username="demo.therapist").has_usable_password()


def test_seed_demo_covers_every_cause_and_the_demo_patients_program():
    seed("--password", "demo-pass-123")

    assert set(Diagnosis.objects.values_list("cause", flat=True)) == set(Cause.values)
    demo = Patient.objects.get(user__username="demo.patient")
    program = demo.prescriptions.get(status=Prescription.Status.ACTIVE)
    assert program.template.slug == "mckenzie-extension"
    assert demo.appointments.filter(therapist__user__username="demo.therapist").exists()
    held = Patient.objects.get(medical_hold_since__isnull=False)
    assert held.alerts.filter(severity=ClinicalAlert.Severity.URGENT).exists()
    assert not held.prescriptions.exists()


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Patient.objects.exists()


def test_seed_demo_gives_the_clinics_and_clinicians_phones_and_the_patient_both_kinds_of_visit():
    seed("--password", "demo-pass-123")

    for clinic in Clinic.objects.all():
        assert "" not in (clinic.phone, clinic.address, clinic.opening_hours), clinic
    demo_clinic = Clinic.objects.get(slug="demo-spine")
    assert demo_clinic.phone == "+1 202 555 0199"
    phones = dict(StaffMember.objects.values_list("user__username", "work_phone"))
    assert phones["demo.therapist"] == "+1 202 555 0111"
    assert phones["other.therapist"] == "+44 20 7946 0959"
    assert phones["demo.frontdesk"] == ""  # the desk answers the clinic's phone
    links = Appointment.objects.exclude(telehealth_url="").values_list("telehealth_url", flat=True)
    assert [link[:8] for link in links] == ["https://"]
    patient = Patient.objects.get(user__username="demo.patient")
    api = bearer(patient.user)
    visits = api.get("/api/v1/me/appointments/?upcoming=true").json()["results"]
    assert [(v["location"], v["telehealth_url"]) for v in visits] == [
        (demo_clinic.address, ""),
        ("", "https://video.example.com/demo-spine/dana-whitaker"),
    ]
    assert visits[0]["starts_at"][:10] < visits[1]["starts_at"][:10]


def test_seed_demo_dates_programs_by_each_patients_today_after_utc_midnight():
    # 03:30 UTC on the 10th: still the evening of the 9th in New York, the 10th in London.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 3, 30, tzinfo=datetime.UTC)):
        seed("--password", "demo-pass-123")

    def start(username: str) -> datetime.date:
        return Prescription.objects.get(patient__user__username=username).start_date

    # The demo patient's program began six weeks before the 9th, their today.
    assert start("demo.patient") == datetime.date(2026, 3, 9) - datetime.timedelta(weeks=6)
    assert start("other.patient") == datetime.date(2026, 3, 10)
    demo = Patient.objects.get(user__username="demo.patient")
    assert demo.diagnoses.get().onset_date == datetime.date(2026, 1, 6)  # 20 days before
    # Bookings begin on the clinic's tomorrow: Tuesday the 10th in New York.
    first = demo.appointments.filter(status="scheduled").order_by("starts_at").first()
    assert first.starts_at == datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)
