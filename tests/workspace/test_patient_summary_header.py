"""The Summary section at the top of the patient page: the patient at a glance, with
only the parts the reader's role may see."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import RecordAccess
from patients import services as patient_services
from practice.models import Role
from tests.factories import make_patient, make_session, make_staff
from workspace.summary import Part, parts_for, patient_summary

from .patient_summary_data import NEXT_VISIT, NOW, header_html_of, header_of, treated_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def treated(therapist):
    return treated_patient(therapist, last_name="Treated")


def page_of(user, patient, *, at=NOW) -> str:
    """The patient page as `user` reads it at `at` (None: now)."""
    with time_machine.travel(at or timezone.now(), tick=False):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert response.status_code == 200
    return response.text


def test_the_header_sums_up_diagnosis_program_pain_adherence_visit_alerts_and_odi(
    therapist, treated
):
    header = header_of(page_of(therapist.user, treated))

    assert header == {
        "Diagnosis": "Herniated disc, left (M51.16)",
        "Chronicity": "Subacute (6-12 weeks)",
        "Hold": "Not on hold",
        "Program": "McKenzie extension program (active), phase 2: Maintain and recover "
        "function, week 2 (planned 3)",
        "Pain after sessions": "leg 3/10 (-3 since the first); back 3/10 (+1 since the first)",
        "Adherence": "7 days: 71% (5 of 7 scheduled days); 28 days: 33% (7 of 21 scheduled days)",
        "Next appointment": f"Fri 2026-03-20 11:00 America/New_York, follow-up with {therapist}",
        "Open alerts": "2 open, 1 urgent: Red flag, Pain increase",
        "Latest ODI": "30 (-12), MCID met (baseline 42; meaningful is 10 points or 30% less)",
    }


def test_the_summary_reads_the_same_numbers_the_header_shows(treated):
    with time_machine.travel(NOW, tick=False):
        found = patient_summary(patient=treated)

    assert found.program is not None
    assert (found.program.leg_pain.baseline, found.program.leg_pain.latest) == (6, 3)
    assert found.program.back_pain.change == 1
    assert found.phase_week == 2
    assert found.adherence is not None
    assert [(w.days, w.days_with_session, w.scheduled_days) for w in found.adherence] == [
        (7, 5, 7),
        (28, 7, 21),
    ]
    assert found.odi is not None
    assert found.odi.meets_mcid is True
    assert found.next_appointment is not None
    assert found.next_appointment.starts_at == NEXT_VISIT  # the sooner of two


def test_the_odi_verdict_says_when_the_change_is_not_meaningful_yet(therapist, treated):
    latest = treated.questionnaire_responses.order_by("-answered_at").first()
    latest.score = 35  # 7 points and 17% less: short of 10 points or 30%
    latest.save(update_fields=["score"])

    header = header_of(page_of(therapist.user, treated))

    assert header["Latest ODI"].startswith("35 (-7), MCID not met")


def test_the_front_desk_reads_the_hold_and_the_next_visit_only(front_desk, treated):
    page = page_of(front_desk.user, treated)

    assert list(header_of(page)) == ["Hold", "Next appointment"]
    header = header_html_of(page)
    for clinical in ("M51.16", "Herniated", "McKenzie", "pain", "ODI", "alert", "%"):
        assert clinical not in header


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        (Role.PHYSICAL_THERAPIST, set()),
        (Role.CLINIC_ADMIN, {Part.ALERTS, Part.ODI}),
        (
            Role.FRONT_DESK,
            {Part.DIAGNOSIS, Part.PROGRAM, Part.PAIN, Part.ADHERENCE, Part.ALERTS, Part.ODI},
        ),
    ],
)
def test_each_role_sees_the_parts_its_permissions_allow(clinic, role, hidden):
    user = make_staff(clinic=clinic, role=role).user

    assert parts_for(user) == frozenset(Part) - hidden


def test_a_held_patient_shows_a_warning_not_a_tick(therapist, clinic):
    held = make_patient(clinic=clinic, primary_therapist=therapist)
    patient_services.red_flag_screen(patient=held, flags={"foot_drop": True})

    header = header_html_of(page_of(therapist.user, held))

    assert "icon-alert.svg" in header
    assert "icon-yes.svg" not in header
    assert "On medical hold since" in header


def test_a_patient_on_both_holds_shows_both(therapist, clinic):
    held = make_patient(clinic=clinic, primary_therapist=therapist)
    patient_services.red_flag_screen(
        patient=held, flags={"foot_drop": True, "history_of_cancer": True}
    )
    held.refresh_from_db()
    assert held.on_medical_hold
    assert held.on_referral_hold

    header = header_of(page_of(therapist.user, held, at=None))

    assert "On medical hold since" in header["Hold"]
    assert "On referral hold since" in header["Hold"]


def test_one_session_gives_the_pain_but_no_change_yet(therapist, prescription):
    make_session(patient=prescription.patient, leg_pain_before=5, leg_pain_after=4)

    header = header_of(page_of(therapist.user, prescription.patient, at=None))

    assert header["Pain after sessions"] == "leg 4/10"
    assert header["Program"].endswith("phase 1: Reduce and centralize, week 1 (planned 2)")


def test_a_patient_with_no_record_yet_reads_dashes_not_errors(therapist, patient):
    header = header_of(page_of(therapist.user, patient))

    assert header["Diagnosis"] == header["Program"] == header["Latest ODI"] == "-"
    assert header["Open alerts"] == "None"
    assert "Chronicity" not in header


def test_the_page_still_writes_the_access_log(therapist, treated):
    page_of(therapist.user, treated)

    assert RecordAccess.objects.filter(user=therapist.user, patient=treated, action="view").exists()


def test_another_clinics_patient_page_is_not_found(other_therapist, treated):
    with time_machine.travel(NOW, tick=False):
        client = Client()
        client.force_login(other_therapist.user)
        response = client.get(reverse("admin:patients_patient_change", args=[treated.pk]))

    assert response.status_code == 404
    assert "patient-summary" not in response.text
