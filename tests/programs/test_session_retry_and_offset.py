"""A session upload carries its UTC offset, and a retry under the same client_id is the
same upload: one that differs is a 409 naming what differs, and changes nothing."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from core.conflicts import ConflictError
from programs import services
from programs.models import ExerciseSession, SessionExercise
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/sessions/"
OFFSET = "Include the UTC offset, e.g. 2026-03-01T09:30:00+01:00, or Z for UTC."


@pytest.fixture
def prescription(diagnosis, therapist):
    start = timezone.localdate() - datetime.timedelta(days=30)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)


@pytest.fixture
def body(prescription) -> dict:
    items = list(prescription.exercises.filter(phase=1).order_by("order")[:2])
    performed = (timezone.now() - datetime.timedelta(hours=3)).replace(microsecond=0)
    return {
        "client_id": str(uuid.uuid4()),
        "performed_at": performed.astimezone(datetime.UTC).isoformat(),
        "back_pain_before": 3,
        "back_pain_after": 3,
        "leg_pain_before": 6,
        "leg_pain_after": 4,
        "pain_extent": "thigh",
        "exercises": [
            {"prescribed_exercise": items[0].pk, "minutes": 3, "leg_pain_before": 6},
            {"prescribed_exercise": items[1].pk, "sets": 1, "reps": 10},
        ],
        "notes": "Leg pain eased.",
    }


def test_a_time_without_a_utc_offset_is_refused_saying_so(patient_api, body):
    naive = datetime.datetime.fromisoformat(body["performed_at"]).replace(tzinfo=None)

    response = patient_api.post(ME, {**body, "performed_at": naive.isoformat()})

    assert response.status_code == 400
    assert response.json()["errors"] == {"performed_at": [OFFSET]}
    assert not ExerciseSession.objects.exists()


@pytest.mark.parametrize("suffix", ["Z", "+00:00", "-05:00"])
def test_a_time_with_an_offset_is_read_as_that_instant(patient_api, body, suffix):
    naive = datetime.datetime.fromisoformat(body["performed_at"]).replace(tzinfo=None)
    given = datetime.datetime.fromisoformat(f"{naive.isoformat()}{suffix}")
    if given > timezone.now():
        given -= datetime.timedelta(hours=6)  # -05:00 of a time three hours ago is ahead

    response = patient_api.post(ME, {**body, "performed_at": given.isoformat()})

    assert response.status_code == 201, response.json()
    assert ExerciseSession.objects.get().performed_at == given


def test_a_faithful_retry_in_another_offset_answers_the_stored_session(patient_api, body):
    first = patient_api.post(ME, body)
    elsewhere = datetime.datetime.fromisoformat(body["performed_at"]).astimezone(
        datetime.timezone(datetime.timedelta(hours=9))
    )

    retry = patient_api.post(ME, {**body, "performed_at": elsewhere.isoformat()})

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"notes": "Another day."}, ["notes"]),
        ({"leg_pain_after": 6, "pain_extent": "calf"}, ["pain_extent", "leg_pain_after"]),
        ({"pain_extent_before": "foot"}, ["pain_extent_before"]),
        ({"performed_at_shift": 1}, ["performed_at"]),
        ({"exercise_minutes": 4}, ["exercises"]),
        ({"exercise_dropped": True}, ["exercises"]),
    ],
)
def test_a_retry_that_differs_is_a_409_naming_the_fields_and_changes_nothing(
    patient_api, body, change, named
):
    first = patient_api.post(ME, body)
    assert first.status_code == 201
    changed = {k: v for k, v in body.items()}
    changed["exercises"] = [dict(item) for item in body["exercises"]]
    if change.pop("performed_at_shift", None):
        at = datetime.datetime.fromisoformat(body["performed_at"]) - datetime.timedelta(hours=1)
        changed["performed_at"] = at.isoformat()
    if (minutes := change.pop("exercise_minutes", None)) is not None:
        changed["exercises"][0]["minutes"] = minutes
    if change.pop("exercise_dropped", None):
        changed["exercises"] = changed["exercises"][:1]
    changed.update(change)

    retry = patient_api.post(ME, changed)

    assert retry.status_code == 409
    answer = retry.json()
    assert answer["code"] == "conflict"
    assert sorted(answer["errors"]) == sorted(named)
    assert all(name in answer["detail"] for name in named)
    session = ExerciseSession.objects.get()
    assert patient_api.get(f"{ME}{session.pk}/").json() == first.json()
    assert SessionExercise.objects.count() == 2


def test_a_retry_with_the_deprecated_reading_names_the_field_it_sent(patient_api, body):
    legacy = {k: v for k, v in body.items() if "pain_before" not in k and "pain_after" not in k}
    legacy["exercises"] = [
        {"prescribed_exercise": e["prescribed_exercise"]} for e in body["exercises"]
    ]
    first = patient_api.post(ME, {**legacy, "pain_before": 6, "pain_after": 4})
    assert first.status_code == 201, first.json()

    same = patient_api.post(ME, {**legacy, "pain_before": 6, "pain_after": 4})
    other = patient_api.post(ME, {**legacy, "pain_before": 6, "pain_after": 5})

    assert same.status_code == 200
    assert other.status_code == 409
    assert list(other.json()["errors"]) == ["pain_after"]


def test_the_service_itself_refuses_a_differing_retry_naming_the_fields(patient, prescription):
    # The rule is session_log's, so every caller of the service obeys it, not only the API.
    item = prescription.exercises.filter(phase=1).order_by("order").first()
    upload = {
        "client_id": uuid.uuid4(),
        "performed_at": timezone.now() - datetime.timedelta(hours=3),
        "pain_extent": "thigh",
        "leg_pain_before": 6,
        "leg_pain_after": 4,
        "exercises": [services.ExerciseDone(prescribed_exercise_id=item.pk, minutes=3)],
    }
    services.session_log(patient=patient, **upload)
    assert services.session_log(patient=patient, **upload)[1] is False  # a faithful retry

    with pytest.raises(ConflictError) as refused:
        services.session_log(patient=patient, **{**upload, "leg_pain_after": 2})
    assert list(refused.value.fields) == ["leg_pain_after"]
    assert ExerciseSession.objects.get().leg_pain_after == 4
