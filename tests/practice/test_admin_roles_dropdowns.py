"""Drop-downs of who treats, diagnoses, prescribes or screens offer the clinic's
clinicians only; a forged front desk or clinic admin id is a form error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import reverse

from appointments.models import Appointment
from practice.models import StaffMember
from tests.admin_forms import change_form_data
from tests.admin_world import World, build_world

pytestmark = pytest.mark.django_db

# (the role on the page, the admin page, the staff key it offers)
ADD_PAGES = [
    ("front_desk", "appointments_appointment_add", "therapist"),
    ("front_desk", "patients_patient_add", "primary_therapist"),
    ("physical_therapist", "patients_diagnosis_add", "diagnosed_by"),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _staff(world: World, role: str) -> StaffMember:
    return StaffMember.objects.get(user=world.users[role])


@pytest.mark.parametrize(("role", "page", "key"), ADD_PAGES)
def test_a_staff_drop_down_offers_the_clinics_clinicians_only(client, world, role, page, key):
    client.force_login(world.users[role])

    response = client.get(reverse(f"admin:{page}"))

    assert response.status_code == 200
    field = response.context["adminform"].form[key]
    offered = set(field.field.queryset)
    assert offered == {_staff(world, "physical_therapist"), _staff(world, "osteopathic_physician")}
    shown = str(field)
    for refused in ("front_desk", "clinic_admin"):
        assert f'<option value="{_staff(world, refused).pk}"' not in shown


@pytest.mark.parametrize("forged", ["front_desk", "clinic_admin"])
def test_an_appointment_with_a_forged_non_clinician_is_a_form_error(client, world, forged):
    appointment = Appointment.objects.filter(
        patient__clinic=world.own.clinic, status=Appointment.Status.SCHEDULED
    ).first()
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    client.force_login(world.users["front_desk"])
    data = change_form_data(client.get(url))
    data["therapist"] = str(_staff(world, forged).pk)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "therapist" in response.context["adminform"].form.errors
    appointment.refresh_from_db()
    assert appointment.therapist == world.own.therapist


@pytest.mark.parametrize("forged", ["front_desk", "clinic_admin"])
def test_a_patient_with_a_forged_non_clinician_therapist_is_a_form_error(client, world, forged):
    patient = world.own.patients[0]
    url = reverse("admin:patients_patient_change", args=[patient.pk])
    client.force_login(world.users["front_desk"])
    data = change_form_data(client.get(url))
    data["primary_therapist"] = str(_staff(world, forged).pk)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "primary_therapist" in response.context["adminform"].form.errors
    patient.refresh_from_db()
    assert patient.primary_therapist == world.own.therapist


def test_a_diagnosis_by_a_forged_non_clinician_is_a_form_error(client, world):
    patient = world.own.patients[-1]  # the newcomer: no diagnosis yet
    url = reverse("admin:patients_diagnosis_add")
    client.force_login(world.users["physical_therapist"])
    data = change_form_data(client.get(url, {"patient": patient.pk}))
    data.update(cause="disc_herniation", side="left", icd10_code="M51.16")
    data["diagnosed_by"] = str(_staff(world, "clinic_admin").pk)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "diagnosed_by" in response.context["adminform"].form.errors
    assert not patient.diagnoses.exists()
