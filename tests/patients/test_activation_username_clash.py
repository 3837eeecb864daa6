"""A username already held, in any case or spelling the unique index folds, is refused on
`username` with one wording, also when two patients activate the same new name at once."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from rest_framework.test import APIClient

from patients import services as patient_services
from patients.models import PatientInvite
from practice.models import User
from tests.factories import PASSWORD, make_patient

ACTIVATE = "/api/v1/auth/activate/"
TAKEN = {"username": ["That username is taken; choose another."]}
NEW_PASSWORD = "Strong-pass-2026!"


def activate(code: str, username: str, password: str = NEW_PASSWORD) -> tuple[int, dict]:
    body = {"code": code, "username": username, "password": password}
    response = APIClient().post(ACTIVATE, body, format="json")
    return response.status_code, response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "desk.one",
        "DESK.ONE",
        "des\u212a.one",  # KELVIN SIGN: LOWER folds it to "k", UPPER keeps it apart
    ],
)
def test_a_taken_username_in_any_spelling_the_index_folds_is_refused_on_username(
    patient, therapist, front_desk, typed
):
    code = patient_services.patient_invite(patient=patient, invited_by=therapist).code

    status, body = activate(code, typed)

    assert status == 400, body
    assert body["code"] == "invalid"
    assert body["errors"] == TAKEN
    patient.refresh_from_db()
    assert patient.user is None
    assert activate(code, "alex.rivera")[0] == 201  # the code was not spent


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["DESK.ONE", "des\u212a.one"])
def test_a_taken_username_is_answered_before_the_password_is_judged(
    patient, therapist, front_desk, typed
):
    code = patient_services.patient_invite(patient=patient, invited_by=therapist).code

    status, body = activate(code, typed, password="123")

    assert (status, body["errors"]) == (400, TAKEN)


@pytest.mark.django_db
def test_the_model_words_a_username_clash_as_the_services_do(front_desk):
    with pytest.raises(ValidationError) as same:
        User(username="desk.one", password="!").full_clean()
    with pytest.raises(ValidationError) as folded:
        User(username="DESK.ONE", password="!").full_clean()

    assert same.value.message_dict == TAKEN
    assert folded.value.messages == TAKEN["username"]


def _wait_for_a_lock_wait(timeout: float = 20) -> None:
    """Until some backend waits on a lock: the activation's insert behind the index."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the activation never waited on the index")


@pytest.mark.django_db(transaction=True)
def test_a_name_committed_while_the_activation_inserts_it_is_refused_and_keeps_the_code(
    clinic, therapist
):
    # Another sign-up holds the name uncommitted: the activation's checks see it free, its
    # insert waits on the unique index, and fails once the other commits.
    patient = make_patient(clinic=clinic, primary_therapist=therapist)
    code = patient_services.patient_invite(patient=patient, invited_by=therapist).code
    holding, release = threading.Event(), threading.Event()
    answers: list[tuple[int, dict]] = []
    failures: list[BaseException] = []

    def other_sign_up() -> None:
        try:
            with transaction.atomic():
                User.objects.create_user(username="race.user", password=PASSWORD)
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    def activation() -> None:
        try:
            answers.append(activate(code, "Race.User"))
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    holder = threading.Thread(target=other_sign_up)
    holder.start()
    assert holding.wait(timeout=30)
    activator = threading.Thread(target=activation)
    activator.start()
    try:
        _wait_for_a_lock_wait()
    finally:
        release.set()
        holder.join(timeout=60)
        activator.join(timeout=60)

    assert not failures
    assert [(status, body["errors"]) for status, body in answers] == [(400, TAKEN)]
    patient.refresh_from_db()
    assert patient.user is None
    assert not PatientInvite.objects.filter(patient=patient, used_at__isnull=False).exists()
    assert activate(code, "race.user.two")[0] == 201


def _race(codes: list[str], username: str) -> dict[str, tuple[int, dict]]:
    """Each code's activation of `username`, the requests released together."""
    barrier = threading.Barrier(len(codes))
    answers: dict[str, tuple[int, dict]] = {}
    failures: list[BaseException] = []

    def racer(code: str) -> None:
        try:
            connection.ensure_connection()  # each racer on its own connection, opened first
            barrier.wait(timeout=30)
            answers[code] = activate(code, username)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_patients_activating_one_new_username_at_once_get_one_login_and_one_refusal(
    clinic, therapist
):
    for round_ in range(4):
        cache.clear()  # the rounds together pass the per-address activation rate
        patients = [make_patient(clinic=clinic, primary_therapist=therapist) for _ in range(2)]
        codes = [
            patient_services.patient_invite(patient=p, invited_by=therapist).code for p in patients
        ]
        username = f"race.user.{round_}"

        answers = _race(codes, username)

        assert sorted(status for status, _ in answers.values()) == [201, 400], answers
        (refused,) = [body for status, body in answers.values() if status == 400]
        assert refused["code"] == "invalid"
        assert refused["errors"] == TAKEN
        (loser,) = [code for code, (status, _) in answers.items() if status == 400]
        assert activate(loser, f"{username}.b")[0] == 201  # the loser's code was not spent
