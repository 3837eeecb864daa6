"""Migrations 0006-0008: the single pain reading of old sessions becomes leg pain below
the buttock and back pain otherwise, with nothing lost, and back again."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from programs.models import ExerciseSession, SessionExercise
from tests.factories import make_prescription

pytestmark = pytest.mark.django_db

SPLIT = [
    "0006_back_and_leg_pain_fields",
    "0007_split_single_pain_values",
    "0008_drop_single_pain_fields",
]


def _migrate(*, forwards: bool) -> Apps:
    """Apply (or unapply) 0006-0008 and answer the models as they are then.

    One migration at a time, each given the state of programs and the apps it depends
    on only: the executor renders every app of the project again for each operation,
    which made this file take a minute. Nothing moves the schema back at the end: the
    test's transaction rolls it back with the rows (PostgreSQL's DDL is transactional)."""
    with connection.cursor() as cursor:
        # Rows written in this transaction would otherwise hold deferred foreign-key
        # checks that PostgreSQL refuses to keep across an ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    loader = MigrationLoader(connection)
    recorder = MigrationRecorder(connection)
    for name in SPLIT if forwards else reversed(SPLIT):
        key = ("programs", name)
        migration = loader.get_migration(*key)
        before = loader.project_state(key, at_end=False)
        before.apps  # rendered once: each operation then reloads only what it touches  # noqa: B018
        with connection.schema_editor(atomic=migration.atomic) as editor:
            if forwards:
                migration.apply(before, editor)
                recorder.record_applied(*key)
            else:
                migration.unapply(before, editor)
                recorder.record_unapplied(*key)
    if forwards:
        return loader.project_state(("programs", SPLIT[-1])).apps
    return loader.project_state(("programs", SPLIT[0]), at_end=False).apps


@pytest.fixture
def old_apps(diagnosis, therapist):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    return _migrate(forwards=False), program


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

    new_apps = _migrate(forwards=True)

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


def test_going_back_restores_the_single_pain(diagnosis, therapist):
    program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    item = program.exercises.first()
    # As 0007 left an old session (one reading), and one logged since with both: back
    # it goes as the worse of the two, the single figure the deprecated API answered with.
    migrated = ExerciseSession.objects.create(
        patient=program.patient,
        prescription=program,
        client_id=uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=2),
        leg_pain_before=6,
        leg_pain_after=2,
        pain_extent="calf",
    )
    SessionExercise.objects.create(session=migrated, prescribed_exercise=item, leg_pain_before=6)
    both = ExerciseSession.objects.create(
        patient=program.patient,
        prescription=program,
        client_id=uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=1),
        back_pain_before=2,
        back_pain_after=7,
        leg_pain_before=5,
        leg_pain_after=3,
        pain_extent="thigh",
    )

    apps = _migrate(forwards=False)

    sessions = apps.get_model("programs", "ExerciseSession").objects
    assert sessions.values_list("pain_before", "pain_after").get(pk=migrated.pk) == (6, 2)
    assert sessions.values_list("pain_before", "pain_after").get(pk=both.pk) == (5, 7)
    items = apps.get_model("programs", "SessionExercise").objects
    assert items.values_list("pain_before", "pain_after").get(session_id=migrated.pk) == (6, None)
