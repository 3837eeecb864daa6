"""The Calendar feed panel on the patient's admin page and a clinician's own feed page:
the buttons post with the page's CSRF token, an issue shows the URL once, a revoke stops
it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from interop.models import CalendarFeed
from tests.factories import issue_calendar_feed, make_staff

from .conftest import feed_path

pytestmark = pytest.mark.django_db

_URL = re.compile(r'id="calendar-feed-url" readonly size="90" value="([^"]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def admin_client_of():
    def login(user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return login


def _patient_page(client: Client, patient) -> str:
    response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _token_on(page: str) -> str:
    (url,) = _URL.findall(page)
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_the_panels_buttons_issue_renew_and_revoke(
    admin_client_of, therapist, patient, feed_client
):
    client = admin_client_of(therapist.user)
    issue = reverse("admin:interop_patient_calendar_feed_issue", args=[patient.pk])
    revoke = reverse("admin:interop_patient_calendar_feed_revoke", args=[patient.pk])
    page = _patient_page(client, patient)
    assert "No calendar feed" in page
    assert f'formaction="{issue}"' in page
    assert f'formaction="{revoke}"' not in page

    csrf = _CSRF.search(page).group(1)  # the patient form's own token
    issued = client.post(issue, {"csrfmiddlewaretoken": csrf})
    assert issued.status_code == 200
    token = _token_on(issued.content.decode())
    assert feed_client.get(feed_path(token)).status_code == 200

    page = _patient_page(client, patient)
    assert "A calendar feed is live since" in page
    assert token not in page  # shown once
    assert "Renew" in page
    assert f'formaction="{revoke}"' in page

    revoked = client.post(revoke, {"csrfmiddlewaretoken": _CSRF.search(page).group(1)})
    assert revoked.status_code == 302
    assert feed_client.get(feed_path(token)).status_code == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_the_panels_help_text_is_shown_whole(admin_client_of, therapist, patient):
    page = _patient_page(admin_client_of(therapist.user), patient)

    # The admin writes a fieldset's description as HTML: a "<clinic>" in it vanished.
    assert (
        "<div class=\"description\">The patient's appointments in their phone's calendar, by a "
        'private URL. Events say only "Appointment" with the clinic\'s name, and where.</div>'
    ) in page
    assert "<clinic>" not in page


def test_a_post_without_the_csrf_token_is_refused(admin_client_of, therapist, patient):
    client = admin_client_of(therapist.user)

    response = client.post(reverse("admin:interop_patient_calendar_feed_issue", args=[patient.pk]))

    assert response.status_code == 403
    assert not CalendarFeed.objects.exists()


def test_the_buttons_answer_only_posts(admin_client_of, therapist, patient):
    client = admin_client_of(therapist.user)

    response = client.get(reverse("admin:interop_patient_calendar_feed_issue", args=[patient.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("patient_id", ["other", "abc", "99999999999999999999"])
def test_another_clinics_patient_or_no_patient_is_a_404(
    client, therapist, other_patient, patient_id
):
    client.force_login(therapist.user)
    target = other_patient.pk if patient_id == "other" else patient_id

    response = client.post(reverse("admin:interop_patient_calendar_feed_issue", args=[target]))

    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_clinician_issues_and_revokes_their_own_feed(admin_client_of, therapist, feed_client):
    client = admin_client_of(therapist.user)
    mine = reverse("admin:interop_my_calendar_feed")
    home = client.get(reverse("admin:records")).content.decode()
    assert f'href="{mine}"' in home  # in the user tools

    page = client.get(mine).content.decode()
    assert "No calendar feed" in page
    issued = client.post(mine, {"action": "issue", "csrfmiddlewaretoken": _CSRF.search(page)[1]})
    token = _token_on(issued.content.decode())
    assert feed_client.get(feed_path(token)).status_code == 200

    page = client.get(mine).content.decode()
    assert token not in page
    client.post(mine, {"action": "revoke", "csrfmiddlewaretoken": _CSRF.search(page)[1]})
    assert feed_client.get(feed_path(token)).status_code == 404


def test_the_front_desk_has_no_feed_of_its_own(client, clinic):
    desk = make_staff(clinic=clinic, role="front_desk")
    client.force_login(desk.user)

    assert client.get(reverse("admin:interop_my_calendar_feed")).status_code == 403
    assert "My calendar feed" not in client.get(reverse("admin:records")).content.decode()


def test_the_panel_shows_a_live_feed_without_its_url(client, therapist, patient):
    issued = issue_calendar_feed(patient=patient)
    client.force_login(therapist.user)

    page = _patient_page(client, patient)

    assert "A calendar feed is live since" in page
    assert issued.token not in page
