"""A database migrated before the planner kept due instants migrates forward with every
patient's instants worked out, so the first pass after it reads only what is due."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import StateApps
from django.utils import timezone
from django_test_migrations.migrator import Migrator

from core.localtime import local_midnight, local_today
from tests.reminders.planner_helpers import NEW_YORK

BEFORE_PLANNER_DUE: list[tuple[str, str | None]] = [("reminders", "0005_receipts_progress_archive")]

# Migrations commit their changes, so the test runs outside a transaction; the migrator
# migrates the database back to the latest state afterwards, failed or not.
pytestmark = pytest.mark.django_db(transaction=True)


def _old_patients(apps: StateApps) -> tuple[int, int]:
    """Two patients written in the models as at reminders.0005: one diagnosed with an
    active program reminding at 23:59 every day, one only registered."""
    clinic = apps.get_model("practice", "Clinic").objects.create(
        name="Old Clinic", slug="old-clinic", time_zone="America/New_York"
    )
    user = apps.get_model("practice", "User").objects.create(username="old.therapist")
    therapist = apps.get_model("practice", "StaffMember").objects.create(
        user_id=user.pk, clinic_id=clinic.pk, role="physical_therapist"
    )
    Patient = apps.get_model("patients", "Patient")
    fields = {
        "clinic_id": clinic.pk,
        "first_name": "Ada",
        "date_of_birth": datetime.date(1970, 5, 1),
    }
    treated = Patient.objects.create(mrn="OLD-1", last_name="Treated", **fields)
    waiting = Patient.objects.create(mrn="OLD-2", last_name="Waiting", **fields)
    today = local_today(NEW_YORK)
    diagnosis = apps.get_model("patients", "Diagnosis").objects.create(
        patient_id=treated.pk,
        cause="herniated_disc",
        side="left",
        icd10_code="M51.16",
        onset_date=today,
        diagnosed_on=today,
        diagnosed_by_id=therapist.pk,
    )
    apps.get_model("programs", "Prescription").objects.create(
        patient_id=treated.pk,
        diagnosis_id=diagnosis.pk,
        name="Old program",
        prescribed_by_id=therapist.pk,
        start_date=today,
        weekdays=list(range(7)),
        reminder_times=["23:59"],
    )
    return treated.pk, waiting.pk


def test_existing_patients_have_their_due_instants_after_migrating(migrator: Migrator) -> None:
    old = migrator.apply_tested_migration(BEFORE_PLANNER_DUE).apps
    treated, waiting = _old_patients(old)
    before = timezone.now()

    new = migrator.apply_tested_migration(MigrationLoader(connection).graph.leaf_nodes()).apps

    rows = {row.patient_id: row for row in new.get_model("reminders", "PlannerDue").objects.all()}
    assert rows.keys() == {treated, waiting}
    today = local_today(NEW_YORK, before)
    # The baseline questionnaires are due from the day of the diagnosis.
    assert rows[treated].questionnaire_at == local_midnight(today, NEW_YORK)
    assert rows[treated].idle_from == local_midnight(today, NEW_YORK)
    # 23:59 tonight in New York, or tomorrow's when the test runs in the last minute.
    assert before <= rows[treated].exercise_at <= before + datetime.timedelta(days=1)
    assert rows[treated].exercise_at.astimezone(NEW_YORK).strftime("%H:%M") == "23:59"
    assert (rows[waiting].exercise_at, rows[waiting].questionnaire_at) == (None, None)
