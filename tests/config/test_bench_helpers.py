"""What the morning-burst and chaos benchmarks compute: the due minute, the burst's
figures, and which broker a URL names."""

from __future__ import annotations

import datetime

import pytest

from bench.brokers import RabbitBroker, RedisBroker, broker_for, broker_kind
from bench.morning_burst import burst_figures, due_instant

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("now", "lead", "due"),
    [
        # The first whole minute at least the lead away...
        ((15, 10, 20), 120, (15, 13)),
        ((15, 10, 59), 120, (15, 13)),
        # ...and the minute itself when the lead ends on it.
        ((15, 11, 0), 120, (15, 13)),
        ((23, 59, 30), 60, (0, 1)),
    ],
)
def test_the_burst_is_due_on_the_first_whole_minute_after_the_lead(now, lead, due):
    start = datetime.datetime(2026, 12, 1, *now, tzinfo=UTC)
    got = due_instant(start, lead)
    assert (got.hour, got.minute, got.second, got.microsecond) == (*due, 0, 0)
    assert got - start >= datetime.timedelta(seconds=lead)
    assert got - start < datetime.timedelta(seconds=lead + 60)


def test_burst_figures_are_seconds_from_the_due_instant_to_first_median_and_last():
    due = datetime.datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    sent = [due + datetime.timedelta(seconds=s) for s in (9.5, 0.5, 2.0, 4.0)]
    assert burst_figures(due, sent) == {"first": 0.5, "median": 3.0, "last": 9.5}


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("redis://127.0.0.1:6399/13", "redis"),
        ("rediss://cache.internal:6380/0", "redis"),
        ("amqp://guest:guest@127.0.0.1:5672//", "amqp"),
        ("pyamqp://127.0.0.1//", "amqp"),
    ],
)
def test_the_broker_kind_comes_from_the_url_scheme(url, kind):
    assert broker_kind(url) == kind


def test_a_broker_url_the_benches_cannot_drive_is_refused():
    with pytest.raises(ValueError, match="Unsupported broker"):
        broker_kind("sqs://queue")


def test_the_bench_drives_a_private_redis_on_its_port_and_only_a_local_rabbitmq():
    redis = broker_for("redis://127.0.0.1:6399/13")
    assert isinstance(redis, RedisBroker)
    assert redis.port == 6399
    rabbit = broker_for("amqp://guest:guest@127.0.0.1:5672//", rabbit_restart="app")
    assert isinstance(rabbit, RabbitBroker)
    assert rabbit.restart_mode == "app"
    with pytest.raises(ValueError, match="this machine"):
        broker_for("amqp://guest:guest@rabbit.internal:5672//")
    with pytest.raises(ValueError, match="rabbit_restart"):
        broker_for("amqp://127.0.0.1//", rabbit_restart="kill")
