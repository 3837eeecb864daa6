"""Times of day are HH:MM wherever they are taken or sent, and `ordering` is refused
wherever the list cannot sort by it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from rest_framework import generics
from rest_framework.test import APIRequestFactory

from core.api.clock import CLOCK_TIME_PATTERN
from core.api.ordering import StrictOrderingFilter
from programs.api.library_serializers import ExerciseSerializer
from programs.models import Exercise
from programs.schedule import parse_reminder_times

from .schema_contract import COMPONENTS, operations, parameter

# Times of day.


def clock_properties() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, prop, node.get("items", node))
        for name, component in COMPONENTS.items()
        for prop, node in component.get("properties", {}).items()
        if prop.startswith("quiet_hours_") or prop == "reminder_times"
    ]


def test_times_of_day_are_hh_mm_in_requests_and_responses():
    found = clock_properties()
    names = {name for name, _, _ in found}
    assert {"Me", "PatchedMeRequest", "Prescription", "ScheduleRequest", "Patient"} <= names
    for name, prop, node in found:
        assert node["pattern"] == CLOCK_TIME_PATTERN, (name, prop)


@pytest.mark.django_db
def test_the_server_takes_and_answers_exactly_hh_mm(patient_api, prescription):
    pattern = re.compile(CLOCK_TIME_PATTERN)
    for refused in ("9:30", "21:30:00", "24:00", "21:60", "2130"):
        response = patient_api.patch("/api/v1/me/", {"quiet_hours_start": refused})
        assert response.status_code == 400, refused
        assert "quiet_hours_start" in response.json()["errors"]
        response = patient_api.patch("/api/v1/me/", {"reminder_times": [refused]})
        assert response.status_code == 400, refused
    response = patient_api.patch(
        "/api/v1/me/", {"quiet_hours_start": "21:30", "reminder_times": ["07:05", "19:00"]}
    )
    assert response.status_code == 200, response.json()
    body = patient_api.get("/api/v1/me/").json()
    assert body["quiet_hours_start"] == "21:30"
    assert body["reminder_times"] == ["07:05", "19:00"]
    assert all(pattern.match(t) for t in [body["quiet_hours_end"], *body["reminder_times"]])


@pytest.mark.django_db
def test_a_schedules_reminder_time_must_be_hh_mm(therapist_api, prescription):
    url = f"/api/v1/prescriptions/{prescription.pk}/schedule/"
    refused = therapist_api.put(url, {"weekdays": [1], "reminder_times": ["8:00"]})
    assert refused.status_code == 400
    assert "reminder_times" in refused.json()["errors"]
    taken = therapist_api.put(url, {"weekdays": [1], "reminder_times": ["08:00"]})
    assert taken.status_code == 200, taken.json()
    assert taken.json()["reminder_times"] == ["08:00"]


TIMES = ["08:00", "00:00", "23:59", "8:00", "8:5", "08:5", "24:00", "08:60", "0800"]
TIMES += ["08:00:00", " 08:00", "08:00\n", "\uff10\uff18:00"]


@pytest.mark.django_db
def test_the_api_and_the_service_the_admin_uses_take_the_same_times(therapist_api, prescription):
    url = f"/api/v1/prescriptions/{prescription.pk}/schedule/"
    answers = {}
    for text in TIMES:
        status = therapist_api.put(url, {"weekdays": [1], "reminder_times": [text]}).status_code
        try:
            parse_reminder_times([text])
        except ValidationError:
            answers[text] = (status, 400)
        else:
            answers[text] = (status, 200)
    assert answers == {text: (status, status) for text, (status, _) in answers.items()}
    assert {status for status, _ in answers.values()} == {200, 400}


# Ordering.


@pytest.mark.django_db
def test_an_unknown_ordering_is_a_400_listing_the_allowed_ones(therapist_api, patient):
    response = therapist_api.get("/api/v1/patients/", {"ordering": "bogus"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    message = body["errors"]["ordering"][0]
    assert "'bogus'" in message
    allowed = parameter("get", "/api/v1/patients/", "ordering")["schema"]["enum"]
    assert allowed == ["last_name", "-last_name", "created_at", "-created_at", "mrn", "-mrn"]
    for term in allowed:
        assert term in message
    for term in [*allowed, "-mrn,last_name"]:
        assert therapist_api.get("/api/v1/patients/", {"ordering": term}).status_code == 200


def paged_lists() -> dict[str, list[str]]:
    """Every paged GET in the schema, with the `ordering` terms it documents."""
    found = {}
    for method, path, operation in operations():
        names = {p["name"]: p for p in operation.get("parameters", [])}
        if method == "get" and "page" in names:
            ordering = names.get("ordering", {"schema": {"enum": []}})
            found[path] = ordering["schema"]["enum"]
    return found


@pytest.mark.django_db
def test_every_paged_list_refuses_an_ordering_it_cannot_sort_by(
    therapist_api, patient_api, patient, prescription
):
    lists = paged_lists()
    assert len(lists) >= 14
    assert "/api/v1/me/education/" in lists
    for path, allowed in lists.items():
        client = patient_api if path.startswith("/api/v1/me/") else therapist_api
        url = path.replace("{patient_id}", str(patient.pk))
        assert "{" not in url, path
        assert client.get(url).status_code == 200, url
        response = client.get(url, {"ordering": "bogus"})
        assert response.status_code == 400, url
        body = response.json()
        assert body["code"] == "invalid", url
        [message] = body["errors"]["ordering"]
        if allowed:
            assert all(term in message for term in allowed), (url, message)
        else:
            assert "fixed order" in message, (url, message)


class FixedOrderView(generics.ListAPIView):
    """A list that names no `ordering_fields`."""

    queryset = Exercise.objects.order_by("pk")
    serializer_class = ExerciseSerializer
    permission_classes: list[Any] = []
    filter_backends = [StrictOrderingFilter]


@pytest.mark.django_db
def test_a_list_with_a_fixed_order_refuses_ordering_and_documents_none():
    view = FixedOrderView.as_view()
    refused = view(APIRequestFactory().get("/", {"ordering": "name"}))
    assert refused.status_code == 400
    assert "fixed order" in refused.data["errors"]["ordering"][0]
    assert view(APIRequestFactory().get("/")).status_code == 200
    assert StrictOrderingFilter().get_schema_operation_parameters(FixedOrderView()) == []


def test_every_ordering_parameter_lists_both_directions():
    found = 0
    for _method, _path, operation in operations():
        for p in operation.get("parameters", []):
            if p["name"] == "ordering":
                allowed = p["schema"]["enum"]
                assert {f"-{t}" for t in allowed if not t.startswith("-")} <= set(allowed)
                found += 1
    assert found >= 10
