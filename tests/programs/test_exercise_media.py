"""Exercise media: the library's own drawings, and media served with absolute URLs in
the patient's language."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from programs.models import Exercise, ExerciseMedia
from programs.seed.drawing_poses import POSES
from programs.seed.drawings import load_drawings
from programs.seed.library import EXERCISES
from programs.seed.stick_figure import render
from tests.admin_forms import change_form_data
from tests.factories import ExerciseMediaFactory, make_prescription, make_user

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "programs" / "static"
SVG = "{http://www.w3.org/2000/svg}"


def test_every_seeded_exercise_has_a_safe_drawing_of_its_own():
    for spec in EXERCISES:
        row = ExerciseMedia.objects.get(exercise__slug=spec["slug"], static_path__endswith=".svg")
        assert row.kind == "image"
        assert row.language == ""
        path = STATIC / row.static_path
        assert path.is_file(), path
        root = ElementTree.parse(path).getroot()  # noqa: S314 (the project's own files)
        assert root.get("role") == "img"
        assert (root.get("width"), root.get("height")) == ("240", "200")
        assert root.get("viewBox") == "0 0 240 200"
        assert root.find(f"{SVG}title").text == spec["name"]
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert "script" not in tags
        assert "foreignObject" not in tags
        assert "href" not in path.read_text()


def test_loading_the_drawings_twice_makes_no_duplicates():
    before = ExerciseMedia.objects.count()
    load_drawings(django_apps)
    assert ExerciseMedia.objects.count() == before == len(EXERCISES)


def test_the_program_serves_media_as_absolute_urls_in_the_patients_language(
    patient_api, diagnosis, therapist
):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    exercise = program.exercises.order_by("phase", "order").first().exercise
    ExerciseMediaFactory(exercise=exercise, language="es", order=5, caption="Vídeo")

    english = patient_api.get("/api/v1/me/program/")
    spanish = patient_api.get("/api/v1/me/program/", HTTP_ACCEPT_LANGUAGE="es")

    assert english.status_code == spanish.status_code == 200
    row = next(r for r in english.json()["exercises"] if r["exercise"] == exercise.slug)
    assert [m["kind"] for m in row["media"]] == ["image"]
    drawing = row["media"][0]
    assert drawing["url"] == f"http://testserver/static/programs/exercises/{exercise.slug}.svg"
    row = next(r for r in spanish.json()["exercises"] if r["exercise"] == exercise.slug)
    assert [m["kind"] for m in row["media"]] == ["image", "video"]
    assert row["media"][1]["language"] == "es"


def test_the_library_api_serves_the_drawings(therapist_api):
    exercise = Exercise.objects.get(slug="bird-dog")
    response = therapist_api.get(f"/api/v1/exercises/{exercise.pk}/")
    assert response.status_code == 200
    (drawing,) = response.json()["media"]
    assert drawing["url"] == "http://testserver/static/programs/exercises/bird-dog.svg"
    assert drawing["caption"] == "Drawing: Bird dog"


def test_a_picture_given_two_sources_in_the_admin_is_a_form_error_and_nothing_changes(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    drawing = ExerciseMedia.objects.filter(static_path__endswith=".svg").order_by("pk")[0]
    url = reverse("admin:programs_exercise_change", args=[drawing.exercise_id])
    data = change_form_data(client.get(url))
    data["media-0-url"] = "https://media.example.org/also.png"  # beside its static file

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.errors[0]
    assert "Give one of a URL, a file or a static path." in str(errors)
    drawing.refresh_from_db()
    assert drawing.url == ""


def test_the_shipped_drawings_are_what_their_poses_draw():
    # Edited through the poses and `manage.py draw_exercises`, never by hand.
    for spec in EXERCISES:
        shipped = (STATIC / "programs" / "exercises" / f"{spec['slug']}.svg").read_text()
        assert shipped == render(POSES[spec["slug"]], spec["name"]), spec["slug"]
