"""Every API operation that takes an id, against every caller who must not reach it.

Paths come from the OpenAPI schema, so a new endpoint with an id fails here until it
says which object its id names. Whoever is refused learns nothing (401, 403 or 404,
nothing of the record in the body) and changes nothing.
"""

from __future__ import annotations

import datetime
import re
import uuid
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from appointments import services as appointment_services
from patients import services as patient_services
from patients.models import ClinicalAlert
from programs import services as program_services
from programs.services import ExerciseDone
from reminders.models import Notification
from tests.factories import make_notification, make_prescription
from tests.factories.visits import make_plan_of_care

pytestmark = pytest.mark.django_db

# The exercise library, program templates and education topics are shared by every
# clinic (a patient reads only the topics that fit them: tests/education).
SHARED_LIBRARY = (
    "/api/v1/exercises/{id}/",
    "/api/v1/program-templates/{id}/",
    "/api/v1/education/{slug}/",
    "/api/v1/me/education/{slug}/",
)

# What the front desk's role allows; every other staff operation with an id is refused.
FRONT_DESK_ALLOWED = re.compile(
    r"^/api/v1/(appointments/\{id\}/.*|patients/\{id\}/(|status/|invite/|calendar-feed/))$"
)

# Which record each path's ids name (path prefix -> {parameter: record}).
ID_OWNERS = {
    "/api/v1/alerts/": {"id": "alert"},
    "/api/v1/appointments/": {"id": "appointment", "appointment_id": "appointment"},
    "/api/v1/diagnoses/": {"id": "diagnosis"},
    "/api/v1/me/appointments/": {"id": "appointment"},
    "/api/v1/me/notifications/": {"id": "notification"},
    "/api/v1/me/questionnaires/": {"code": "questionnaire"},
    "/api/v1/me/sessions/": {"id": "session"},
    "/api/v1/patients/": {"id": "patient", "patient_id": "patient", "goal_id": "goal"},
    "/api/v1/prescriptions/": {"id": "prescription", "item_id": "item"},
    "/api/v1/screenings/": {"id": "screening"},
}


def _operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, operations in schema["paths"].items()
        if "{" in path and path not in SHARED_LIBRARY
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = _operations()


@pytest.fixture
def records(patient, patient_user, therapist, diagnosis):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    item = prescription.exercises.first()
    session, _ = program_services.session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=timezone.now(),
        pain_before=4,
        pain_after=3,
        pain_extent="thigh",
        exercises=[ExerciseDone(prescribed_exercise_id=item.pk, sets=1, reps=10)],
    )
    return {
        "patient": patient,
        # A questionnaire is named by its code; the patient has its baseline due.
        "questionnaire": SimpleNamespace(pk="odi"),
        "diagnosis": diagnosis,
        "prescription": prescription,
        "item": item,
        "session": session,
        "appointment": appointment_services.appointment_book(
            patient=patient,
            therapist=therapist,
            starts_at=timezone.now() + datetime.timedelta(days=2),
        ),
        "screening": patient_services.red_flag_screen(
            patient=patient,
            flags={field: False for field, _ in patient.screenings.model.FLAGS},
            screened_by=therapist,
        ),
        "notification": make_notification(
            patient, status=Notification.Status.SENT, sent_at=timezone.now()
        ),
        "goal": make_plan_of_care(patient=patient, therapist=therapist).goals.get(),
        "alert": patient_services.alert_raise(
            patient=patient,
            kind=ClinicalAlert.Kind.RED_FLAG,
            severity=ClinicalAlert.Severity.URGENT,
            message="Test alert.",
        ),
    }


def _url(path: str, records: dict) -> str:
    owners = next(o for prefix, o in ID_OWNERS.items() if path.startswith(prefix))
    return re.sub(r"\{(\w+)\}", lambda m: str(records[owners[m.group(1)]].pk), path)


def _history_rows() -> int:
    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    return sum(model._default_manager.count() for model in historical)


def _call(client, method: str, url: str):
    return getattr(client, method.lower())(url, {}, format="json")


def test_every_path_with_an_id_names_its_record():
    for path, _ in OPERATIONS:
        assert any(path.startswith(prefix) for prefix in ID_OWNERS), f"add {path} to ID_OWNERS"


@pytest.fixture
def refused(anon, other_therapist_api, same_clinic_patient_api, front_desk_api) -> SimpleNamespace:
    """The callers who must not reach the records."""
    return SimpleNamespace(
        anon=anon,
        other_therapist=other_therapist_api,
        same_clinic_patient=same_clinic_patient_api,
        front_desk=front_desk_api,
    )


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_refused_callers_learn_nothing_and_change_nothing(path, method, records, refused):
    url = _url(path, records)
    mrn = records["patient"].mrn
    is_me = path.startswith("/api/v1/me/")
    expected = [
        ("anonymous", refused.anon, {401}),
        ("the other clinic's therapist", refused.other_therapist, {403} if is_me else {404}),
        ("another patient", refused.same_clinic_patient, {404} if is_me else {403}),
    ]
    if not is_me and not FRONT_DESK_ALLOWED.match(path):
        expected.append(("front desk", refused.front_desk, {403}))

    before = _history_rows()
    for who, client, statuses in expected:
        response = _call(client, method, url)
        assert response.status_code in statuses, f"{who}: {method} {url} -> {response.status_code}"
        assert mrn not in response.content.decode(), f"{who} saw the record via {method} {url}"
    assert _history_rows() == before, f"a refused {method} {url} wrote something"
