"""The Today page: the admin's start page for the staff of a clinic."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments import arrivals
from appointments.services import appointment_set_status
from audit.models import RecordAccess
from patients.models import ClinicalAlert
from patients.services import alert_acknowledge, red_flag_screen
from practice.models import Role
from tests.factories import (
    make_alert,
    make_appointment,
    make_diagnosis,
    make_patient,
    make_prescription,
    make_session,
    make_staff,
)

from .clinic_day import NOW, at, signed_in

pytestmark = pytest.mark.django_db

INDEX = "/admin/"
ALERT_TEXT = "Leg pain rose from 3 to 7 after the prone press-up"


@pytest.fixture
def colleague(clinic):
    return make_staff(
        clinic=clinic, role=Role.PHYSIATRIST, username="md.abbott"
    )  # sorts before "One"


def _patient(clinic, therapist, last_name):
    return make_patient(clinic=clinic, primary_therapist=therapist, last_name=last_name)


def test_a_therapist_sees_their_own_patients_by_default_and_the_clinic_on_request(
    clock, clinic, therapist, colleague
):
    mine_with_colleague = _patient(clinic, therapist, "Ownpatient")
    make_appointment(patient=mine_with_colleague, therapist=colleague, starts_at=at(9))
    theirs_seen_by_me = _patient(clinic, colleague, "Seenbyme")
    make_appointment(patient=theirs_seen_by_me, therapist=therapist, starts_at=at(11))
    theirs = _patient(clinic, colleague, "Colleagues")
    make_appointment(patient=theirs, therapist=colleague, starts_at=at(12))
    make_alert(patient=theirs, message="Their alert")
    clock.move_to(NOW)
    client = signed_in(therapist.user)

    mine = client.get(INDEX).text
    whole = client.get(INDEX, {"scope": "clinic"}).text

    assert "Ownpatient" in mine
    assert "Seenbyme" in mine
    assert "Colleagues" not in mine
    assert "Their alert" not in mine
    assert "<strong>My patients</strong>" in mine
    assert "Ownpatient" in whole
    assert "Seenbyme" in whole
    assert "Colleagues" in whole
    assert "Their alert" in whole
    assert "<strong>Whole clinic</strong>" in whole


@pytest.mark.parametrize("junk", ["everything", "", "CLINIC", "clinic'--", "mine"])
def test_a_scope_not_offered_shows_the_therapists_own_patients(
    clock, clinic, therapist, colleague, junk
):
    theirs = _patient(clinic, colleague, "Colleagues")
    make_appointment(patient=theirs, therapist=colleague, starts_at=at(12))
    clock.move_to(NOW)

    response = signed_in(therapist.user).get(INDEX, {"scope": junk})

    assert response.status_code == 200
    assert "Colleagues" not in response.text


def test_each_therapists_appointments_are_listed_in_time_order_mine_first(
    clock, clinic, therapist, colleague
):
    patients = [_patient(clinic, therapist, name) for name in ("Late", "Early", "Middle")]
    make_appointment(patient=patients[0], therapist=therapist, starts_at=at(15))
    make_appointment(patient=patients[1], therapist=therapist, starts_at=at(8))
    make_appointment(patient=patients[2], therapist=colleague, starts_at=at(11))
    clock.move_to(NOW)

    response = signed_in(therapist.user).get(INDEX)

    days = response.context["today"].therapists
    assert [day.therapist for day in days] == [therapist, colleague]
    assert [v.appointment.patient.last_name for v in days[0].visits] == ["Early", "Late"]
    text = response.text
    assert text.index("Early") < text.index("Late") < text.index("Middle")


def test_times_are_shown_in_the_clinics_zone_and_say_so(clock, clinic, therapist, patient):
    make_appointment(patient=patient, therapist=therapist, starts_at=at(11, 30))
    clock.move_to(NOW)

    response = signed_in(therapist.user).get(INDEX)

    assert "11:30&ndash;12:15" in response.text  # 16:30 UTC
    assert "Times in America/New_York" in response.text
    assert "Today, Wednesday 2 December 2026" in response.text


def test_the_front_desk_sees_the_clinics_visits_and_no_clinical_text(
    clock, clinic, therapist, front_desk, patient
):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist, icd10_code="M51.17")
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    make_session(
        patient=patient,
        leg_pain_before=3,
        leg_pain_after=7,
        back_pain_before=2,
        back_pain_after=2,
        pain_extent="calf",
    )  # stops the exercise, raises an alert
    make_alert(patient=patient, severity=ClinicalAlert.Severity.URGENT, message=ALERT_TEXT)
    make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    clock.move_to(NOW)

    response = signed_in(front_desk.user).get(INDEX)

    text = response.text
    assert response.status_code == 200
    assert patient.mrn in text
    assert "Check in" in text
    for clinical in (
        ALERT_TEXT,
        "M51.17",
        "stopped for pain",
        'id="today-alerts"',
        'id="count-urgent"',
    ):
        assert clinical not in text, clinical
    # A clinician reads the same patient's alert and stop on the page.
    clinician_page = signed_in(therapist.user).get(INDEX).text
    assert ALERT_TEXT in clinician_page
    assert "stopped for pain" in clinician_page


def test_the_clinic_admin_sees_the_whole_clinic(clock, clinic, therapist, patient):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="boss")
    make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    clock.move_to(NOW)

    response = signed_in(admin.user).get(INDEX, {"scope": "mine"})

    assert response.context["today"].scope == "clinic"
    assert patient.mrn in response.text
    assert "My patients" not in response.text


def test_another_clinics_patients_are_never_shown(
    clock, clinic, therapist, other_clinic, other_therapist, other_patient
):
    make_appointment(patient=other_patient, therapist=other_therapist, starts_at=at(11))
    make_alert(patient=other_patient, severity=ClinicalAlert.Severity.URGENT)
    other_patient.__class__.objects.filter(pk=other_patient.pk).update(
        primary_therapist=other_therapist
    )
    # Even one whose primary therapist record points at ours by mistake stays hidden.
    stray = make_patient(clinic=other_clinic, last_name="Stray")
    stray.__class__.objects.filter(pk=stray.pk).update(primary_therapist=therapist)
    clock.move_to(NOW)
    client = signed_in(therapist.user)

    for scope in ("mine", "clinic"):
        text = client.get(INDEX, {"scope": scope}).text
        assert other_patient.mrn not in text
        assert stray.mrn not in text
        assert 'id="count-appointments"><strong>0</strong>' in text


def test_open_alerts_are_listed_urgent_first_then_newest(clock, clinic, therapist, patient):
    old_urgent = make_alert(patient=patient, severity=ClinicalAlert.Severity.URGENT, message="A")
    clock.shift(60)
    routine = make_alert(patient=patient, message="B")
    clock.shift(60)
    new_urgent = make_alert(patient=patient, severity=ClinicalAlert.Severity.URGENT, message="C")
    seen = make_alert(patient=patient, severity=ClinicalAlert.Severity.URGENT, message="D")
    alert_acknowledge(alert=seen, staff_member=therapist)
    clock.move_to(NOW)

    response = signed_in(therapist.user).get(INDEX)

    shown = list(response.context["today"].alerts)
    assert shown == [new_urgent, old_urgent, routine]
    for alert in shown:
        assert reverse("admin:patients_clinicalalert_change", args=[alert.pk]) in response.text


def test_the_counts_at_the_top(clock, clinic, therapist):
    patients = [_patient(clinic, therapist, f"P{n}") for n in range(5)]
    early = make_appointment(patient=patients[0], therapist=therapist, starts_at=at(8))
    make_appointment(patient=patients[1], therapist=therapist, starts_at=at(9))  # overdue
    make_appointment(patient=patients[2], therapist=therapist, starts_at=at(13))
    arrived_early = make_appointment(patient=patients[4], therapist=therapist, starts_at=at(14))
    tomorrow = make_appointment(
        patient=patients[3], therapist=therapist, starts_at=at(9, day=datetime.date(2026, 12, 3))
    )
    make_alert(patient=patients[0], severity=ClinicalAlert.Severity.URGENT)
    make_alert(patient=patients[1])
    arrivals.appointment_check_in(appointment=early, actor=therapist.user)
    clock.move_to(NOW)
    appointment_set_status(appointment=early, status="attended", actor=therapist.user)
    arrivals.appointment_check_in(appointment=arrived_early, actor=therapist.user)

    response = signed_in(therapist.user).get(INDEX)

    counts = response.context["today"].counts
    assert tomorrow.pk  # booked, not counted
    assert (counts.appointments, counts.checked_in, counts.attended) == (4, 2, 1)
    # Still to come: only 13:00. The 9:00 is late and the 14:00 patient is already here.
    assert counts.to_come == 1
    assert 'id="count-to-come"><strong>1</strong>' in response.text
    assert (counts.open_alerts, counts.urgent_alerts) == (2, 1)
    assert counts.needing_attention == 0
    assert "<strong>4</strong> appointments today" in response.text
    assert "<strong>2</strong> open alerts" in response.text
    assert "<strong>0</strong> patients needing attention" in response.text


def test_the_page_logs_every_patient_shown_in_one_statement(clock, clinic, therapist, colleague):
    visiting = _patient(clinic, therapist, "Visiting")
    make_appointment(patient=visiting, therapist=therapist, starts_at=at(11))
    alerted = _patient(clinic, therapist, "Alerted")
    make_alert(patient=alerted)
    held = _patient(clinic, therapist, "Held")
    red_flag_screen(patient=held, flags={"foot_drop": True}, screened_by=therapist)
    _patient(clinic, therapist, "Quiet")  # nothing to show
    _patient(clinic, colleague, "Unseen")  # not mine
    clock.move_to(NOW)
    client = signed_in(therapist.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)

    assert response.status_code == 200
    table = RecordAccess._meta.db_table
    inserts = [q for q in queries if q["sql"].startswith("INSERT") and table in q["sql"]]
    assert len(inserts) == 1
    logged = set(
        RecordAccess.objects.filter(user=therapist.user).values_list("patient_id", "action")
    )
    assert logged == {(p.pk, "view") for p in (visiting, alerted, held)}


def _busy_clinic(clinic, therapist, names):
    """Patients each with a visit today, a stopped exercise and two open alerts."""
    for n in names:
        patient = _patient(clinic, therapist, f"Busy{n}")
        diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
        make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
        make_session(
            patient=patient,
            leg_pain_before=3,
            leg_pain_after=7,
            back_pain_before=2,
            back_pain_after=2,
            pain_extent="calf",
        )
        make_alert(patient=patient, kind=ClinicalAlert.Kind.NO_IMPROVEMENT)
        starts_at = at(8) + datetime.timedelta(minutes=30 * n)
        make_appointment(
            patient=patient, therapist=therapist, starts_at=starts_at, duration_minutes=25
        )


@pytest.mark.parametrize("role", [Role.PHYSICAL_THERAPIST, Role.FRONT_DESK])
def test_the_page_costs_the_same_queries_for_one_patient_as_for_twenty(
    clock, clinic, therapist, role
):
    reader = therapist if role == Role.PHYSICAL_THERAPIST else make_staff(clinic=clinic, role=role)
    _busy_clinic(clinic, therapist, range(1))
    clock.move_to(NOW)
    client = signed_in(reader.user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(INDEX).status_code == 200

    clock.move_to(at(6))
    _busy_clinic(clinic, therapist, range(1, 20))
    clock.move_to(NOW)
    client = signed_in(reader.user)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(INDEX)

    assert response.context["today"].counts.appointments == 20
    assert len(response.context["today"].attention) == 20 * (role != Role.FRONT_DESK)
    assert len(twenty) == len(one), "\n".join(q["sql"] for q in twenty)


def test_the_start_page_is_today_for_staff_and_the_model_index_for_the_operator(client, therapist):
    operator = get_user_model().objects.create_superuser(username="root", password="x" * 20)

    staff_page = signed_in(therapist.user).get(INDEX)
    operator_page = signed_in(operator).get(INDEX)
    records = signed_in(therapist.user).get(reverse("admin:records"))

    assert staff_page.templates[0].name == "admin/workspace/today.html"
    assert reverse("admin:records") in staff_page.text  # Django's app list stays reachable
    assert operator_page.templates[0].name == "admin/index.html"
    assert "today" not in operator_page.context
    assert records.templates[0].name == "admin/index.html"
    assert reverse("admin:patients_patient_changelist") in records.text
