"""The exercise library and program templates over the API: staff read them, nobody writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Exercise, ProgramTemplate

pytestmark = pytest.mark.django_db

EXERCISES = "/api/v1/exercises/"
TEMPLATES = "/api/v1/program-templates/"


def _slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_exercise_list_shows_steps_default_dosage_and_contraindications(therapist_api):
    response = therapist_api.get(EXERCISES, {"page_size": 100})
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert response.json()["count"] == Exercise.objects.count()

    press_up = rows["prone-press-up"]
    assert press_up["steps"] == Exercise.objects.get(slug="prone-press-up").steps
    assert len(press_up["steps"]) > 1
    assert press_up["dosage_text"]
    assert {"sets", "reps", "hold_seconds", "minutes", "times_per_day"} <= press_up.keys()
    causes = {c["cause"] for c in press_up["contraindications"]}
    assert causes == {"spinal_stenosis", "spondylolisthesis"}
    assert all(c["reason"] for c in press_up["contraindications"])


def test_exercise_detail_is_one_exercise(therapist_api):
    exercise = Exercise.objects.get(slug="bird-dog")
    response = therapist_api.get(f"{EXERCISES}{exercise.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == exercise.name
    assert response.json()["contraindications"] == []


def test_exercises_filter_by_category_method_and_search(therapist_api):
    stretching = _slugs(therapist_api.get(EXERCISES, {"category": "stretching", "page_size": 100}))
    assert "supine-piriformis-stretch" in stretching
    assert "bird-dog" not in stretching

    mckenzie = _slugs(therapist_api.get(EXERCISES, {"method": "mckenzie", "page_size": 100}))
    assert {"prone-lying", "prone-press-up"} <= mckenzie
    assert "bird-dog" not in mckenzie

    response = therapist_api.get(EXERCISES, {"search": "PIRIFORMIS"})
    names = [row["name"] for row in response.json()["results"]]
    assert names
    assert all("piriformis" in name.lower() for name in names)


def test_exercises_filter_by_contraindicated_and_safe_cause(therapist_api):
    risky = _slugs(
        therapist_api.get(EXERCISES, {"contraindicated_for": "spondylolisthesis", "page_size": 100})
    )
    safe = _slugs(therapist_api.get(EXERCISES, {"safe_for": "spondylolisthesis", "page_size": 100}))
    assert "prone-back-extension" in risky
    assert "prone-back-extension" not in safe
    assert "bird-dog" in safe
    assert not risky & safe
    assert len(risky | safe) == Exercise.objects.count()


@pytest.mark.parametrize(
    "params",
    [
        {"category": "juggling"},
        {"contraindicated_for": "bad-knees"},
        {"search": "bird\x00dog"},
        {"method": "x\x00"},
    ],
)
def test_bad_filter_values_are_a_400_not_a_500(therapist_api, params):
    response = therapist_api.get(EXERCISES, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) & set(params)


def test_templates_nest_phases_and_their_dosed_exercises(therapist_api):
    response = therapist_api.get(TEMPLATES)
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert {
        "mckenzie-extension",
        "mckenzie-flexion",
        "dynamic-lumbar-stabilization",
        "piriformis-hamstring-stretching",
        "low-impact-aerobic",
        "heat-and-cold",
    } <= rows.keys()

    dls = rows["dynamic-lumbar-stabilization"]
    assert dls["kind"] == "stabilization"
    assert [p["number"] for p in dls["phases"]] == list(range(1, len(dls["phases"]) + 1))
    first = dls["phases"][0]
    assert first["name"]
    assert first["exercises"]
    assert first["exercises"][0]["exercise_name"]
    assert first["exercises"][0]["dosage_text"]
    items = [item for phase in dls["phases"] for item in phase["exercises"]]
    superman = next(i for i in items if i["exercise"] == "prone-back-extension")
    assert "spondylolisthesis" in superman["contraindicated_for"]


def test_templates_filter_by_kind_and_detail(therapist_api):
    assert _slugs(therapist_api.get(TEMPLATES, {"kind": "mckenzie"})) == {
        "mckenzie-extension",
        "mckenzie-flexion",
    }
    template = ProgramTemplate.objects.get(slug="heat-and-cold")
    response = therapist_api.get(f"{TEMPLATES}{template.pk}/")
    assert response.status_code == 200
    assert response.json()["slug"] == "heat-and-cold"
    assert response.json()["phases"]


def test_library_lists_cost_the_same_queries_for_one_row_or_fifty(therapist_api):
    for url in (EXERCISES, TEMPLATES):
        one = _query_count(therapist_api, f"{url}?page_size=1")
        many = _query_count(therapist_api, f"{url}?page_size=50")
        assert one == many, url


def test_the_library_is_read_only(therapist_api):
    exercise = Exercise.objects.first()
    assert therapist_api.post(EXERCISES, {"slug": "x"}).status_code == 405
    assert therapist_api.delete(f"{EXERCISES}{exercise.pk}/").status_code == 405
    assert therapist_api.patch(f"{EXERCISES}{exercise.pk}/", {"name": "x"}).status_code == 405
    assert therapist_api.post(TEMPLATES, {}).status_code == 405


@pytest.mark.parametrize("lookup", ["0", "99999999999999999999999", "abc", "1.5", "%00"])
def test_unknown_or_malformed_ids_are_a_json_404(therapist_api, lookup):
    response = therapist_api.get(f"{EXERCISES}{lookup}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_only_staff_with_library_access_read_it(front_desk_api, patient_api, anon):
    assert front_desk_api.get(EXERCISES).status_code == 403
    assert patient_api.get(EXERCISES).status_code == 403
    assert patient_api.get(TEMPLATES).status_code == 403
    assert anon.get(EXERCISES).status_code == 401
