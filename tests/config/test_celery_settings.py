"""Celery's settings: the dispatcher ticks on the wall-clock minute, and each broker gets
the transport options that keep its tasks."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import celery.schedules
import pytest
import time_machine
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
UTC = datetime.UTC


def _tick_due(last_run: datetime.datetime, now: datetime.datetime) -> bool:
    # As beat reads an entry: a number of seconds is an interval.
    entry: Any = settings.CELERY_BEAT_SCHEDULE["reminders-tick"]["schedule"]
    schedule: Any = celery.schedules.maybe_schedule(entry)
    with time_machine.travel(now, tick=False):
        return bool(schedule.is_due(last_run).is_due)


def test_the_tick_fires_at_the_start_of_every_wall_clock_minute():
    # Beat last ran it half a minute past the hour (it started then): the next run is at
    # the next minute's start, when that minute's reminders fall due, not 60 s later.
    last_run = datetime.datetime(2026, 12, 1, 13, 0, 30, tzinfo=UTC)
    assert not _tick_due(last_run, datetime.datetime(2026, 12, 1, 13, 0, 59, tzinfo=UTC))
    assert _tick_due(last_run, datetime.datetime(2026, 12, 1, 13, 1, 0, 200_000, tzinfo=UTC))


def test_a_tick_that_could_not_run_in_time_still_expires():
    assert settings.CELERY_BEAT_SCHEDULE["reminders-tick"]["options"]["expires"] < 60


def _transport_options(broker_url: str) -> dict[str, object]:
    """The base settings' transport options for this broker URL, loaded afresh."""
    code = (
        "import json; from config.settings import base; "
        "print(json.dumps(base.CELERY_BROKER_TRANSPORT_OPTIONS))"
    )
    env = {"PATH": os.environ["PATH"], "CELERY_BROKER_URL": broker_url}
    result = subprocess.run(  # noqa: S603  this interpreter on a fixed snippet
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "url", ["amqp://guest:guest@127.0.0.1:5672//", "pyamqp://rabbit:5672/practice"]
)
def test_rabbitmq_publishes_with_confirms_and_without_redis_options(url):
    assert _transport_options(url) == {"confirm_publish": True}


def test_redis_keeps_a_visibility_timeout_above_the_task_time_limit():
    options = _transport_options("redis://127.0.0.1:6379/0")
    assert options == {"visibility_timeout": 3600}
    assert options["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


def test_a_late_ack_task_of_a_lost_worker_goes_back_to_the_queue():
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
