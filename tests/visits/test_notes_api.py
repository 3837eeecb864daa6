"""/api/v1/appointments/{id}/visit/: a visit's note started, written in its sections,
its procedures billed by the payer's rule, signed and then only amended."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission

from audit.models import RecordAccess
from practice.models import Role
from tests.clients import bearer, error_of
from tests.factories import make_staff
from tests.factories.appointments import make_appointment
from tests.factories.visits import (
    make_attended_appointment,
    make_coverage,
    make_payer,
    make_plan_of_care,
    make_visit_note,
)
from visits.note_models import VisitNote

pytestmark = pytest.mark.django_db


def url(appointment, tail: str = "") -> str:
    return f"/api/v1/appointments/{appointment.pk}/visit/{tail}"


@pytest.fixture
def visit(patient, therapist):
    return make_attended_appointment(patient=patient, therapist=therapist)


@pytest.fixture
def note(visit):
    return make_visit_note(appointment=visit)


@pytest.fixture
def signed(visit):
    return make_visit_note(appointment=visit, signed=True)


def test_starting_a_note_is_a_201_and_starting_it_again_a_200(therapist_api, visit):
    first = therapist_api.post(url(visit), {"kind": "progress"})
    again = therapist_api.post(url(visit))

    assert first.status_code == 201, first.json()
    assert again.status_code == 200, again.json()
    assert first.json()["kind"] == "progress"
    assert again.json()["id"] == first.json()["id"]
    assert VisitNote.objects.filter(appointment=visit).count() == 1


def test_a_note_starts_from_the_last_notes_examination(therapist_api, patient, therapist):
    earlier = make_attended_appointment(
        patient=patient,
        therapist=therapist,
        starts_at=datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        - datetime.timedelta(days=7),
    )
    make_visit_note(appointment=earlier, slr_left_degrees=40, myotome_l5_left=4)
    today = make_attended_appointment(patient=patient, therapist=therapist)

    body = therapist_api.post(url(today)).json()

    assert body["objective"]["slr_left_degrees"] == 40
    assert body["objective"]["myotome_l5_left"] == 4


def test_a_visit_not_yet_checked_in_has_no_note_to_start(therapist_api, patient, therapist):
    booked = make_appointment(patient=patient, therapist=therapist)

    response = therapist_api.post(url(booked))

    assert response.status_code == 400
    assert "checked in or attended" in response.json()["detail"]


def test_the_note_reads_every_section_written(therapist_api, note):
    changed = therapist_api.patch(
        url(note.appointment),
        {
            "subjective": {"back_pain": 3, "leg_pain": 6, "eases": "Walking."},
            "objective": {
                "slr_left_degrees": 35,
                "slr_left_reproduces": True,
                "repeated_movement_response": "centralizes",
                "directional_preference": "extension",
                "myotome_l5_left": 4,
                "reflex_achilles_left": "1",
                "dermatome_l5_left": "reduced",
            },
            "assessment": "Centralizing with extension.",
            "plan": "Repeated extension in lying, 10 x hourly.",
        },
    )
    assert changed.status_code == 200, changed.json()

    body = therapist_api.get(url(note.appointment)).json()

    assert body["subjective"]["back_pain"] == 3
    assert body["subjective"]["leg_pain"] == 6
    assert body["subjective"]["eases"] == "Walking."
    assert body["objective"]["slr_left_degrees"] == 35
    assert body["objective"]["slr_left_reproduces"] is True
    assert body["objective"]["repeated_movement_response"] == "centralizes"
    assert body["objective"]["reflex_achilles_left"] == "1"
    assert body["objective"]["slr_right_degrees"] is None  # not tested
    assert body["assessment"] == "Centralizing with extension."
    assert body["plan"].startswith("Repeated extension")
    assert (body["is_signed"], body["signed_at"], body["addenda"]) == (False, None, [])


def test_a_patch_changes_only_the_fields_it_names(therapist_api, note):
    therapist_api.patch(url(note.appointment), {"subjective": {"back_pain": 3, "leg_pain": 6}})

    therapist_api.patch(url(note.appointment), {"subjective": {"leg_pain": 4}})

    note.refresh_from_db()
    assert (note.back_pain, note.leg_pain) == (3, 4)


def _worked_example(client, note):
    return client.put(
        url(note.appointment, "procedures/"),
        [
            {"code": "97110", "minutes": 25},
            {"code": "97112", "minutes": 15},
            {"code": "97140", "minutes": 10},
        ],
    )


def test_procedures_bill_by_the_cms_rule_for_a_medicare_patient(therapist_api, note, patient):
    make_coverage(patient=patient, payer=make_payer(clinic=patient.clinic, rule="cms"))

    response = _worked_example(therapist_api, note)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["units"] == {"rule": "cms", "total": 3, "timed_minutes": 50}
    units = {line["code"]: line["units"] for line in body["procedures"]}
    assert units == {"97110": 2, "97112": 1, "97140": 0}
    assert body["procedures"][0]["reason"].startswith("CMS, 50 timed minutes")
    assert body["procedures"][0]["description"] == "Therapeutic exercise"


def test_procedures_bill_by_the_ama_rule_for_a_commercial_payer(therapist_api, note, patient):
    make_coverage(patient=patient, payer=make_payer(clinic=patient.clinic, rule="ama"))

    body = _worked_example(therapist_api, note).json()

    assert body["units"] == {"rule": "ama", "total": 4, "timed_minutes": 50}


def test_a_note_without_procedures_names_the_payers_rule(therapist_api, note, patient):
    make_coverage(patient=patient, payer=make_payer(clinic=patient.clinic, rule="ama"))

    body = therapist_api.get(url(note.appointment)).json()

    assert body["units"] == {"rule": "ama", "total": 0, "timed_minutes": 0}


def test_an_empty_list_clears_the_procedures(therapist_api, note):
    _worked_example(therapist_api, note)

    body = therapist_api.put(url(note.appointment, "procedures/"), []).json()

    assert body["procedures"] == []


def test_signing_locks_the_note_against_changes(therapist_api, note):
    therapist_api.patch(url(note.appointment), {"assessment": "Better.", "plan": "Continue."})

    signed = therapist_api.post(url(note.appointment, "sign/"))
    patched = therapist_api.patch(url(note.appointment), {"assessment": "Rewritten."})
    procedures = _worked_example(therapist_api, note)

    assert signed.status_code == 200, signed.json()
    assert signed.json()["is_signed"] is True
    assert signed.json()["signed_by"] == note.therapist_id
    for refused in (patched, procedures):
        assert refused.status_code == 400
        assert "Add an addendum instead." in refused.json()["detail"]
    note.refresh_from_db()
    assert note.assessment == "Better."
    assert not note.procedures.exists()


def test_a_note_without_assessment_and_plan_is_not_signed(therapist_api, note):
    response = therapist_api.post(url(note.appointment, "sign/"))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"assessment", "plan"}


def test_only_the_notes_own_therapist_signs_it(note, clinic):
    colleague = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.two")
    bearer(colleague.user).patch(url(note.appointment), {"assessment": "A.", "plan": "P."})

    response = bearer(colleague.user).post(url(note.appointment, "sign/"))

    assert response.status_code == 403
    assert error_of(response)["detail"] == "Only the note's own therapist signs it."


def test_an_addendum_is_kept_with_its_author_and_reason(therapist_api, signed, therapist):
    added = therapist_api.post(
        url(signed.appointment, "addenda/"),
        {"reason": "Late finding.", "text": "Patient called: less leg pain."},
    )

    assert added.status_code == 201, added.json()
    assert added.json()["author"] == therapist.pk
    listed = therapist_api.get(url(signed.appointment, "addenda/")).json()
    assert [a["reason"] for a in listed] == ["Late finding."]
    note = therapist_api.get(url(signed.appointment)).json()
    assert [a["text"] for a in note["addenda"]] == ["Patient called: less leg pain."]
    assert note["assessment"] == "Improving."  # the signed text stays as signed


def test_a_draft_takes_no_addendum(therapist_api, note):
    response = therapist_api.post(
        url(note.appointment, "addenda/"), {"reason": "Why.", "text": "What."}
    )

    assert response.status_code == 400
    assert "edit it instead" in response.json()["detail"]


def test_the_note_names_a_visit_outside_a_certified_plan(therapist_api, note, patient, therapist):
    before = therapist_api.get(url(note.appointment)).json()["certification_problem"]
    make_plan_of_care(
        patient=patient,
        therapist=therapist,
        starts_on=note.visit_on,
        certified_on=note.visit_on,
    )

    after = therapist_api.get(url(note.appointment)).json()["certification_problem"]

    assert before == "No plan of care covers this visit."
    assert after == ""


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("get", "", None),
        ("post", "", {}),
        ("patch", "", {"assessment": "x"}),
        ("put", "procedures/", []),
        ("post", "sign/", None),
        ("get", "addenda/", None),
        ("post", "addenda/", {"reason": "r", "text": "t"}),
    ],
)
def test_front_desk_and_patients_may_not_reach_a_note(
    front_desk_api, patient_api, note, method, tail, body
):
    for client in (front_desk_api, patient_api):
        response = getattr(client, method)(url(note.appointment, tail), body)
        assert response.status_code == 403, (client, response.json())


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("get", "", None),
        ("post", "", {}),
        ("patch", "", {"assessment": "x"}),
        ("put", "procedures/", []),
        ("post", "sign/", None),
        ("get", "addenda/", None),
        ("post", "addenda/", {"reason": "r", "text": "t"}),
    ],
)
def test_another_clinics_visit_is_a_404(other_therapist_api, note, method, tail, body):
    response = getattr(other_therapist_api, method)(url(note.appointment, tail), body)

    assert response.status_code == 404
    assert error_of(response)["detail"] == "Not found."


def test_each_method_needs_its_own_permission_head_as_get(front_desk, signed):
    # A role that reads notes but not their addenda: HEAD is refused as GET is, not
    # read as a read of the note.
    front_desk.user.user_permissions.add(
        Permission.objects.get(content_type__app_label="visits", codename="view_visitnote")
    )
    client = bearer(front_desk.user)

    assert client.get(url(signed.appointment)).status_code == 200
    assert client.head(url(signed.appointment, "addenda/")).status_code == 403
    assert client.get(url(signed.appointment, "addenda/")).status_code == 403


def test_a_visit_with_no_note_yet_says_so(therapist_api, visit):
    response = therapist_api.get(url(visit))

    assert response.status_code == 404
    assert "no note yet" in response.json()["detail"]


@pytest.mark.parametrize("appointment_id", ["abc", "0", "99999999999999999999999"])
def test_a_malformed_appointment_id_is_a_404(therapist_api, appointment_id):
    response = therapist_api.get(f"/api/v1/appointments/{appointment_id}/visit/")

    assert response.status_code == 404


def test_reading_a_note_is_access_logged(therapist_api, note, therapist, patient):
    therapist_api.get(url(note.appointment))

    logged = RecordAccess.objects.get(user=therapist.user, action="view")
    assert (logged.patient_id, logged.path) == (patient.pk, url(note.appointment))


def test_listing_addenda_is_access_logged(therapist_api, signed, therapist, patient):
    therapist_api.get(url(signed.appointment, "addenda/"))

    assert RecordAccess.objects.filter(user=therapist.user, patient=patient, action="view").exists()
