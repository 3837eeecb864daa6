"""A database migrated before appointments had an app of their own migrates forward with
every appointment, its history and its content types (and with them the role groups'
permissions and the admin's change log) carried over to the appointments app."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import StateApps
from django_test_migrations.migrator import Migrator

# The state at practice.0002, before appointments.0001: practice holds Appointment, and
# the appointments app has no migration.
APPLIED_BEFORE_APPOINTMENTS_0001: list[tuple[str, str]] = [
    ("practice", "0002_osteopathic_physician_late_entry_username_case"),
    ("patients", "0006_held_patient_indexes"),
    ("audit", "0001_initial"),
    ("education", "0002_seed_topics"),
    ("programs", "0008_drop_single_pain_fields"),
    ("outcomes", "0001_initial"),
    ("reminders", "0004_routine_alert_and_digest_once"),
    ("episodes", "0001_episode_closure"),
]
BEFORE_APPOINTMENTS_0001: list[tuple[str, str | None]] = [
    *APPLIED_BEFORE_APPOINTMENTS_0001,
    ("appointments", None),
]
STARTS_AT = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC)

# Migrations commit their changes, so the test runs outside a transaction; the migrator
# migrates the database back to the latest state afterwards, failed or not.
pytestmark = pytest.mark.django_db(transaction=True)


def _old_appointment(apps: StateApps) -> dict[str, object]:
    """A clinic, a therapist, a patient, and an appointment with a history row, written
    in practice's models, as at practice.0002."""
    clinic = apps.get_model("practice", "Clinic").objects.create(
        name="Old Clinic", slug="old-clinic", time_zone="America/New_York"
    )
    user = apps.get_model("practice", "User").objects.create(username="old.therapist")
    therapist = apps.get_model("practice", "StaffMember").objects.create(
        user_id=user.pk, clinic_id=clinic.pk, role="physical_therapist"
    )
    patient = apps.get_model("patients", "Patient").objects.create(
        clinic_id=clinic.pk,
        mrn="OLD-1",
        first_name="Ada",
        last_name="Old",
        date_of_birth=datetime.date(1970, 5, 1),
    )
    fields = {
        "patient_id": patient.pk,
        "therapist_id": therapist.pk,
        "starts_at": STARTS_AT,
        "duration_minutes": 30,
        "ends_at": STARTS_AT + datetime.timedelta(minutes=30),
        "kind": "re_evaluation",
        "status": "attended",
        "notes": "Brought the MRI report.",
        "late_entry_reason": "Walk-in.",
    }
    appointment = apps.get_model("practice", "Appointment").objects.create(**fields)
    apps.get_model("practice", "HistoricalAppointment").objects.create(
        id=appointment.pk,
        created_at=appointment.created_at,
        history_date=appointment.created_at,
        history_type="+",
        history_user_id=user.pk,
        **fields,
    )
    return {"pk": appointment.pk, **fields}


def test_appointments_stored_in_practice_are_the_appointments_apps_after_migrating(
    migrator: Migrator,
) -> None:
    migrator.apply_tested_migration(BEFORE_APPOINTMENTS_0001)
    # The models as of those migrations. Not the state `migrate` returns after migrating
    # backwards: Django builds that from the last migration it unapplied, which, with
    # several apps unapplied, can already include appointments.0001's move.
    old = MigrationLoader(connection).project_state(APPLIED_BEFORE_APPOINTMENTS_0001).apps
    before = _old_appointment(old)
    content_types = old.get_model("contenttypes", "ContentType").objects.filter(
        model__in=["appointment", "historicalappointment"]
    )
    # The role groups' permissions hang on these rows, as does the admin's change log.
    type_ids = dict(content_types.filter(app_label="practice").values_list("model", "pk"))
    assert type_ids.keys() == {"appointment", "historicalappointment"}
    permission_ids = set(
        old.get_model("auth", "Permission")
        .objects.filter(content_type_id__in=type_ids.values())
        .values_list("pk", flat=True)
    )
    assert permission_ids

    new = migrator.apply_tested_migration(MigrationLoader(connection).graph.leaf_nodes()).apps

    appointment = new.get_model("appointments", "Appointment").objects.get(pk=before["pk"])
    assert {name: getattr(appointment, name) for name in before} == before
    history = new.get_model("appointments", "HistoricalAppointment").objects.filter(id=before["pk"])
    assert list(history.values_list("history_type", "notes", "history_user__username")) == [
        ("+", "Brought the MRI report.", "old.therapist")
    ]
    moved = new.get_model("contenttypes", "ContentType").objects.filter(
        model__in=["appointment", "historicalappointment"]
    )
    assert dict(moved.values_list("model", "app_label")) == {
        "appointment": "appointments",
        "historicalappointment": "appointments",
    }
    assert dict(moved.values_list("model", "pk")) == type_ids
    assert (
        set(
            new.get_model("auth", "Permission")
            .objects.filter(content_type__app_label="appointments")
            .values_list("pk", flat=True)
        )
        == permission_ids
    )
