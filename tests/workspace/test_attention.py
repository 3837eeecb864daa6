"""Patients needing attention on the Today page, each with why."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from episodes import services as episode_services
from patients import services as patient_services
from patients.models import ClinicalAlert
from practice.models import Role
from programs import services as program_services
from programs.models import Prescription
from tests.factories import (
    make_alert,
    make_diagnosis,
    make_patient,
    make_prescription,
    make_questionnaire_response,
    make_session,
    make_staff,
)

from .clinic_day import NOW, at, signed_in

pytestmark = pytest.mark.django_db

LAST_WEEK = datetime.date(2026, 11, 20)


def reasons(user) -> dict[str, list[str]]:
    """Each patient listed (by last name) with the texts of their reasons."""
    response = signed_in(user).get("/admin/")
    assert response.status_code == 200
    return {
        row.patient.last_name: [reason.text for reason in row.reasons]
        for row in response.context["today"].attention
    }


def treated(clinic, therapist, last_name, *, start=None, time_zone="America/New_York"):
    patient = make_patient(
        clinic=clinic, primary_therapist=therapist, last_name=last_name, time_zone=time_zone
    )
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)
    return patient


def answer_everything(patient):
    for code in ("odi", "nprs", "rmdq", "startback"):
        make_questionnaire_response(patient=patient, code=code)


def test_a_patient_on_either_hold_is_listed_with_the_hold(clock, clinic, therapist):
    medical = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Medical")
    referral = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Referral")
    make_patient(clinic=clinic, primary_therapist=therapist, last_name="Fine")
    clock.move_to(at(21, 30, day=datetime.date(2026, 12, 1)))  # 02:30 UTC on the 2nd
    patient_services.red_flag_screen(
        patient=medical, flags={"foot_drop": True}, screened_by=therapist
    )
    patient_services.red_flag_screen(
        patient=referral, flags={"history_of_cancer": True}, screened_by=therapist
    )
    clock.move_to(NOW)

    found = reasons(therapist.user)

    # The clinic's date of the hold, not the UTC one.
    assert found["Medical"] == ["On medical hold (red flag) since 2026-12-01"]
    assert found["Referral"] == ["On referral hold (to see a physician first) since 2026-12-01"]
    assert "Fine" not in found


def test_an_exercise_stopped_for_pain_is_listed_until_resumed(clock, clinic, therapist):
    patient = treated(clinic, therapist, "Stopped")
    answer_everything(patient)
    make_session(
        patient=patient,
        leg_pain_before=3,
        leg_pain_after=6,
        back_pain_before=2,
        back_pain_after=2,
        pain_extent="calf",
    )
    program = patient.prescriptions.get()
    clock.move_to(NOW)

    response = signed_in(therapist.user).get("/admin/")
    (row,) = response.context["today"].attention
    assert [reason.text for reason in row.reasons] == [
        "1 exercise stopped for pain, waiting for review"
    ]
    assert reverse("admin:programs_prescription_change", args=[program.pk]) in response.text

    item = program.exercises.get(stopped_for_pain_at__isnull=False)
    program_services.exercise_resume(item=item, staff_member=therapist, note="Reviewed: fine.")
    assert reasons(therapist.user) == {}


def test_a_patient_without_a_session_for_three_of_their_own_days_is_inactive(
    clock, clinic, therapist
):
    clock.move_to(at(8, day=LAST_WEEK))
    idle = treated(clinic, therapist, "Idle", start=LAST_WEEK)
    recent = treated(clinic, therapist, "Recent", start=LAST_WEEK)
    # 23:30 on the 29th in Los Angeles is the 30th in New York and in UTC: three of the
    # patient's days ago, two by the server's calendar.
    western = treated(
        clinic, therapist, "Western", start=LAST_WEEK, time_zone="America/Los_Angeles"
    )
    never = treated(clinic, therapist, "Never", start=datetime.date(2026, 11, 28))
    starting = treated(clinic, therapist, "Starting", start=datetime.date(2026, 11, 30))
    paused = treated(clinic, therapist, "Paused", start=LAST_WEEK)
    for patient in (idle, recent, western, never, starting, paused):
        answer_everything(patient)
    clock.move_to(at(20, day=datetime.date(2026, 11, 30)))
    make_session(patient=idle, performed_at=at(9, day=datetime.date(2026, 11, 28)))
    make_session(patient=recent, performed_at=at(9, day=datetime.date(2026, 11, 30)))
    make_session(patient=western, performed_at=at(2, 30, day=datetime.date(2026, 11, 30)))
    program_services.prescription_set_status(
        prescription=paused.prescriptions.get(),
        status=Prescription.Status.PAUSED,
        actor=therapist.user,
    )
    clock.move_to(NOW)

    found = reasons(therapist.user)

    assert found == {
        "Idle": ["No session for 4 days"],
        "Western": ["No session for 3 days"],
        "Never": ["No session since the program started 4 days ago"],
    }


def test_questionnaires_due_on_an_earlier_day_and_unanswered_are_overdue(clock, clinic, therapist):
    clock.move_to(at(9, day=LAST_WEEK))
    late = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Late")
    make_diagnosis(patient=late, diagnosed_by=therapist)
    partly = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Partly")
    make_diagnosis(patient=partly, diagnosed_by=therapist)
    make_questionnaire_response(patient=partly, code="odi")
    make_questionnaire_response(patient=partly, code="nprs")
    done = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Done")
    make_diagnosis(patient=done, diagnosed_by=therapist)
    answer_everything(done)
    clock.move_to(at(7))
    new = make_patient(clinic=clinic, primary_therapist=therapist, last_name="New")
    make_diagnosis(patient=new, diagnosed_by=therapist)  # due today: not late yet
    clock.move_to(NOW)

    found = reasons(therapist.user)

    assert found == {
        "Late": ["Overdue: ODI, NPRS, RMDQ, STarT Back (due since 2026-11-20)"],
        "Partly": ["Overdue: RMDQ, STarT Back (due since 2026-11-20)"],
    }


def test_no_improvement_is_listed_until_its_alert_is_resolved(clock, clinic, therapist):
    patient = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Stuck")
    alert = make_alert(
        patient=patient,
        kind=ClinicalAlert.Kind.NO_IMPROVEMENT,
        message="No meaningful improvement after 6 weeks.",
    )
    clock.move_to(NOW)
    patient_services.alert_acknowledge(alert=alert, staff_member=therapist)

    response = signed_in(therapist.user).get("/admin/")
    (row,) = response.context["today"].attention
    assert [reason.text for reason in row.reasons] == [
        "No meaningful improvement on the program: consider a referral"
    ]
    assert reverse("admin:patients_clinicalalert_change", args=[alert.pk]) in response.text

    patient_services.alert_resolve(alert=alert, staff_member=therapist, note="Referred.")
    assert reasons(therapist.user) == {}


def test_a_patient_with_several_reasons_is_listed_once_with_each(clock, clinic, therapist):
    clock.move_to(at(9, day=LAST_WEEK))
    patient = treated(clinic, therapist, "Several", start=LAST_WEEK)
    make_alert(patient=patient, kind=ClinicalAlert.Kind.NO_IMPROVEMENT)
    clock.move_to(NOW)

    assert reasons(therapist.user) == {
        "Several": [
            "No session since the program started 12 days ago",
            "Overdue: ODI, NPRS, RMDQ, STarT Back (due since 2026-11-20)",
            "No meaningful improvement on the program: consider a referral",
        ]
    }


def test_the_front_desk_reads_only_the_holds(clock, clinic, therapist, front_desk):
    clock.move_to(at(9, day=LAST_WEEK))
    patient = treated(clinic, therapist, "Everything", start=LAST_WEEK)
    make_alert(patient=patient, kind=ClinicalAlert.Kind.NO_IMPROVEMENT)
    make_session(
        patient=patient,
        leg_pain_before=3,
        leg_pain_after=6,
        back_pain_before=2,
        back_pain_after=2,
        pain_extent="calf",
    )
    patient_services.red_flag_screen(
        patient=patient, flags={"history_of_cancer": True}, screened_by=therapist
    )
    clinic_admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="boss")
    clock.move_to(NOW)

    assert reasons(front_desk.user) == {
        "Everything": ["On referral hold (to see a physician first) since 2026-11-20"]
    }
    assert reasons(clinic_admin.user) == {
        "Everything": [
            "On referral hold (to see a physician first) since 2026-11-20",
            "1 exercise stopped for pain, waiting for review",
        ]
    }


def test_discharged_patients_and_other_therapists_patients_are_not_listed(clock, clinic, therapist):
    colleague = make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.two")
    theirs = make_patient(clinic=clinic, primary_therapist=colleague, last_name="Theirs")
    make_alert(patient=theirs, kind=ClinicalAlert.Kind.NO_IMPROVEMENT)
    gone = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Gone")
    make_alert(patient=gone, kind=ClinicalAlert.Kind.NO_IMPROVEMENT)
    episode_services.patient_discharge(patient=gone, actor=therapist.user, note="Goals met.")
    clock.move_to(NOW)

    assert reasons(therapist.user) == {}
    assert list(reasons(colleague.user)) == ["Theirs"]
