"""Logout, security requirements, summaries, tags and the documented 405s."""

from __future__ import annotations

import pytest

from core.api.openapi import resource_of
from tests.factories import PASSWORD

from .schema_contract import SCHEMA, operations, ref_name

ANONYMOUS = {
    ("post", "/api/v1/auth/token/"),
    ("post", "/api/v1/auth/token/refresh/"),
    ("post", "/api/v1/auth/logout/"),
    ("post", "/api/v1/auth/activate/"),
    ("post", "/api/v1/auth/password/reset/"),
    ("post", "/api/v1/auth/password/reset/confirm/"),
}


def test_logout_is_documented_as_204_with_no_body():
    responses = SCHEMA["paths"]["/api/v1/auth/logout/"]["post"]["responses"]
    assert "204" in responses
    assert "content" not in responses["204"]
    assert not [code for code in responses if code.startswith("2") and code != "204"]


@pytest.mark.django_db
def test_logout_answers_204_with_no_body(anon, therapist):
    credentials = {"username": therapist.user.username, "password": PASSWORD}
    login = anon.post("/api/v1/auth/token/", credentials)
    assert login.status_code == 200
    response = anon.post("/api/v1/auth/logout/", {"refresh": login.json()["refresh"]})
    assert response.status_code == 204
    assert response.content == b""


def test_anonymous_operations_declare_no_security_and_the_others_do():
    for method, path, operation in operations():
        if (method, path) in ANONYMOUS:
            assert operation["security"] == [], (method, path)
        else:
            assert operation["security"], (method, path)
            assert {} not in operation["security"], (method, path)


def test_every_operation_has_a_summary_and_its_resource_as_tag():
    tags = set()
    for method, path, operation in operations():
        assert operation.get("summary"), (method, path)
        assert operation["tags"] == [resource_of(path)], (method, path)
        tags.update(operation["tags"])
    assert "v1" not in tags
    assert {"patients", "appointments", "prescriptions", "me", "auth"} <= tags


def test_the_405_is_documented_only_on_delete_operations():
    deletes = 0
    for method, path, operation in operations():
        if method == "delete":
            deletes += 1
        refuses = "405" in operation["responses"]
        if method != "delete":
            assert not refuses, (method, path)
    assert deletes >= 2
    for path in ("/api/v1/patients/{id}/", "/api/v1/appointments/{id}/"):
        answer = SCHEMA["paths"][path]["delete"]["responses"]["405"]
        assert ref_name(answer["content"]["application/json"]["schema"]) == "Error"
