"""A red flag reported in the app reaches the therapist through the reminders pipeline
within a minute: the report, then one run of the every-minute tick."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine

from patients.models import ClinicalAlert, RedFlagScreening
from reminders import tasks
from reminders.models import Kind, Notification
from tests.clients import bearer
from tests.factories import make_patient_user

pytestmark = pytest.mark.django_db

REPORTED = datetime.datetime(2025, 3, 4, 3, 10, 20, tzinfo=datetime.UTC)  # 22:10 in New York
SYMPTOMS = "/api/v1/me/symptoms/"


@pytest.fixture
def outbox(settings, tmp_path, monkeypatch):
    """Every channel writes to a file; the tick's deliveries run here, at once."""
    path = tmp_path / "outbox.jsonl"
    settings.REMINDERS_OUTBOX_FILE = str(path)
    monkeypatch.setattr(tasks.deliver_batch, "delay", tasks.deliver_batch)
    return path


@pytest.fixture
def reachable_therapist(therapist):
    therapist.user.email = "pt.one@example.com"
    therapist.user.save(update_fields=["email"])
    return therapist


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _report(patient, **flags):
    body = {field: False for field, _ in RedFlagScreening.FLAGS} | flags
    return bearer(patient.user).post(SYMPTOMS, body)


def test_a_red_flag_report_reaches_the_therapist_by_email_within_a_minute(
    patient, reachable_therapist, outbox, django_capture_on_commit_callbacks
):
    make_patient_user(patient)
    with time_machine.travel(REPORTED, tick=False):
        response = _report(patient, foot_drop=True, saddle_numbness=True)
    assert response.status_code == 201, response.json()
    assert response.json()["positive"] is True
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.severity == ClinicalAlert.Severity.URGENT

    # The next tick, at most a minute later, at night in the patient's zone too.
    with (
        time_machine.travel(REPORTED + datetime.timedelta(seconds=59), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.tick()

    (line,) = _lines(outbox)
    assert line["kind"] == Kind.URGENT_ALERT
    assert line["channel"] == "email"
    assert line["to"] == "pt.one@example.com"
    scheduled_for = datetime.datetime.fromisoformat(line["scheduled_for"])
    assert abs(scheduled_for - REPORTED) <= datetime.timedelta(seconds=60)
    assert "same-day attention" in line["body"]
    assert "/admin/patients/clinicalalert/" in line["body"]
    assert "foot drop" not in line["body"].lower()  # the email points to the alert only
    row = Notification.objects.get()
    assert row.status == Notification.Status.SENT
    assert row.sent_at - REPORTED <= datetime.timedelta(seconds=60)


def test_the_next_tick_does_not_send_the_alert_again(
    patient, reachable_therapist, outbox, django_capture_on_commit_callbacks
):
    make_patient_user(patient)
    with time_machine.travel(REPORTED, tick=False):
        _report(patient, bowel_bladder_dysfunction=True)
    for seconds in (30, 90, 150):
        with (
            time_machine.travel(REPORTED + datetime.timedelta(seconds=seconds), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            tasks.tick()

    assert len(_lines(outbox)) == 1


def test_a_negative_report_sends_nothing(
    patient, reachable_therapist, outbox, django_capture_on_commit_callbacks
):
    make_patient_user(patient)
    with time_machine.travel(REPORTED, tick=False):
        assert _report(patient).json()["positive"] is False
    with (
        time_machine.travel(REPORTED + datetime.timedelta(seconds=59), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.tick()

    assert _lines(outbox) == []
