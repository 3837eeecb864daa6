"""A refused admin page is an admin page that says why and leads back (handler403);
under /api/ the same refusal stays the JSON error envelope."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from episodes import services as episode_services

pytestmark = pytest.mark.django_db


def test_a_refused_admin_page_is_an_admin_page_with_a_way_back(client, front_desk, diagnosis):
    client.force_login(front_desk.user)

    response = client.get(reverse("admin:patients_diagnosis_change", args=[diagnosis.pk]))

    assert response.status_code == 403
    assert response.templates[0].name == "admin/403.html"
    assert "Your role does not allow this page." in response.text
    assert f"signed in as {front_desk.user.username}" in response.text
    assert 'href="/admin/"' in response.text  # the way back
    assert reverse("admin:logout") in response.text  # the admin's own user links
    assert diagnosis.icd10_code not in response.text


def test_a_refused_admin_page_says_the_reason_the_admin_gave(client, therapist, patient):
    episode_services.patient_discharge(patient=patient, actor=therapist.user)
    version = patient.history.order_by("history_id").first()
    client.force_login(therapist.user)
    url = reverse("admin:patients_patient_simple_history", args=[patient.pk, version.history_id])

    response = client.post(url, {"status": "active"})

    assert response.status_code == 403
    assert response.templates[0].name == "admin/403.html"  # not the site's bare 403
    assert "An earlier version cannot be restored here" in response.text
    assert "Your role does not allow this page." not in response.text
    assert 'href="/admin/"' in response.text


def test_a_refusal_under_the_api_stays_the_json_envelope(front_desk):
    handler = get_resolver().resolve_error_handler(403)
    request = RequestFactory().get("/api/v1/patients/1/")
    request.user = front_desk.user

    response = handler(request, PermissionDenied("Only a clinician may do this."))

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["code"] == "permission_denied"
    assert body["detail"] == "Only a clinician may do this."
    assert body["errors"] == {}


def test_a_bare_refusal_under_the_api_gets_drfs_message(front_desk):
    handler = get_resolver().resolve_error_handler(403)
    request = RequestFactory().get("/api/v1/patients/1/")
    request.user = front_desk.user

    body = json.loads(handler(request, PermissionDenied()).content)

    assert body["detail"] == "You do not have permission to perform this action."
