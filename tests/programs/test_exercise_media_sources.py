"""Where exercise media may come from: https links, shipped files that exist, uploads
of pictures and videos only, served as what they are; one that cannot be served is
left out of the program instead of failing it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.media import exercise_media
from programs.models import Exercise, ExerciseMedia, MediaKind
from tests.factories import ExerciseMediaFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _exercise() -> Exercise:
    return Exercise.objects.order_by("pk")[0]


def _refused(**source) -> dict[str, list[str]]:
    media = ExerciseMedia(exercise=_exercise(), kind=MediaKind.IMAGE, **source)
    with pytest.raises(ValidationError) as refused:
        media.full_clean()
    return refused.value.message_dict


def test_a_plain_http_link_is_refused():
    assert "https" in _refused(url="http://videos.example.org/a.mp4")["url"][0]


def test_a_shipped_path_that_is_not_among_the_static_files_is_refused():
    errors = _refused(static_path="programs/exercises/no-such-drawing.svg")
    assert "no-such-drawing.svg" in errors["static_path"][0]


@pytest.mark.parametrize("name", ["drawing.svg", "page.html", "movie.mov.exe"])
def test_an_upload_that_is_not_a_picture_or_video_is_refused(name):
    assert "picture or video" in _refused(file=SimpleUploadedFile(name, b"<svg/>"))["file"][0]


def test_the_good_sources_pass():
    shipped = ExerciseMedia.objects.filter(static_path__endswith=".svg").first()
    shipped.full_clean()
    ExerciseMedia(exercise=_exercise(), kind="video", url="https://v.example.org/a.mp4").clean()


def test_an_uploaded_picture_is_served_as_a_png_without_sniffing(client):
    media = ExerciseMediaFactory(
        exercise=_exercise(), kind=MediaKind.IMAGE, url="", file=SimpleUploadedFile("a.png", PNG)
    )
    (row,) = [r for r in exercise_media(media.exercise, None) if r["url"].endswith(".png")]
    assert row["url"].startswith("/media/exercise-media/")

    response = client.get(row["url"])

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PNG


def test_a_stored_file_of_another_type_or_outside_the_folder_is_a_404(client, tmp_path):
    (tmp_path / "exercise-media").mkdir()
    (tmp_path / "exercise-media" / "x.svg").write_text("<svg onload='alert(1)'/>")
    (tmp_path / "secret.png").write_bytes(PNG)
    assert client.get("/media/exercise-media/x.svg").status_code == 404
    assert client.get("/media/exercise-media/../secret.png").status_code == 404
    assert client.get(f"/media/exercise-media/{tmp_path}/secret.png").status_code == 404
    assert client.get("/media/exercise-media/missing.png").status_code == 404


def test_a_shipped_file_missing_from_the_manifest_is_left_out_not_a_500(settings, caplog, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"  # collected nothing: no manifest entry
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    exercise = ExerciseMedia.objects.filter(static_path__endswith=".svg").first().exercise
    linked = ExerciseMediaFactory(exercise=exercise)

    rows = exercise_media(Exercise.objects.get(pk=exercise.pk), None)

    assert [r["url"] for r in rows] == [linked.url]
    assert "not deployed" in caplog.text
