"""Discharge in the admin: a page listing what will be closed, then the closing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appointments.models import Appointment
from audit.models import RecordAccess
from episodes.models import EpisodeClosure
from episodes.services import patient_discharge
from patients.models import Patient
from programs.models import Prescription
from reminders.models import Notification
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:patients_patient_changelist")


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def _action(client, action: str, *patients, confirm: bool = False, note: str = ""):
    data = {"action": action, "_selected_action": [p.pk for p in patients]}
    if confirm:
        data.update(confirm="Yes", note=note)
    return client.post(CHANGELIST, data)


def test_the_confirmation_page_lists_what_will_be_closed_and_closes_nothing(
    therapist_client, patient, episode
):
    page = _action(therapist_client, "discharge", patient)
    assert page.status_code == 200
    assert next(t.name for t in page.templates) == "admin/episodes/confirm_close.html"
    text = page.text
    assert str(patient) in text
    assert episode.program.name in text
    # Clinic-local times (the clinic is in New York), kind and therapist, soonest first.
    first = text.index("Tue 2026-06-02 10:00 (America/New_York), Follow-up with Sam One, PT, DPT")
    second = text.index(
        "Tue 2026-06-09 10:00 (America/New_York), Re-evaluation with Sam One, PT, DPT"
    )
    assert first < second
    assert "Pending reminders to cancel: 4" in text
    # The visit already past and the one under way are not listed.
    assert "2026-05-25" not in text
    assert "Sun 2026-05-31" not in text
    assert "Mon 2026-06-01 09:56" not in text

    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    assert Notification.objects.filter(status=Notification.Status.PENDING).count() == 6


def test_confirming_closes_the_episode(therapist_client, therapist, patient, episode):
    response = _action(therapist_client, "discharge", patient, confirm=True, note="Goals met.")
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.status == Patient.Status.DISCHARGED
    episode.program.refresh_from_db()
    assert episode.program.status == Prescription.Status.COMPLETED
    assert set(
        Appointment.objects.filter(pk__in=[a.pk for a in episode.upcoming]).values_list(
            "status", flat=True
        )
    ) == {Appointment.Status.CANCELLED}
    closure = EpisodeClosure.objects.get()
    assert (closure.closed_by, closure.note, closure.outcome) == (
        therapist.user,
        "Goals met.",
        "discharged",
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["1 patient(s) discharged."]


def test_archiving_from_the_admin_lists_then_archives(therapist_client, patient, episode):
    page = _action(therapist_client, "archive", patient)
    assert "Archive 1 patient(s)?" in page.text
    _action(therapist_client, "archive", patient, confirm=True)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ARCHIVED


def test_a_refusal_is_reported_and_the_others_are_closed(
    therapist_client, clinic, patient, episode
):

    gone = make_patient(clinic=clinic, first_name="Jamie", last_name="Chen")
    patient_discharge(patient=gone, actor=gone.clinic.staff.first().user)
    response = _action(therapist_client, "discharge", patient, gone, confirm=True)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert f"{gone}: Jamie Chen is already discharged." in messages
    assert "1 patient(s) discharged." in messages
    patient.refresh_from_db()
    assert patient.status == Patient.Status.DISCHARGED


def test_the_front_desk_is_not_offered_discharge_and_cannot_post_it(
    client, front_desk, patient, episode
):
    client.force_login(front_desk.user)
    changelist = client.get(CHANGELIST)
    choices = [value for value, _ in changelist.context["action_form"].fields["action"].choices]
    assert "discharge" not in choices
    assert "archive" not in choices
    assert "reactivate" in choices
    for action in ("discharge", "archive"):
        _action(client, action, patient, confirm=True)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    assert not EpisodeClosure.objects.exists()


def test_the_front_desk_reactivates_a_discharged_patient(client, front_desk, therapist, patient):

    patient_discharge(patient=patient, actor=therapist.user)
    client.force_login(front_desk.user)
    response = _action(client, "reactivate", patient)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_another_clinics_patient_is_neither_listed_nor_closed(
    therapist_client, other_patient, patient
):
    page = _action(therapist_client, "discharge", patient, other_patient)
    assert "Other Person" not in page.text
    assert "Discharge 1 patient(s)?" in page.text
    _action(therapist_client, "discharge", other_patient, confirm=True)
    other_patient.refresh_from_db()
    assert other_patient.status == Patient.Status.ACTIVE


def _page(patient) -> str:
    return reverse("admin:patients_patient_change", args=[patient.pk])


def test_the_patient_page_offers_discharge_and_archive_to_clinicians(therapist_client, patient):
    page = therapist_client.get(_page(patient)).text
    assert f'href="{reverse("admin:patients_patient_discharge", args=[patient.pk])}"' in page
    assert f'href="{reverse("admin:patients_patient_archive", args=[patient.pk])}"' in page


def test_a_discharged_patients_page_offers_only_archive(therapist_client, therapist, patient):

    patient_discharge(patient=patient, actor=therapist.user)
    page = therapist_client.get(_page(patient)).text
    assert reverse("admin:patients_patient_discharge", args=[patient.pk]) not in page
    assert reverse("admin:patients_patient_archive", args=[patient.pk]) in page


def test_discharging_from_the_patient_page_confirms_then_closes(therapist_client, patient, episode):
    url = reverse("admin:patients_patient_discharge", args=[patient.pk])
    page = therapist_client.get(url)
    assert page.status_code == 200
    assert "Pending reminders to cancel: 4" in page.text
    assert 'name="action"' not in page.text
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE

    done = therapist_client.post(url, {"confirm": "Yes", "note": ""})
    assert done.status_code == 302
    assert done.url == _page(patient)
    patient.refresh_from_db()
    assert patient.status == Patient.Status.DISCHARGED
    episode.program.refresh_from_db()
    assert episode.program.status == Prescription.Status.COMPLETED


def test_the_front_desk_gets_no_buttons_and_403_on_the_page(client, front_desk, patient):
    client.force_login(front_desk.user)
    url = reverse("admin:patients_patient_discharge", args=[patient.pk])
    assert url not in client.get(_page(patient)).text
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "Yes"}).status_code == 403
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE


def test_another_clinics_patient_page_is_404(therapist_client, other_patient):
    for name in ("discharge", "archive"):
        url = reverse(f"admin:patients_patient_{name}", args=[other_patient.pk])
        assert therapist_client.get(url).status_code == 404
        assert therapist_client.post(url, {"confirm": "Yes"}).status_code == 404
    other_patient.refresh_from_db()
    assert other_patient.status == Patient.Status.ACTIVE


def _logged(patient, action: str) -> list[str]:

    rows = RecordAccess.objects.filter(patient_id=patient.pk, action=action)
    return [row.user.username for row in rows]


def test_the_confirmation_page_and_the_closing_are_in_the_access_log(
    therapist_client, patient, episode, other_patient
):
    _action(therapist_client, "discharge", patient, other_patient)
    assert _logged(patient, "view") == ["pt.one"]
    assert _logged(patient, "change") == []
    assert _logged(other_patient, "view") == []  # not listed, so not read
    _action(therapist_client, "discharge", patient, confirm=True)
    assert _logged(patient, "change") == ["pt.one"]


def test_the_patient_pages_confirmation_is_in_the_access_log(therapist_client, patient):
    therapist_client.get(reverse("admin:patients_patient_archive", args=[patient.pk]))
    assert _logged(patient, "view") == ["pt.one"]


def test_a_reactivation_is_in_the_access_log(client, front_desk, therapist, patient):

    patient_discharge(patient=patient, actor=therapist.user)
    client.force_login(front_desk.user)
    _action(client, "reactivate", patient)
    assert _logged(patient, "change") == ["desk.one"]


def test_going_back_from_the_confirmation_returns_where_it_started(therapist_client, patient):
    from_page = therapist_client.get(reverse("admin:patients_patient_discharge", args=[patient.pk]))
    assert f'href="{_page(patient)}" class="button cancel-link"' in from_page.text
    from_list = _action(therapist_client, "discharge", patient)
    assert f'href="{CHANGELIST}" class="button cancel-link"' in from_list.text
