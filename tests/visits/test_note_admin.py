"""The visit note in the admin: started from its visit, saved and signed through the
services, its units computed on save, locked once signed with addenda after."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments.services import appointment_book
from audit.models import RecordAccess
from practice.models import Role
from tests.admin_forms import change_form_data
from tests.factories import make_patient, make_staff
from tests.factories.visits import (
    make_attended_appointment,
    make_coverage,
    make_payer,
    make_plan_of_care,
    make_visit_note,
)
from visits.note_models import ProcedureLine, VisitNote
from visits.units import Rule

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)
ASSESSMENT = "Centralising with extension; neural tension easing."


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pt_client(client, therapist):
    client.force_login(therapist.user)
    return client


def _change_url(note: VisitNote) -> str:
    return reverse("admin:visits_visitnote_change", args=[note.pk])


def _with_procedures(data: dict, *procedures: tuple[str, int]) -> dict:
    data = {k: v for k, v in data.items() if not k.startswith("procedures-")}
    data.update(
        {
            "procedures-TOTAL_FORMS": str(len(procedures)),
            "procedures-INITIAL_FORMS": "0",
            "procedures-MIN_NUM_FORMS": "0",
            "procedures-MAX_NUM_FORMS": "1000",
        }
    )
    for i, (code, minutes) in enumerate(procedures):
        data[f"procedures-{i}-code"] = code
        data[f"procedures-{i}-minutes"] = str(minutes)
    return data


def _post_note(client, note: VisitNote, procedures=(), **fields) -> object:
    page = client.get(_change_url(note))
    data = change_form_data(page)
    data.update({k: str(v) for k, v in fields.items()})
    if procedures:
        data = _with_procedures(data, *procedures)
    return client.post(_change_url(note), data)


WORKED_EXAMPLE = (("97110", 25), ("97112", 15), ("97140", 10))


def test_document_visit_starts_the_note_prefilled_from_the_last_one(pt_client, patient, therapist):
    earlier = make_attended_appointment(
        patient=patient, therapist=therapist, starts_at=NOW - datetime.timedelta(days=7)
    )
    make_visit_note(appointment=earlier, signed=True, slr_left_degrees=40)
    visit = make_attended_appointment(patient=patient, therapist=therapist)
    appointment_page = pt_client.get(
        reverse("admin:appointments_appointment_change", args=[visit.pk])
    )
    document_url = reverse("admin:appointments_appointment_document", args=[visit.pk])
    assert document_url in appointment_page.text
    assert "Document visit" in appointment_page.text

    response = pt_client.post(document_url)

    note = VisitNote.objects.get(appointment=visit)
    assert response.status_code == 302
    assert response["Location"] == _change_url(note)
    assert note.slr_left_degrees == 40  # copied by visit_note_start
    again = pt_client.get(reverse("admin:appointments_appointment_change", args=[visit.pk]))
    assert "Open visit note" in again.text


def test_opening_the_document_page_writes_nothing(pt_client, patient, therapist):
    visit = make_attended_appointment(patient=patient, therapist=therapist)
    response = pt_client.get(reverse("admin:appointments_appointment_document", args=[visit.pk]))
    assert response.status_code == 200
    assert "Start the visit note" in response.text
    assert not VisitNote.objects.exists()


def test_a_visit_to_come_offers_no_note(pt_client, patient, therapist):
    visit = appointment_book(
        patient=patient, therapist=therapist, starts_at=NOW + datetime.timedelta(days=1)
    )
    page = pt_client.get(reverse("admin:appointments_appointment_change", args=[visit.pk]))
    assert "Document visit" not in page.text
    response = pt_client.post(reverse("admin:appointments_appointment_document", args=[visit.pk]))
    assert response.status_code == 200
    assert "checked in or attended" in response.text
    assert not VisitNote.objects.exists()


def test_the_add_page_is_no_blank_form(pt_client):
    response = pt_client.get(reverse("admin:visits_visitnote_add"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:appointments_appointment_changelist"))
    assert not VisitNote.objects.exists()


def test_saving_writes_the_sections_and_the_units_under_cms(pt_client, patient, therapist):
    make_coverage(patient=patient, payer=make_payer(clinic=patient.clinic, rule=Rule.CMS.value))
    note = make_visit_note(patient=patient, therapist=therapist)

    response = _post_note(
        pt_client,
        note,
        WORKED_EXAMPLE,
        leg_pain=6,
        slr_left_degrees=35,
        slr_left_reproduces="true",
        myotome_l5_left=4,
        assessment=ASSESSMENT,
        _continue="1",
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    note.refresh_from_db()
    assert (note.leg_pain, note.slr_left_degrees, note.slr_left_reproduces) == (6, 35, True)
    assert note.myotome_l5_left == 4
    assert note.assessment == ASSESSMENT
    units = dict(ProcedureLine.objects.filter(note=note).values_list("code", "units"))
    assert units == {"97110": 2, "97112": 1, "97140": 0}
    assert note.history.first().history_user == therapist.user
    page = pt_client.get(_change_url(note))
    assert "3 units in all by the CMS 8-minute rule, 50 timed minutes." in page.text
    assert "CMS, 50 timed minutes" in page.text  # each line's reason


def test_the_units_follow_the_ama_rule_where_the_payer_does(pt_client, patient, therapist):
    make_coverage(patient=patient, payer=make_payer(clinic=patient.clinic, rule=Rule.AMA.value))
    note = make_visit_note(patient=patient, therapist=therapist)
    _post_note(pt_client, note, WORKED_EXAMPLE)
    page = pt_client.get(_change_url(note))
    assert "4 units in all by the AMA rule of eights" in page.text


def test_a_code_twice_is_a_form_error_and_writes_nothing(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist)
    response = _post_note(pt_client, note, (("97110", 10), ("97110", 15)), leg_pain=3)
    assert response.status_code == 200
    assert "List each code once" in response.text
    note.refresh_from_db()
    assert note.leg_pain is None  # the whole page was rolled back
    assert not ProcedureLine.objects.exists()


def test_save_and_sign_locks_the_note(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist)
    response = _post_note(
        pt_client, note, assessment=ASSESSMENT, plan="Progress loading.", _sign="1"
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.is_signed
    assert note.signed_by == therapist

    page = pt_client.get(_change_url(note))
    assert 'name="assessment"' not in page.text  # every field read-only
    assert 'name="procedures-0-code"' not in page.text
    assert "Save and sign" not in page.text
    assert "Add addendum" in page.text
    refused = pt_client.post(_change_url(note), {"assessment": "Changed."})
    assert refused.status_code == 403
    note.refresh_from_db()
    assert note.assessment == ASSESSMENT


def test_signing_without_a_plan_saves_and_says_why_not_signed(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist)
    response = _post_note(pt_client, note, assessment=ASSESSMENT, _sign="1")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.assessment == ASSESSMENT
    assert not note.is_signed
    page = pt_client.get(response["Location"])
    assert "Saved, but not signed. Plan: Write this before signing." in page.text


def test_another_therapist_cannot_sign_and_is_told(client, patient, therapist):
    colleague = make_staff(clinic=patient.clinic, role=Role.PHYSICAL_THERAPIST)
    note = make_visit_note(patient=patient, therapist=therapist, assessment="a", plan="b")
    client.force_login(colleague.user)
    response = _post_note(client, note, _sign="1")
    assert response.status_code == 302
    note.refresh_from_db()
    assert not note.is_signed
    assert "the note&#x27;s own therapist" in client.get(_change_url(note)).text


def test_an_addendum_is_added_to_a_signed_note(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist, signed=True)
    url = reverse("admin:visits_visitnote_addendum", args=[note.pk])
    response = pt_client.post(url, {"reason": "Late finding.", "text": "Numbness resolved."})
    assert response.status_code == 302
    addendum = note.addenda.get()
    assert (addendum.author, addendum.reason) == (therapist, "Late finding.")
    assert "Numbness resolved." in pt_client.get(_change_url(note)).text
    assert RecordAccess.objects.filter(patient=patient, action="change").exists()


def test_an_addendum_needs_its_reason(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist, signed=True)
    url = reverse("admin:visits_visitnote_addendum", args=[note.pk])
    response = pt_client.post(url, {"reason": "", "text": "Numbness resolved."})
    assert response.status_code == 200
    assert not note.addenda.exists()


def test_a_draft_takes_no_addendum(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist)
    url = reverse("admin:visits_visitnote_addendum", args=[note.pk])
    response = pt_client.post(url, {"reason": "Late.", "text": "x"})
    assert response.status_code == 200
    assert "not signed yet" in response.text
    assert not note.addenda.exists()


def test_a_visit_outside_a_certified_plan_is_flagged(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist)
    assert "No plan of care covers this visit." in pt_client.get(_change_url(note)).text
    make_plan_of_care(
        patient=patient,
        therapist=therapist,
        starts_on=note.visit_on - datetime.timedelta(days=7),
        certified_on=note.visit_on - datetime.timedelta(days=6),
    )
    assert "certification-problem" not in pt_client.get(_change_url(note)).text


def test_reading_a_note_is_access_logged(pt_client, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist)
    pt_client.get(_change_url(note))
    assert RecordAccess.objects.filter(patient=patient, user=therapist.user).exists()


def test_the_front_desk_sees_no_note(client, front_desk, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist, signed=True, assessment=ASSESSMENT)
    client.force_login(front_desk.user)
    assert client.get(_change_url(note)).status_code == 403
    assert client.get(reverse("admin:visits_visitnote_changelist")).status_code == 403
    addendum = client.get(reverse("admin:visits_visitnote_addendum", args=[note.pk]))
    assert addendum.status_code == 403
    visit = client.get(reverse("admin:appointments_appointment_change", args=[note.appointment_id]))
    assert visit.status_code == 200
    assert "visit note" not in visit.text.lower()
    patient_page = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert ASSESSMENT not in patient_page.text
    assert "Plan of care" not in patient_page.text
    document = reverse("admin:appointments_appointment_document", args=[note.appointment_id])
    assert client.post(document).status_code == 403


def test_another_clinics_note_is_not_found(client, other_therapist, patient, therapist):
    note = make_visit_note(patient=patient, therapist=therapist)
    client.force_login(other_therapist.user)
    assert client.get(_change_url(note)).status_code == 404
    addendum = reverse("admin:visits_visitnote_addendum", args=[note.pk])
    assert client.get(addendum).status_code == 404


def test_the_note_list_reads_as_many_queries_for_one_note_as_for_many(pt_client, clinic, therapist):
    url = reverse("admin:visits_visitnote_changelist")

    def visit(days_ago: int):
        return make_attended_appointment(
            patient=make_patient(clinic=clinic),
            therapist=therapist,
            starts_at=NOW - datetime.timedelta(days=days_ago),
        )

    make_visit_note(appointment=visit(1))
    with CaptureQueriesContext(connection) as one:
        assert pt_client.get(url).status_code == 200
    for days_ago in range(2, 6):
        make_visit_note(appointment=visit(days_ago), signed=True)
    with CaptureQueriesContext(connection) as many:
        assert pt_client.get(url).status_code == 200
    assert len(many) == len(one), "\n".join(q["sql"][:150] for q in many.captured_queries)


def test_a_signed_note_links_its_superbill_only_for_staff_who_bill(pt_client, therapist):
    note = make_visit_note(therapist=therapist, signed=True)
    superbill = reverse("admin:visits_superbill_pdf", args=[note.pk])
    assert superbill not in pt_client.get(_change_url(note)).content.decode()
    therapist.user.user_permissions.add(Permission.objects.get(codename="view_billing"))
    assert superbill in pt_client.get(_change_url(note)).content.decode()
