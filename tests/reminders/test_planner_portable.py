"""`make run` plans on SQLite: the portable planner path must plan what PostgreSQL's does."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from reminders import planner
from reminders.models import Notification
from reminders.planner import base
from tests.factories import make_diagnosis, make_patient, make_prescription

pytestmark = pytest.mark.django_db

NOON_IN_NEW_YORK = datetime.datetime(2026, 11, 26, 17, 0, tzinfo=datetime.UTC)


def planned() -> set[tuple]:
    return set(
        Notification.objects.values_list("kind", "channel", "source", "scheduled_for", "staff_id")
    )


@time_machine.travel(NOON_IN_NEW_YORK, tick=False)
def test_the_portable_path_plans_the_same_rows(clinic, therapist, monkeypatch):
    therapist.user.email = "pt@example.com"
    therapist.user.save()
    for n, days_idle in enumerate((1, 4, 9)):
        patient = make_patient(
            clinic=clinic, primary_therapist=therapist, consent_email=True, mrn=f"M{n}"
        )
        diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
        with time_machine.travel(timezone.now() - datetime.timedelta(days=days_idle)):
            make_prescription(
                diagnosis=diagnosis, prescribed_by=therapist, reminder_times=["12:30", "13:30"]
            )

    planner.plan(now=timezone.now())
    on_postgresql = planned()
    Notification.objects.all().delete()
    monkeypatch.setattr(base, "on_postgresql", lambda: False)
    planner.plan(now=timezone.now())

    assert planned() == on_postgresql
    kinds = {row[0] for row in on_postgresql}
    assert {"exercise", "nudge", "inactivity_alert", "questionnaire"} <= kinds
