from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from appointments.models import Appointment
from patients.models import Cause, ClinicalAlert, Diagnosis, Patient
from practice.models import User
from programs.models import Prescription

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
