"""GET /api/v1/me/education/ and /me/education/{slug}/: the patient's own topics."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from audit.models import RecordAccess
from education.models import Topic
from tests.clients import error_of
from tests.factories import make_diagnosis

from .test_seeded_topics import GENERAL

pytestmark = pytest.mark.django_db

LIST = "/api/v1/me/education/"


def _detail(slug: str) -> str:
    return f"/api/v1/me/education/{slug}/"


@pytest.fixture
def acute_disc(patient, therapist):
    return make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)


def test_the_list_puts_the_topics_for_the_patients_cause_and_phase_first(patient_api, acute_disc):
    response = patient_api.get(LIST)

    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"]
    assert body["count"] == len(rows) == 2 + len(GENERAL)
    assert [row["slug"] for row in rows] == ["herniated-disc", "the-first-weeks", *GENERAL]
    first = rows[0]
    topic = Topic.objects.get(slug="herniated-disc")
    assert first == {
        "slug": "herniated-disc",
        "title": topic.title,
        "summary": topic.summary,
        "matches": ["cause"],
        "url": "http://testserver/api/v1/me/education/herniated-disc/",
    }
    assert rows[1]["matches"] == ["phase"]
    assert rows[2]["matches"] == []


def test_the_client_cannot_reorder_the_list(patient_api, acute_disc):
    refused = patient_api.get(LIST, {"ordering": "title"})
    assert refused.status_code == 400
    assert "fixed order" in refused.json()["errors"]["ordering"][0]
    rows = patient_api.get(LIST).json()["results"]
    assert rows[0]["slug"] == "herniated-disc"


def test_each_listed_url_answers_the_full_text(patient_api, acute_disc):
    for row in patient_api.get(LIST).json()["results"]:
        response = patient_api.get(row["url"])
        assert response.status_code == 200, row["url"]
        assert response.json()["slug"] == row["slug"]


def test_the_detail_carries_the_body_and_its_paragraphs(patient_api, acute_disc):
    response = patient_api.get(_detail("herniated-disc"))

    assert response.status_code == 200, response.content
    body = response.json()
    topic = Topic.objects.get(slug="herniated-disc")
    assert body["title"] == topic.title
    assert body["body"] == topic.body
    assert body["paragraphs"] == topic.paragraphs
    assert len(body["paragraphs"]) >= 2
    assert body["matches"] == ["cause"]


@pytest.mark.parametrize("slug", ["no-such-topic", "spinal-stenosis", "x" * 300, "%20"])
def test_a_slug_not_among_the_patients_topics_is_not_found(patient_api, acute_disc, slug):
    response = patient_api.get(_detail(slug))

    assert response.status_code == 404
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "detail": "No such education topic.",
        "errors": {},
    }


def test_an_inactive_topic_is_not_found(patient_api, acute_disc):
    Topic.objects.filter(slug="herniated-disc").update(is_active=False)
    assert patient_api.get(_detail("herniated-disc")).status_code == 404


@pytest.mark.parametrize("url", [LIST, _detail("keep-moving")])
def test_staff_are_refused_and_anonymous_callers_must_log_in(url, therapist_api, anon):
    refused = therapist_api.get(url)
    assert refused.status_code == 403
    assert error_of(refused) == {
        "status": 403,
        "code": "permission_denied",
        "detail": "Only patients can use this endpoint.",
        "errors": {},
    }
    assert anon.get(url).status_code == 401


def test_writing_is_not_allowed(patient_api):
    assert patient_api.post(LIST, {}).status_code == 405
    assert patient_api.delete(_detail("keep-moving")).status_code == 405


def test_the_patients_reads_are_in_the_access_log(patient_api, patient, patient_user):
    patient_api.get(LIST)
    patient_api.get(_detail("keep-moving"))

    rows = RecordAccess.objects.filter(patient=patient, user=patient_user)
    assert sorted(rows.values_list("path", flat=True)) == [LIST, _detail("keep-moving")]


def _list_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()["count"]


def _replace_library(count: int) -> None:
    Topic.objects.all().delete()
    Topic.objects.bulk_create(
        Topic(slug=f"topic-{n}", title=f"Topic {n}", summary="s", body="b", order=n)
        for n in range(count)
    )


def test_the_query_count_does_not_grow_with_the_topics(patient_api, acute_disc):
    _replace_library(1)
    one = _list_queries(patient_api)
    _replace_library(50)
    fifty = _list_queries(patient_api)

    assert (one[1], fifty[1]) == (1, 50)
    assert one[0] == fifty[0]


def test_the_schema_documents_the_endpoints_with_a_summary_and_a_tag():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in (LIST, "/api/v1/me/education/{slug}/"):
        operation = paths[path]["get"]
        assert operation["summary"], path
        assert operation["tags"] == ["me"], path
    assert set(paths[LIST]) == {"get"}
