"""Writing a visit note: started from an attended visit, prefilled, signed, then locked."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appointments import arrivals
from appointments import services as appointment_services
from core.records import HardDeleteRefused
from practice.models import Role
from tests.factories import (
    make_addendum,
    make_appointment,
    make_attended_appointment,
    make_coverage,
    make_payer,
    make_staff,
    make_visit_note,
)
from visits import services
from visits.models import VisitNote
from visits.units import Procedure, Rule

pytestmark = pytest.mark.django_db

WORKED_EXAMPLE = [Procedure("97110", 25), Procedure("97112", 15), Procedure("97140", 10)]


def test_a_visit_still_to_come_cannot_be_documented():
    appointment = make_appointment()
    with pytest.raises(ValidationError, match="checked in or attended"):
        services.visit_note_start(appointment=appointment, therapist=appointment.therapist)


def test_a_note_takes_its_kind_and_local_day_from_the_visit():
    # 03:30 UTC on 2 November is still 1 November in New York.
    appointment = make_attended_appointment(
        starts_at=datetime.datetime(2026, 11, 2, 3, 30, tzinfo=datetime.UTC), kind="evaluation"
    )
    note = services.visit_note_start(appointment=appointment, therapist=appointment.therapist)
    assert note.kind == "evaluation"
    assert note.visit_on == datetime.date(2026, 11, 1)
    assert note.patient == appointment.patient


def test_starting_a_note_twice_returns_the_first():
    note = make_visit_note()
    again = services.visit_note_start(appointment=note.appointment, therapist=note.therapist)
    assert again.pk == note.pk
    assert VisitNote.objects.filter(appointment=note.appointment).count() == 1


def test_the_examination_is_prefilled_from_the_last_note_but_not_what_the_patient_says():
    first = make_visit_note(
        signed=True, slr_left_degrees=35, slr_left_reproduces=True, myotome_l5_left=4, leg_pain=7
    )
    later = make_attended_appointment(
        patient=first.patient,
        therapist=first.therapist,
        starts_at=first.appointment.starts_at + datetime.timedelta(minutes=50),
    )
    note = services.visit_note_start(appointment=later, therapist=first.therapist)
    assert (note.slr_left_degrees, note.slr_left_reproduces, note.myotome_l5_left) == (35, True, 4)
    assert note.leg_pain is None
    assert note.assessment == ""


def test_front_desk_cannot_document_a_visit():
    appointment = make_attended_appointment()
    desk = make_staff(clinic=appointment.patient.clinic, role=Role.FRONT_DESK)
    with pytest.raises(PermissionDenied):
        services.visit_note_start(appointment=appointment, therapist=desk)


def test_a_clinician_of_another_clinic_cannot_document_a_visit():
    appointment = make_attended_appointment()
    with pytest.raises(ValidationError, match="Not found in this clinic"):
        services.visit_note_start(appointment=appointment, therapist=make_staff())


def test_a_draft_refuses_fields_that_are_not_sections():
    note = make_visit_note()
    with pytest.raises(ValidationError, match="signed_at"):
        services.visit_note_update(
            note=note, staff_member=note.therapist, fields={"signed_at": None}
        )


def test_pain_above_ten_is_refused():
    note = make_visit_note()
    with pytest.raises(ValidationError) as error:
        services.visit_note_update(note=note, staff_member=note.therapist, fields={"leg_pain": 11})
    assert "leg_pain" in error.value.message_dict


def test_signing_needs_the_assessment_and_plan():
    note = make_visit_note(assessment="Centralizing with extension.")
    with pytest.raises(ValidationError) as error:
        services.visit_note_sign(note=note, staff_member=note.therapist)
    assert list(error.value.message_dict) == ["plan"]


def test_only_the_notes_own_therapist_signs_it():
    note = make_visit_note(assessment="a", plan="b")
    colleague = make_staff(clinic=note.patient.clinic, role=Role.PHYSICAL_THERAPIST)
    with pytest.raises(PermissionDenied):
        services.visit_note_sign(note=note, staff_member=colleague)


def test_a_checked_in_visit_is_signed_only_once_marked_attended(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 14, 0, tzinfo=datetime.UTC), tick=False)
    appointment = make_appointment(
        starts_at=datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)
    )
    arrivals.appointment_check_in(appointment=appointment, actor=appointment.therapist.user)
    note = services.visit_note_start(appointment=appointment, therapist=appointment.therapist)
    services.visit_note_update(
        note=note, staff_member=note.therapist, fields={"assessment": "a", "plan": "b"}
    )
    with pytest.raises(ValidationError, match="attended"):
        services.visit_note_sign(note=note, staff_member=note.therapist)
    time_machine.move_to(datetime.datetime(2026, 12, 3, 15, 50, tzinfo=datetime.UTC), tick=False)
    appointment_services.appointment_set_status(appointment=appointment, status="attended")
    assert services.visit_note_sign(note=note, staff_member=note.therapist).is_signed


def test_a_signed_note_refuses_changes_to_its_sections_and_procedures():
    note = make_visit_note(signed=True, leg_pain=4)
    with pytest.raises(ValidationError, match="Add an addendum"):
        services.visit_note_update(note=note, staff_member=note.therapist, fields={"leg_pain": 2})
    with pytest.raises(ValidationError, match="Add an addendum"):
        services.visit_note_set_procedures(
            note=note, staff_member=note.therapist, procedures=WORKED_EXAMPLE
        )
    with pytest.raises(ValidationError, match="cannot change"):
        services.visit_note_sign(note=note, staff_member=note.therapist)
    note.refresh_from_db()
    assert note.leg_pain == 4
    assert not note.procedures.exists()


def test_an_addendum_keeps_who_when_and_why_and_leaves_the_note_as_signed():
    note = make_visit_note(signed=True, assessment="Stable.")
    addendum = make_addendum(note=note, reason="Called back", text="Numbness resolved.")
    note.refresh_from_db()
    assert note.assessment == "Stable."
    assert (addendum.author, addendum.reason, addendum.text) == (
        note.therapist,
        "Called back",
        "Numbness resolved.",
    )
    assert addendum.written_at >= note.signed_at
    assert list(note.addenda.all()) == [addendum]


def test_a_draft_is_edited_not_amended():
    note = make_visit_note()
    with pytest.raises(ValidationError, match="edit it instead"):
        services.addendum_add(note=note, author=note.therapist, reason="r", text="t")


def test_notes_and_addenda_are_never_deleted():
    addendum = make_addendum()
    with pytest.raises(HardDeleteRefused):
        addendum.note.delete()
    with pytest.raises(HardDeleteRefused):
        VisitNote.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        addendum.delete()


def test_the_history_says_who_wrote_each_version():
    note = make_visit_note(leg_pain=6)
    services.visit_note_update(note=note, staff_member=note.therapist, fields={"leg_pain": 5})
    versions = list(note.history.order_by("history_date"))
    assert [v.leg_pain for v in versions] == [None, 6, 5]
    assert {v.history_user for v in versions} == {note.therapist.user}


@pytest.mark.parametrize(
    ("rule", "units"),
    [
        (Rule.CMS, {"97110": 2, "97112": 1, "97140": 0}),
        (Rule.AMA, {"97110": 2, "97112": 1, "97140": 1}),
    ],
)
def test_the_worked_example_bills_by_the_payers_rule(rule, units):
    note = make_visit_note()
    payer = make_payer(clinic=note.patient.clinic, rule=rule.value)
    make_coverage(patient=note.patient, payer=payer)
    lines = services.visit_note_set_procedures(
        note=note, staff_member=note.therapist, procedures=WORKED_EXAMPLE
    )
    assert {line.code: line.units for line in lines} == units
    assert {line.rule for line in lines} == {rule.value}
    assert all(line.reason for line in lines)


def test_a_patient_without_coverage_is_billed_by_the_cms_rule():
    note = make_visit_note()
    lines = services.visit_note_set_procedures(
        note=note, staff_member=note.therapist, procedures=WORKED_EXAMPLE
    )
    assert sum(line.units for line in lines) == 3


def test_the_payer_of_the_day_of_service_decides_not_a_later_one():
    note = make_visit_note()
    clinic = note.patient.clinic
    make_coverage(
        patient=note.patient,
        payer=make_payer(clinic=clinic, rule="ama"),
        starts_on=note.visit_on - datetime.timedelta(days=30),
    )
    make_coverage(
        patient=note.patient,
        payer=make_payer(clinic=clinic, rule="cms"),
        starts_on=note.visit_on + datetime.timedelta(days=1),
    )
    lines = services.visit_note_set_procedures(
        note=note, staff_member=note.therapist, procedures=WORKED_EXAMPLE
    )
    assert sum(line.units for line in lines) == 4


def test_hot_packs_bill_only_where_the_payer_pays_them():
    note = make_visit_note()
    payer = make_payer(clinic=note.patient.clinic, pays_hot_cold_packs=False)
    make_coverage(patient=note.patient, payer=payer)
    lines = services.visit_note_set_procedures(
        note=note,
        staff_member=note.therapist,
        procedures=[Procedure("97110", 15), Procedure("97010", 10)],
    )
    assert {line.code: line.units for line in lines} == {"97110": 1, "97010": 0}


def test_setting_procedures_again_replaces_the_list():
    note = make_visit_note()
    services.visit_note_set_procedures(
        note=note, staff_member=note.therapist, procedures=WORKED_EXAMPLE
    )
    services.visit_note_set_procedures(
        note=note, staff_member=note.therapist, procedures=[Procedure("97530", 38)]
    )
    assert list(note.procedures.values_list("code", "units")) == [("97530", 3)]


@pytest.mark.parametrize(
    ("procedures", "message"),
    [
        ([Procedure("99999", 10)], "not a code"),
        ([Procedure("97110", 10), Procedure("97110", 5)], "each code once"),
        ([Procedure("97110", 481)], "between 0 and 480"),
    ],
)
def test_procedures_that_cannot_be_billed_are_refused(procedures, message):
    note = make_visit_note()
    with pytest.raises(ValidationError, match=message):
        services.visit_note_set_procedures(
            note=note, staff_member=note.therapist, procedures=procedures
        )
    assert not note.procedures.exists()


def test_signing_bills_by_the_payer_entered_after_the_procedures():
    note = make_visit_note(assessment="a", plan="b")
    services.visit_note_set_procedures(
        note=note, staff_member=note.therapist, procedures=WORKED_EXAMPLE
    )
    assert sum(line.units for line in note.procedures.all()) == 3  # no coverage yet: CMS
    payer = make_payer(clinic=note.patient.clinic, rule=Rule.AMA.value)
    make_coverage(patient=note.patient, payer=payer, starts_on=note.visit_on)
    services.visit_note_sign(note=note, staff_member=note.therapist)
    assert {line.code: line.units for line in note.procedures.all()} == {
        "97110": 2,
        "97112": 1,
        "97140": 1,
    }
    assert set(note.procedures.values_list("rule", flat=True)) == {"ama"}
