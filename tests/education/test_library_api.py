"""GET /api/v1/education/: the library, read-only, for staff whose role needs it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from education.models import Topic
from practice.models import Role
from tests.clients import bearer
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

LIST = "/api/v1/education/"


def test_a_clinician_reads_every_topic_with_what_it_is_written_for(therapist_api):
    Topic.objects.filter(slug="keep-moving").update(is_active=False)

    response = therapist_api.get(LIST, {"page_size": 100})

    assert response.status_code == 200, response.content
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert set(rows) == set(Topic.objects.values_list("slug", flat=True))
    assert rows["keep-moving"]["is_active"] is False
    assert rows["spinal-stenosis"]["causes"] == ["spinal_stenosis"]
    assert rows["long-lasting-sciatica"]["phases"] == ["chronic"]


def test_the_library_filters_by_active(therapist_api):
    Topic.objects.filter(slug="keep-moving").update(is_active=False)
    rows = therapist_api.get(LIST, {"is_active": "false"}).json()["results"]
    assert [row["slug"] for row in rows] == ["keep-moving"]


def test_one_topic_by_slug(therapist_api):
    response = therapist_api.get(f"{LIST}herniated-disc/")

    assert response.status_code == 200
    topic = Topic.objects.get(slug="herniated-disc")
    assert response.json()["body"] == topic.body
    assert response.json()["paragraphs"] == topic.paragraphs


@pytest.mark.parametrize("slug", ["no-such-topic", "%00", "keep moving", "x" * 300])
def test_a_slug_that_names_no_topic_is_not_found(therapist_api, slug):
    assert therapist_api.get(f"{LIST}{slug}/").status_code == 404


def test_a_clinic_admin_reads_it_too(clinic):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")
    assert bearer(admin.user).get(LIST).status_code == 200


def test_the_front_desk_patients_and_anonymous_callers_are_refused(
    front_desk_api, patient_api, anon
):
    assert front_desk_api.get(LIST).status_code == 403
    assert patient_api.get(LIST).status_code == 403
    assert anon.get(LIST).status_code == 401


def test_nobody_writes_through_the_api(therapist_api):
    assert therapist_api.post(LIST, {"slug": "new"}).status_code == 405
    assert therapist_api.patch(f"{LIST}keep-moving/", {"title": "x"}).status_code == 405
    assert therapist_api.delete(f"{LIST}keep-moving/").status_code == 405
    assert Topic.objects.get(slug="keep-moving").title != "x"


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST, {"page_size": 100}).status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_topics(therapist_api):
    Topic.objects.exclude(slug="keep-moving").delete()
    one = _queries(therapist_api)
    Topic.objects.bulk_create(
        Topic(slug=f"topic-{n}", title=f"Topic {n}", summary="s", body="b") for n in range(49)
    )
    assert _queries(therapist_api) == one


def test_the_schema_tags_the_library():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in (LIST, f"{LIST}{{slug}}/"):
        assert paths[path]["get"]["summary"]
        assert paths[path]["get"]["tags"] == ["education"]
