"""Migrations 0006-0008: the single pain reading of old sessions becomes leg pain below
the buttock and back pain otherwise, with nothing lost, and back again."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

BEFORE = [("programs", "0005_stop_details_and_resumption")]
AFTER = [("programs", "0008_drop_single_pain_fields")]


def _migrate(target):
    # Rows written in this transaction would otherwise hold deferred foreign-key checks
    # that PostgreSQL refuses to keep across an ALTER TABLE.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def old_apps(diagnosis, therapist):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    apps = _migrate(BEFORE)
    yield apps, program
    _migrate(AFTER)  # leave the schema as the other tests expect


def _old_session(apps, program, extent: str, before: int, after: int):
    session_model = apps.get_model("programs", "ExerciseSession")
    item_model = apps.get_model("programs", "SessionExercise")
    history_model = apps.get_model("programs", "HistoricalExerciseSession")
    fields = {
        "patient_id": program.patient_id,
        "prescription_id": program.pk,
        "client_id": uuid.uuid4(),
        "performed_at": timezone.now() - datetime.timedelta(hours=1),
        "pain_before": before,
        "pain_after": after,
        "pain_extent": extent,
        "extent_change": "first",
    }
    session = session_model.objects.create(**fields)
    history_model.objects.create(
        id=session.pk,
        created_at=session.created_at,
        history_date=timezone.now(),
        history_type="+",
        **fields,
    )
    item_model.objects.create(
        session_id=session.pk,
        prescribed_exercise_id=program.exercises.first().pk,
        pain_before=before,
        pain_after=None,  # an exercise could carry a before without an after
    )
    return session.pk


def test_old_sessions_keep_their_pain_as_leg_or_back_pain(old_apps):
    apps, program = old_apps
    made = {
        extent: _old_session(apps, program, extent, before, before - 1)
        for extent, before in [("foot", 7), ("calf", 6), ("thigh", 5), ("buttock", 4), ("back", 3)]
    }

    new_apps = _migrate(AFTER)

    session_model = new_apps.get_model("programs", "ExerciseSession")
    history_model = new_apps.get_model("programs", "HistoricalExerciseSession")
    item_model = new_apps.get_model("programs", "SessionExercise")
    fields = ("back_pain_before", "back_pain_after", "leg_pain_before", "leg_pain_after")
    expected = {
        "foot": (None, None, 7, 6),
        "calf": (None, None, 6, 5),
        "thigh": (None, None, 5, 4),
        "buttock": (4, 3, None, None),
        "back": (3, 2, None, None),
    }
    for extent, pk in made.items():
        assert session_model.objects.values_list(*fields).get(pk=pk) == expected[extent]
        assert history_model.objects.values_list(*fields).get(id=pk) == expected[extent]
        leg = extent in ("foot", "calf", "thigh")
        item = item_model.objects.values_list(*fields).get(session_id=pk)
        before = expected[extent][2 if leg else 0]
        assert item == ((None, None, before, None) if leg else (before, None, None, None))
    assert session_model.objects.filter(pain_response="", during_hold=False).count() == 5


def test_going_back_restores_the_single_pain(old_apps):
    apps, program = old_apps
    pk = _old_session(apps, program, "calf", 6, 2)
    _migrate(AFTER)

    apps = _migrate(BEFORE)

    session = apps.get_model("programs", "ExerciseSession").objects.get(pk=pk)
    assert (session.pain_before, session.pain_after, session.pain_extent) == (6, 2, "calf")
    item = apps.get_model("programs", "SessionExercise").objects.get(session_id=pk)
    assert (item.pain_before, item.pain_after) == (6, None)
