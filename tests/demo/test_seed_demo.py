"""seed_demo's logins, clinics and patients, read from one seed for the module (it takes
seconds), rolled back at the end; each test runs in its own savepoint inside it, so a
test that seeds again or logs in leaves the world as it found it. Seeding an empty
database (the DEBUG refusal, the dates) is in test_seed_demo_empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from appointments.models import Appointment
from patients.models import Cause, ClinicalAlert, Diagnosis, Patient
from practice.models import Clinic, StaffMember, User
from programs.models import Prescription
from tests.clients import bearer

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-123"


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The command's output."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed("--password", PASSWORD)
        transaction.set_rollback(True)


def test_seed_demo_prints_logins_that_work(client, seeded):
    for username in ("demo.therapist", "demo.frontdesk", "demo.admin", "demo.patient"):
        assert username in seeded
        assert User.objects.get(username=username).check_password(PASSWORD)
    assert client.login(username="demo.therapist", password=PASSWORD)
    assert client.get("/admin/patients/patient/").status_code == 200


def test_seed_demo_twice_creates_nothing_new_and_resets_the_password(seeded):
    counts = (Patient.objects.count(), Appointment.objects.count(), Prescription.objects.count())

    output = seed("--password", "second-pass-123")

    assert counts == (
        Patient.objects.count(),
        Appointment.objects.count(),
        Prescription.objects.count(),
    )
    assert "second-pass-123" in output
    assert User.objects.get(username="demo.patient").check_password("second-pass-123")


def test_seed_demo_generates_a_password_when_none_is_given(monkeypatch, seeded):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = seed()
    # The seeded world has a password already: the generated one must replace it.
    generated = re.search(r"password for all: (\S+)\)", output)
    assert generated is not None, output
    assert generated[1] != PASSWORD
    therapist = User.objects.get(username="demo.therapist")
    assert therapist.has_usable_password()
    assert therapist.check_password(generated[1])


def test_seed_demo_covers_every_cause_and_the_demo_patients_program(seeded):
    assert set(Diagnosis.objects.values_list("cause", flat=True)) == set(Cause.values)
    demo = Patient.objects.get(user__username="demo.patient")
    program = demo.prescriptions.get(status=Prescription.Status.ACTIVE)
    assert program.template.slug == "mckenzie-extension"
    assert demo.appointments.filter(therapist__user__username="demo.therapist").exists()
    held = Patient.objects.get(medical_hold_since__isnull=False)
    assert held.alerts.filter(severity=ClinicalAlert.Severity.URGENT).exists()
    assert not held.prescriptions.exists()


def test_seed_demo_gives_the_clinics_and_clinicians_phones_and_the_patient_both_kinds_of_visit(
    seeded,
):
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
