"""Retries of one session upload racing the first: the phone resends while the first
upload is still in flight, and each resend is answered as a retry, not as bad input."""

from __future__ import annotations

import datetime
import threading
import uuid
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from programs.models import ExerciseSession, ProgramTemplate
from programs.seed.loader import load_library
from tests.clients import bearer
from tests.factories import make_prescription

ME = "/api/v1/me/sessions/"
RACERS = 8

# Real transactions, so the racers wait on each other's locks.
RACE = pytest.mark.django_db(transaction=True)


@pytest.fixture
def body(diagnosis, therapist) -> dict[str, Any]:
    # The flush after a test with real transactions empties the exercise library the
    # migrations load; load it again as they do.
    if not ProgramTemplate.objects.exists():
        load_library(django_apps)
    start = timezone.localdate() - datetime.timedelta(days=30)
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist, start_date=start)
    item = prescription.exercises.filter(phase=1).order_by("order").first()
    assert item is not None
    performed = (timezone.now() - datetime.timedelta(hours=3)).replace(microsecond=0)
    return {
        "client_id": str(uuid.uuid4()),
        "performed_at": performed.isoformat(),
        "back_pain_before": 3,
        "back_pain_after": 3,
        "leg_pain_before": 6,
        "leg_pain_after": 4,
        "pain_extent": "thigh",
        "exercises": [{"prescribed_exercise": item.pk, "minutes": 3}],
        "notes": "Leg pain eased.",
    }


def race(user, bodies: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """POST every body at once, each from its own thread and database connection;
    (status, answer, body sent) per racer."""
    barrier = threading.Barrier(len(bodies))
    answers: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    failures: list[BaseException] = []

    def post(sent: dict[str, Any]) -> None:
        try:
            connection.ensure_connection()  # opened before the start, so all start together
            client = bearer(user)
            barrier.wait(timeout=30)
            response = client.post(ME, sent, format="json")
            answers.append((response.status_code, response.json(), sent))
        except BaseException as exc:  # reported by the caller
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(sent,)) for sent in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert len(answers) == len(bodies)
    return answers


@RACE
def test_eight_identical_uploads_racing_log_one_session_and_answer_it_to_all(patient_user, body):
    answers = race(patient_user, [body] * RACERS)

    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [200] * (RACERS - 1) + [201], [a for _, a, _ in answers]
    (created,) = [answer for status, answer, _ in answers if status == 201]
    assert all(answer == created for _, answer, _ in answers)
    assert ExerciseSession.objects.filter(client_id=body["client_id"]).count() == 1


@RACE
def test_a_differing_upload_racing_under_the_same_client_id_is_a_conflict_naming_the_fields(
    patient_user, body
):
    other = {**body, "leg_pain_after": 7, "notes": "Worse today."}

    # Copies, so the winner is told from the racers that sent what it sent.
    answers = race(patient_user, [dict(sent) for sent in [body, other] * (RACERS // 2)])

    (winner,) = [sent for status, _, sent in answers if status == 201]
    for status, answer, sent in answers:
        if sent is winner:
            continue
        if sent == winner:
            assert status == 200, answer
        else:
            assert status == 409, answer
            assert answer["code"] == "conflict"
            assert set(answer["errors"]) == {"leg_pain_after", "notes"}
    assert ExerciseSession.objects.filter(client_id=body["client_id"]).count() == 1
