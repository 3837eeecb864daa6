"""The OpenAPI schema tells app developers that the single pain fields are deprecated
and the back and leg readings are the ones to send."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

OLD = ("pain_before", "pain_after")
NEW = ("back_pain_before", "back_pain_after", "leg_pain_before", "leg_pain_after")


def _component(schema: dict, body: dict) -> dict:
    name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]["properties"]


@pytest.fixture
def upload(client) -> tuple[dict, dict]:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    post = schema["paths"]["/api/v1/me/sessions/"]["post"]
    return schema, post


def test_the_upload_marks_the_single_pain_fields_deprecated_and_not_the_new_ones(upload):
    schema, post = upload
    fields = _component(schema, post["requestBody"])

    assert {name: fields[name].get("deprecated") for name in OLD + NEW} == {
        **dict.fromkeys(OLD, True),
        **dict.fromkeys(NEW, None),
    }
    assert "below the buttock" in fields["pain_before"]["description"]


def test_the_answer_marks_the_worse_of_the_two_readings_deprecated(upload):
    schema, post = upload
    fields = _component(schema, post["responses"]["201"])

    assert all(fields[name].get("deprecated") is True for name in OLD)
    assert not any(fields[name].get("deprecated") for name in NEW)
    assert "the worse of back and leg pain" in fields["pain_after"]["description"]


def test_each_exercise_of_an_upload_marks_its_single_pain_fields_deprecated(upload):
    schema, post = upload
    session = _component(schema, post["requestBody"])
    name = session["exercises"]["items"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][name]["properties"]

    assert all(fields[old].get("deprecated") is True for old in OLD if old in fields)
    assert set(OLD) <= set(fields)
