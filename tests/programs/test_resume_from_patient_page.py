"""The patient page lists the exercises the pain rules stopped, each with a Resume link
to the resume page, which returns to the patient page when done."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import RecordAccess
from programs.models import PrescribedExercise, Prescription
from programs.services import prescription_set_status
from tests.factories import make_prescription
from tests.programs.test_exercise_resume import NOTE, stop

pytestmark = pytest.mark.django_db

PANEL = "Stopped exercises"


@pytest.fixture
def therapist_client(therapist) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(therapist.user)
    return client


@pytest.fixture
def prescription(diagnosis, therapist):
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def items_of(prescription) -> list[PrescribedExercise]:
    return list(prescription.exercises.select_related("exercise").order_by("phase", "order"))


@pytest.fixture
def stopped(prescription):
    return stop(items_of(prescription)[0])


def patient_page(patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def resume_url(item, *, back: str | None = None) -> str:
    url = reverse(
        "admin:programs_prescription_exercise_resume", args=[item.prescription_id, item.pk]
    )
    return url if back is None else f"{url}?next={quote(back, safe='')}"


def panel_of(html: str) -> str:
    return html.split(f">{PANEL}</h2>", 1)[1].split("</fieldset>", 1)[0]


def test_the_patient_page_lists_a_stopped_exercise_with_its_resume_link(
    therapist_client, patient, stopped
):
    page = therapist_client.get(patient_page(patient))

    assert page.status_code == 200
    panel = panel_of(page.text)
    assert stopped.exercise.name in panel
    assert "leg pain rose from 3 to 6" in panel
    assert f'href="{resume_url(stopped, back=patient_page(patient))}"' in panel


def test_a_patient_with_nothing_stopped_is_said_to_have_none(
    therapist_client, patient, prescription
):
    panel = panel_of(therapist_client.get(patient_page(patient)).text)
    assert "None: the patient may do every exercise of the program." in panel
    assert "Resume" not in panel


def test_a_patient_with_no_open_program_is_not_told_of_its_exercises(therapist_client, patient):
    panel = panel_of(therapist_client.get(patient_page(patient)).text)
    assert "No program open." in panel
    assert "every exercise" not in panel


def test_resuming_from_the_patient_page_returns_to_it(
    therapist_client, therapist, patient, stopped
):
    url = resume_url(stopped, back=patient_page(patient))
    page = therapist_client.get(url)
    assert f'<a href="{patient_page(patient)}">Cancel</a>' in page.text

    response = therapist_client.post(url, {"note": NOTE})

    assert response.status_code == 302
    assert response.url == patient_page(patient)
    item = PrescribedExercise.objects.get(pk=stopped.pk)
    assert (item.stop_and_contact_therapist, item.resumed_by) == (False, therapist)
    assert stopped.exercise.name not in panel_of(therapist_client.get(patient_page(patient)).text)


def test_resuming_from_the_prescription_page_still_returns_there(therapist_client, stopped):
    response = therapist_client.post(resume_url(stopped), {"note": NOTE})
    assert response.url == reverse(
        "admin:programs_prescription_change", args=[stopped.prescription_id]
    )


@pytest.mark.parametrize("back", ["https://evil.example/admin/", "//evil.example/x"])
def test_an_address_off_the_site_is_not_followed(therapist_client, stopped, back):
    response = therapist_client.post(resume_url(stopped, back=back), {"note": NOTE})
    assert response.url == reverse(
        "admin:programs_prescription_change", args=[stopped.prescription_id]
    )


def test_a_closed_programs_stops_are_not_offered(therapist_client, therapist, patient, stopped):
    prescription_set_status(
        prescription=stopped.prescription, status=Prescription.Status.STOPPED, actor=therapist.user
    )
    panel = panel_of(therapist_client.get(patient_page(patient)).text)
    assert stopped.exercise.name not in panel


def test_the_front_desk_sees_no_stopped_exercises(client, front_desk, patient, stopped):
    client.force_login(front_desk.user)
    page = client.get(patient_page(patient))
    assert page.status_code == 200
    assert PANEL not in page.text
    assert stopped.exercise.name not in page.text


def test_the_panel_reads_as_many_queries_for_one_stop_as_for_several(
    therapist_client, patient, prescription
):
    items = items_of(prescription)
    assert len(items) >= 3, "the McKenzie template has several exercises"
    stop(items[0])
    with CaptureQueriesContext(connection) as one:
        therapist_client.get(patient_page(patient))
    for item in items[1:]:
        stop(item)
    with CaptureQueriesContext(connection) as several:
        page = therapist_client.get(patient_page(patient))

    assert panel_of(page.text).count("Resume...") == len(items)
    assert len(several) == len(one)


def test_the_patient_page_and_the_resume_are_in_the_access_log(therapist_client, patient, stopped):
    url = resume_url(stopped, back=patient_page(patient))
    therapist_client.get(patient_page(patient))
    therapist_client.get(url)
    therapist_client.post(url, {"note": NOTE})

    actions = RecordAccess.objects.filter(patient_id=patient.pk).order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["view", "view", "change"]
