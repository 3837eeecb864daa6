"""The Today page shows only what the user's permissions let them read, and names the
zone its times are really shown in."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from patients.models import Patient
from practice.models import Clinic
from tests.factories import make_appointment, make_patient, make_staff
from workspace.today import CLINIC, today_for

from .clinic_day import NEW_YORK, NOW, at, signed_in

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


@pytest.fixture
def stripped(clinic):
    """Front desk staff whose groups were cleared: at the clinic, allowed nothing."""
    staff = make_staff(clinic=clinic, username="desk.stripped", role="front_desk")
    staff.user.groups.clear()
    return staff


def _held(clinic, therapist, last_name, since):
    patient = make_patient(clinic=clinic, primary_therapist=therapist, last_name=last_name)
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=since)
    return patient


def _grant(user, codename):
    user.user_permissions.add(Permission.objects.get(codename=codename))


def test_a_user_whose_groups_were_cleared_sees_no_patient_on_the_today_page(
    clock, clinic, therapist, patient, stripped
):
    make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    _held(clinic, therapist, "Heldpatient", at(6))
    clock.move_to(NOW)

    response = signed_in(stripped.user).get(INDEX)

    assert response.status_code == 200
    today = response.context["today"]
    assert (today.therapists, today.attention, today.patients) == (None, None, ())
    assert (today.counts.appointments, today.counts.needing_attention) == (None, None)
    for hidden in (patient.mrn, "Heldpatient", 'id="today-appointments"', 'id="today-attention"'):
        assert hidden not in response.text, hidden


def test_the_appointments_read_needs_only_the_appointment_permission(
    clock, clinic, therapist, patient, stripped
):
    make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    _held(clinic, therapist, "Heldpatient", at(6))
    _grant(stripped.user, "view_appointment")
    clock.move_to(NOW)

    text = signed_in(stripped.user).get(INDEX).text

    assert patient.mrn in text
    assert 'id="count-to-come"><strong>1</strong>' in text
    assert "Heldpatient" not in text
    assert 'id="today-attention"' not in text


def test_attention_needs_the_patient_permission(clock, clinic, therapist, stripped):
    _held(clinic, therapist, "Heldpatient", at(6))
    _grant(stripped.user, "view_patient")
    clock.move_to(NOW)

    text = signed_in(stripped.user).get(INDEX).text

    assert "Heldpatient" in text
    assert 'id="today-appointments"' not in text


def test_a_clinic_zone_that_no_longer_resolves_is_named_as_the_zone_really_shown(
    clock, clinic, therapist, patient
):
    make_appointment(patient=patient, therapist=therapist, starts_at=at(11, 30))
    Clinic.objects.filter(pk=clinic.pk).update(time_zone="Mars/Olympus")
    clock.move_to(NOW)

    response = signed_in(therapist.user).get(INDEX)

    assert response.status_code == 200
    assert "Mars/Olympus" not in response.text
    assert "Times in UTC" in response.text
    assert "Time (UTC)" in response.text
    assert "16:30&ndash;17:15" in response.text  # 11:30 in New York, shown in UTC


def test_hold_dates_are_on_the_clinics_calendar_whatever_zone_is_active(clock, clinic, therapist):
    # 21:00 on 1 December in New York is already 2 December in Tokyo.
    evening = datetime.datetime(2026, 12, 1, 21, 0, tzinfo=NEW_YORK)
    _held(clinic, therapist, "Heldpatient", evening)
    clock.move_to(NOW)

    with timezone.override("Asia/Tokyo"):
        today = today_for(user=therapist.user, staff=therapist, scope=CLINIC)

    assert [r.text for row in today.attention for r in row.reasons] == [
        "On medical hold (red flag) since 2026-12-01"
    ]
