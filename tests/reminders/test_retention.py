"""Outbox retention: done rows older than the retention move to the archive, in batches,
with every value; work still to do and recent history stay in the hot table."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reminders import retention, tasks
from reminders.locks import single_run
from reminders.models import ArchivedNotification, Kind, Notification
from reminders.planner import plan
from tests.factories import make_diagnosis, make_notification, make_patient
from tests.reminders.planner_helpers import emailed_therapist, new_patient, prescribe

pytestmark = pytest.mark.django_db

Status = Notification.Status
DAY = datetime.timedelta(days=1)
NOW = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=datetime.UTC)
RETENTION = datetime.timedelta(days=400)
LONG_AGO = NOW - RETENTION - DAY
RECENTLY = NOW - RETENTION + DAY


@pytest.fixture(autouse=True)
def retention_of_400_days(settings):
    settings.REMINDERS_RETENTION = RETENTION


@pytest.fixture(params=["postgresql", "portable"])
def move(request, monkeypatch):
    """Each test runs on the tuned statement and on the ORM path SQLite takes."""
    if request.param == "portable":
        monkeypatch.setattr(retention, "on_postgresql", lambda: False)
    return request.param


@pytest.fixture
def patient(clinic):
    return make_patient(clinic=clinic, consent_email=True)


def done_row(patient, *, status: str, at: datetime.datetime, **fields) -> Notification:
    """A row last touched at `at` (created, then sent or given up at that moment)."""
    if status == Status.SENT:
        fields.setdefault("sent_at", at)
    with time_machine.travel(at, tick=False):
        return make_notification(
            patient,
            status=status,
            at=fields.pop("scheduled_for", at - datetime.timedelta(minutes=5)),
            **fields,
        )


def in_hot_table(*rows: Notification) -> set[int]:
    return set(
        Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
    )


def archive(**kwargs) -> int:
    with time_machine.travel(NOW, tick=False):
        return retention.notifications_archive(now=NOW, **kwargs)


def test_old_sent_cancelled_and_failed_rows_move_with_all_their_values(patient, move):
    sent = done_row(
        patient,
        status=Status.SENT,
        at=LONG_AGO,
        attempts=2,
        claimed_at=LONG_AGO - DAY,
        delivery_started_at=LONG_AGO - DAY,
        provider_message_id="SM0123456789",
        receipt=Notification.Receipt.DELIVERED,
        delivered_at=LONG_AGO,
        next_attempt_at=LONG_AGO - datetime.timedelta(minutes=2),
    )
    cancelled = done_row(
        patient, status=Status.CANCELLED, at=LONG_AGO, last_error="Medical hold.", kind=Kind.NUDGE
    )
    failed = done_row(
        patient,
        status=Status.FAILED,
        at=LONG_AGO,
        attempts=5,
        last_error="550 mailbox unavailable",
        receipt_error="30003",
    )
    before = {
        row.pk: row
        for row in Notification.objects.filter(pk__in=[sent.pk, cancelled.pk, failed.pk])
    }

    assert archive() == 3

    assert in_hot_table(sent, cancelled, failed) == set()
    archived = ArchivedNotification.objects.in_bulk(list(before))
    assert set(archived) == set(before)
    columns = [field.attname for field in Notification._meta.concrete_fields]
    for pk, row in before.items():
        assert {c: getattr(archived[pk], c) for c in columns} == {
            c: getattr(row, c) for c in columns
        }
        assert archived[pk].archived_at == NOW


def test_pending_and_sending_rows_stay_however_old(patient, move):
    pending = done_row(patient, status=Status.PENDING, at=LONG_AGO - 300 * DAY)
    sending = done_row(
        patient, status=Status.SENDING, at=LONG_AGO - 300 * DAY, claimed_at=LONG_AGO - 300 * DAY
    )
    old = done_row(patient, status=Status.SENT, at=LONG_AGO)

    assert archive() == 1

    assert in_hot_table(pending, sending, old) == {pending.pk, sending.pk}
    assert not ArchivedNotification.objects.filter(pk__in=[pending.pk, sending.pk]).exists()


def test_rows_done_within_the_retention_stay_whenever_they_were_scheduled(patient, move):
    recent = done_row(patient, status=Status.SENT, at=RECENTLY)
    # Scheduled long ago, failed, resent from the admin and sent only recently.
    resent = done_row(patient, status=Status.SENT, at=RECENTLY, scheduled_for=LONG_AGO - DAY)
    # Handed over long ago; the provider's receipt came within the retention.
    receipt = done_row(
        patient,
        status=Status.SENT,
        at=LONG_AGO,
        receipt=Notification.Receipt.DELIVERED,
        delivered_at=RECENTLY,
    )
    # Sent within the retention although the outcome write left updated_at older.
    stamped = done_row(patient, status=Status.SENT, at=LONG_AGO, sent_at=RECENTLY)
    cancelled = done_row(patient, status=Status.CANCELLED, at=RECENTLY)
    # Planned long ago, retried, and given up on at an attempt within the retention.
    retried = done_row(
        patient,
        status=Status.FAILED,
        at=LONG_AGO,
        claimed_at=RECENTLY - DAY,
        delivery_started_at=RECENTLY,
    )
    old = done_row(patient, status=Status.CANCELLED, at=LONG_AGO)

    assert archive() == 1

    assert in_hot_table(recent, resent, receipt, stamped, cancelled, retried, old) == {
        recent.pk,
        resent.pk,
        receipt.pk,
        stamped.pk,
        cancelled.pk,
        retried.pk,
    }


def test_a_small_batch_size_moves_everything_in_several_statements(patient, move):
    rows = [done_row(patient, status=Status.SENT, at=LONG_AGO - i * DAY) for i in range(7)]
    recent = done_row(patient, status=Status.SENT, at=RECENTLY)

    with CaptureQueriesContext(connection) as queries:
        assert archive(batch_size=2) == 7

    assert in_hot_table(*rows, recent) == {recent.pk}
    assert ArchivedNotification.objects.count() == 7
    if move == "postgresql":
        moves = [
            q
            for q in queries.captured_queries
            if 'DELETE FROM "reminders_notification"' in q["sql"]
        ]
        assert len(moves) == 4  # 2 + 2 + 2 + 1: the short batch ends the run


def test_running_again_moves_nothing_more(patient, move):
    done_row(patient, status=Status.SENT, at=LONG_AGO)
    done_row(patient, status=Status.FAILED, at=LONG_AGO)

    assert archive() == 2
    assert archive() == 0
    assert ArchivedNotification.objects.count() == 2


def test_a_batch_size_below_one_is_refused(patient):
    with pytest.raises(ValueError, match="batch_size"):
        archive(batch_size=0)


def test_the_archive_keeps_every_column_of_the_outbox():
    hot = {field.column for field in Notification._meta.concrete_fields}
    kept = {field.column for field in ArchivedNotification._meta.concrete_fields}
    assert hot <= kept
    assert kept - hot == {"archived_at"}


def test_dry_run_counts_and_the_command_moves(patient, capsys):
    done_row(patient, status=Status.SENT, at=LONG_AGO)
    done_row(patient, status=Status.SENT, at=RECENTLY)

    with time_machine.travel(NOW, tick=False):
        call_command("archive_notifications", "--dry-run")
        assert ArchivedNotification.objects.count() == 0
        call_command("archive_notifications", "--batch-size", "1")

    out = capsys.readouterr().out
    assert "would archive: 1 " in out
    assert "archived: 1 " in out
    assert ArchivedNotification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_someone_holds_is_left_for_the_next_run(patient):
    held = done_row(patient, status=Status.SENT, at=LONG_AGO)
    free = done_row(patient, status=Status.SENT, at=LONG_AGO)
    locked, release = threading.Event(), threading.Event()

    def admin_holding_the_row() -> None:
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=admin_holding_the_row)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        assert archive() == 1  # without waiting for the lock
        assert in_hot_table(held, free) == {held.pk}
    finally:
        release.set()
        thread.join(timeout=10)
    assert archive() == 1
    assert in_hot_table(held, free) == set()


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_moves_the_history_one_run_at_a_time(patient):
    done_row(patient, status=Status.SENT, at=LONG_AGO)
    started, release = threading.Event(), threading.Event()
    outcome: list[bool] = []

    def another_run() -> None:
        try:
            with single_run("reminders.archive") as mine:
                outcome.append(mine)
                started.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=another_run)
    thread.start()
    try:
        assert started.wait(timeout=10)
        with time_machine.travel(NOW, tick=False):
            assert tasks.archive.run() == 0  # the other run holds the lock
        assert ArchivedNotification.objects.count() == 0
    finally:
        release.set()
        thread.join(timeout=10)
    assert outcome == [True]

    with time_machine.travel(NOW, tick=False):
        assert tasks.archive.run() == 1
    assert ArchivedNotification.objects.count() == 1


# --- what is planned once, however long ago, stays once -------------------------------

MONDAY = datetime.datetime(2027, 1, 11, 15, 0, tzinfo=datetime.UTC)  # 10:00 in New York
A_YEAR_AND_MORE = RETENTION + 2 * DAY


def sent_and_archived(kind: str, *, sent_at: datetime.datetime, now: datetime.datetime) -> int:
    """Mark the planned rows of `kind` sent at `sent_at`, then archive as of `now`."""
    Notification.objects.filter(kind=kind).update(
        status=Status.SENT, sent_at=sent_at, updated_at=sent_at
    )
    with time_machine.travel(now, tick=False):
        return retention.notifications_archive(now=now)


def plan_at(now: datetime.datetime):
    with time_machine.travel(now, tick=False):
        return plan(now=now)


@pytest.mark.usefixtures("two_hour_horizon")
def test_an_idle_streak_announced_before_the_archive_is_not_announced_again(clinic):
    therapist = emailed_therapist(clinic)
    with time_machine.travel(MONDAY - 7 * DAY, tick=False):
        patient = new_patient(clinic, therapist)
        prescribe(patient, therapist, reminder_times=["05:00"])
    first = plan_at(MONDAY)  # a week without a session: the nudge and the alert
    assert first.created_by_kind[Kind.NUDGE] == first.created_by_kind[Kind.INACTIVITY_ALERT] == 1
    later = MONDAY + A_YEAR_AND_MORE
    Notification.objects.exclude(kind__in=[Kind.NUDGE, Kind.INACTIVITY_ALERT]).delete()
    assert sent_and_archived(Kind.NUDGE, sent_at=MONDAY, now=later) == 1
    assert sent_and_archived(Kind.INACTIVITY_ALERT, sent_at=MONDAY, now=later) == 1

    again = plan_at(later)  # the same streak: still no session since the program began

    assert again.created_by_kind[Kind.NUDGE] == 0
    assert again.created_by_kind[Kind.INACTIVITY_ALERT] == 0
    assert not Notification.objects.filter(kind__in=[Kind.NUDGE, Kind.INACTIVITY_ALERT]).exists()
    assert {row.source for row in ArchivedNotification.objects.all()} == {
        f"nudge:{patient.pk}:2027-01-04",
        f"inactive:{patient.pk}:2027-01-04",
    }


def _evaluated_patient(clinic):
    therapist = emailed_therapist(clinic)
    with time_machine.travel(MONDAY, tick=False):
        patient = new_patient(clinic, therapist)
        make_diagnosis(patient=patient, diagnosed_by=therapist)
    return patient


def test_questionnaires_reminded_before_the_archive_are_not_reminded_again(clinic):
    _evaluated_patient(clinic)
    for day in range(4):  # the four baseline questionnaires, one a day
        assert plan_at(MONDAY + day * DAY).created_by_kind[Kind.QUESTIONNAIRE] == 1
    later = MONDAY + 3 * DAY + A_YEAR_AND_MORE
    assert sent_and_archived(Kind.QUESTIONNAIRE, sent_at=MONDAY + 3 * DAY, now=later) == 4

    assert plan_at(later).created_by_kind[Kind.QUESTIONNAIRE] == 0  # never answered


def test_the_next_questionnaire_due_goes_when_the_first_one_is_archived(clinic):
    patient = _evaluated_patient(clinic)
    assert plan_at(MONDAY).created_by_kind[Kind.QUESTIONNAIRE] == 1  # the ODI
    later = MONDAY + A_YEAR_AND_MORE  # on hold meanwhile, say: nothing else went
    assert sent_and_archived(Kind.QUESTIONNAIRE, sent_at=MONDAY, now=later) == 1

    assert plan_at(later).created_by_kind[Kind.QUESTIONNAIRE] == 1

    (row,) = Notification.objects.filter(kind=Kind.QUESTIONNAIRE)
    assert row.source == f"questionnaire:{patient.pk}:nprs:2027-01-11"


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_archives_on_a_real_worker(patient, celery_worker_factory, settings):
    """Beat's daily entry names the task; a worker runs it on the real clock."""
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-archive"]
    assert entry["task"] == tasks.archive.name == "reminders.archive"
    real_now = datetime.datetime.now(datetime.UTC)
    old = done_row(patient, status=Status.SENT, at=real_now - RETENTION - DAY)
    recent = done_row(patient, status=Status.SENT, at=real_now - RETENTION + DAY)
    worker = celery_worker_factory(name="archive")

    tasks.archive.delay()

    deadline = time.monotonic() + 60
    while "reminders.archive[" not in worker.log_text() or " succeeded " not in worker.log_text():
        assert time.monotonic() < deadline, worker.log_tail()
        time.sleep(0.2)
    assert in_hot_table(old, recent) == {recent.pk}
    assert list(ArchivedNotification.objects.values_list("pk", flat=True)) == [old.pk]
