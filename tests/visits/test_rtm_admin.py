"""Remote monitoring in the admin: an episode begun with consent, its set-up and time
through the services, and its status (days with data, minutes, what bills)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from practice.models import Role
from tests.admin_forms import change_form_data
from tests.factories import make_staff
from tests.factories.visits import make_coverage, make_payer, make_rtm_episode, make_rtm_time_entry
from visits.billing_models import Coverage, Payer
from visits.rtm_models import RtmEpisode

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)
START = datetime.date(2026, 3, 1)
ADD = reverse("admin:visits_rtmepisode_add")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pt_client(client, therapist):
    client.force_login(therapist.user)
    return client


def _url(episode: RtmEpisode) -> str:
    return reverse("admin:visits_rtmepisode_change", args=[episode.pk])


def test_an_episode_begins_with_the_consent_recorded(pt_client, patient, therapist):
    response = pt_client.post(
        ADD,
        {
            "patient": patient.pk,
            "starts_on": "",
            "consent_at_0": "2026-03-10",
            "consent_at_1": "09:30:00",
            "consent_method": "in_person",
        },
    )
    assert response.status_code == 302
    episode = RtmEpisode.objects.get()
    assert episode.consent_recorded_by == therapist
    assert episode.starts_on == datetime.date(2026, 3, 10)  # the patient's today
    again = pt_client.post(
        ADD,
        {
            "patient": patient.pk,
            "consent_at_0": "2026-03-10",
            "consent_at_1": "09:30:00",
            "consent_method": "phone",
        },
    )
    assert again.status_code == 200
    assert "already being monitored" in again.text


def test_set_up_and_time_go_through_the_services(pt_client, patient, therapist):
    episode = make_rtm_episode(patient=patient, therapist=therapist, starts_on=START)
    data = change_form_data(pt_client.get(_url(episode)))
    data.update(
        {
            "onboarded_on": "2026-03-02",
            "time_entries-2-0-worked_on": "2026-03-05",
            "time_entries-2-0-minutes": "25",
            "time_entries-2-0-interactive": "on",
            "time_entries-2-0-note": "Called about the flare.",
        }
    )
    response = pt_client.post(_url(episode), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    episode.refresh_from_db()
    assert (episode.onboarded_on, episode.onboarded_by) == (datetime.date(2026, 3, 2), therapist)
    entry = episode.time_entries.get()
    assert (entry.clinician, entry.minutes, entry.interactive) == (therapist, 25, True)
    page = pt_client.get(_url(episode))
    assert "98975, 98980" in page.text  # billable so far


def test_time_outside_the_episode_is_a_form_error(pt_client, patient, therapist):
    episode = make_rtm_episode(patient=patient, therapist=therapist, starts_on=START)
    data = change_form_data(pt_client.get(_url(episode)))
    data.update(
        {
            "time_entries-2-0-worked_on": "2026-02-20",
            "time_entries-2-0-minutes": "20",
            "time_entries-2-0-note": "Reviewed.",
        }
    )
    response = pt_client.post(_url(episode), data)
    assert response.status_code == 200
    assert "outside the monitoring episode" in response.text
    assert not episode.time_entries.exists()


def test_the_patient_page_shows_this_periods_days_and_minutes(pt_client, patient, therapist):
    make_coverage(patient=patient)  # a payer that takes the 2026 codes
    episode = make_rtm_episode(patient=patient, therapist=therapist, starts_on=START)
    make_rtm_time_entry(episode=episode, minutes=12, worked_on=datetime.date(2026, 3, 4))
    page = pt_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert "2026-03-01 to 2026-03-30: 0 day(s) with data, 16 more needed for 98977" in page.text
    assert "20 day(s) left" in page.text
    assert "minutes this month" in page.text
    assert "98979" in page.text  # 12 minutes with an interactive call, the 2026 code
    assert "Start remote monitoring" not in page.text


def test_the_front_desk_sees_no_monitoring(client, front_desk, patient, therapist):
    episode = make_rtm_episode(patient=patient, therapist=therapist, starts_on=START)
    client.force_login(front_desk.user)
    assert client.get(_url(episode)).status_code == 403
    page = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert "Remote monitoring" not in page.text


def test_another_clinics_episode_is_not_found(client, other_therapist, patient, therapist):
    episode = make_rtm_episode(patient=patient, therapist=therapist, starts_on=START)
    client.force_login(other_therapist.user)
    assert client.get(_url(episode)).status_code == 404


def test_the_front_desk_adds_coverage_to_the_clinics_payer(client, front_desk, patient):
    payer = make_payer(clinic=patient.clinic, name="Medicare")
    client.force_login(front_desk.user)
    response = client.post(
        reverse("admin:visits_coverage_add"),
        {"patient": patient.pk, "payer": payer.pk, "member_id": "1EG4", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 302
    assert Coverage.objects.get().payer == payer


def test_a_payer_is_added_to_the_admins_clinic_and_names_stay_unique(client, clinic):
    admin_user = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN).user
    client.force_login(admin_user)
    form = {"name": "Aetna", "rule": "ama", "accepts_2026_rtm_codes": "on", "active": "on"}
    assert client.post(reverse("admin:visits_payer_add"), form).status_code == 302
    assert Payer.objects.get().clinic == clinic
    again = client.post(reverse("admin:visits_payer_add"), form)
    assert again.status_code == 200
    assert "already has a payer of that name" in again.text
