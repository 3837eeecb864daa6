"""Delivering claimed notifications, a batch at a time.

A batch (the ids one `reminders.deliver_batch` task carries) goes through four steps:

1. One guarded UPDATE marks the start of the rows that are really this task's: still
   `sending` and not started within the lease. A row already sent, cancelled, or being
   sent by another task is left alone (the exactly-once guard); each started row counts
   one attempt. It commits before any provider is called.
2. A constant number of queries loads the rows and the facts the rules read
   (`reminders.delivery_facts`); the rules (`cancel_rules`), the daily SMS cap and the
   composing of each message run in Python, in this thread.
3. The messages go to their transports concurrently, in a pool of at most
   `REMINDERS_SEND_THREADS` threads: a provider's latency is paid once per wave, not
   once per message. The pool threads touch no database.
4. Outcomes are written as they come in, every `FLUSH_EVERY` completions or
   `FLUSH_SECONDS`, one statement per outcome kind, each guarded by `status='sending'`
   and by this batch's start: a batch that outlived its lease, whose rows another task
   has started since, writes nothing over that task's.
   A worker killed midway leaves what was recorded as recorded; the rest was started,
   so it is dispatched again once the lease is over. An error in this thread midway
   (a database error, the task's soft time limit) hands no further message to a
   provider: those in flight finish, what finished is recorded, and the error goes on.
"""

from __future__ import annotations

import datetime
import logging
import random
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, DateTimeField, F, Field, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.db import on_postgresql

from . import cancel_rules, messages, receipts
from .channels import Message, Transport, TransportError, transport_for
from .channels.http_client import MAX_RETRY_AFTER
from .delivery_facts import DeliveryFacts, delivery_facts_load, sms_capped
from .models import DeliveryProgress, Notification

logger = logging.getLogger(__name__)

Status = Notification.Status

# How often outcomes are written while a batch is sending. What a killed worker leaves
# sent at the provider but not recorded (sent again after the lease) is what finished
# since the last write, fewer than FLUSH_EVERY or FLUSH_SECONDS' worth, and the sends
# in flight, at most `REMINDERS_SEND_THREADS`.
FLUSH_EVERY = 20
FLUSH_SECONDS = 0.25

# What each outcome sets besides its per-row fields.
_OUTCOME_FIELDS: dict[str, dict[str, Any]] = {
    "sent": {"status": Status.SENT, "last_error": ""},
    "cancelled": {"status": Status.CANCELLED},
    "retry": {"status": Status.PENDING, "claimed_at": None, "delivery_started_at": None},
    "failed": {"status": Status.FAILED},
}


def notification_deliver(*, notification_id: int, now: datetime.datetime | None = None) -> str:
    """Send one claimed notification (a `reminders.deliver` task): a batch of one. Returns
    what happened: sent, retry, failed, cancelled, or skipped (not this task's to send,
    or gone)."""
    outcomes = notifications_deliver_batch(notification_ids=[notification_id], now=now)
    return next(iter(outcomes))  # every id ends one way


def notifications_deliver_batch(
    *, notification_ids: list[int], now: datetime.datetime | None = None
) -> dict[str, int]:
    """Send a batch of claimed notifications; how many ended each way (sent, retry,
    failed, cancelled, skipped)."""
    now = now or timezone.now()
    ids = list(dict.fromkeys(notification_ids))
    if not ids:
        return {}
    started = _start(ids, now=now)
    _progress_record([claimed_at for _, claimed_at in started], now=now)
    outcomes = _Outcomes(now=now)
    if not started:
        outcomes.counts["skipped"] = len(ids)
        return dict(outcomes.counts)
    rows = list(
        Notification.objects.filter(id__in=[pk for pk, _ in started])
        .select_related("clinic", "patient", "staff__user", "staff__contact")
        .order_by("next_attempt_at", "id")
    )
    # Not started, or deleted since the start (a patient's erasure): nothing to send.
    if len(rows) < len(ids):
        outcomes.counts["skipped"] = len(ids) - len(rows)
    facts = delivery_facts_load(notifications=rows, now=now)
    sends = _judge(rows, facts, outcomes)
    outcomes.flush()  # the cancelled and failed ones, before any provider is asked
    try:
        _send_all(sends, outcomes)
    except BaseException:
        outcomes.flush_after_error()
        raise
    outcomes.flush()
    return dict(outcomes.counts)


def _start(ids: list[int], *, now: datetime.datetime) -> list[tuple[int, datetime.datetime]]:
    """Mark the start of the rows still ours and return them with their claim time: one
    statement (UPDATE ... RETURNING, on PostgreSQL and on SQLite)."""
    ops = connection.ops
    id_params: list[Any]
    if on_postgresql():
        id_test, id_params = "id = ANY(%s)", [ids]
    else:
        id_test, id_params = f"id IN ({', '.join(['%s'] * len(ids))})", list(ids)
    table = connection.ops.quote_name(Notification._meta.db_table)
    sql = (
        f"UPDATE {table} SET delivery_started_at = %s, attempts = attempts + 1 "  # noqa: S608 (no input in it)
        f"WHERE {id_test} AND status = %s "
        "AND (delivery_started_at IS NULL OR delivery_started_at < %s) "
        "RETURNING id, claimed_at"
    )
    params: list[Any] = [
        ops.adapt_datetimefield_value(now),
        *id_params,
        Status.SENDING.value,
        ops.adapt_datetimefield_value(now - settings.REMINDERS_LEASE),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, _aware(claimed_at)) for pk, claimed_at in cursor.fetchall()]


def _aware(value: datetime.datetime | str | None) -> datetime.datetime:
    """A claim time as the database returned it (SQLite: naive UTC text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:  # a sending row always has a claim time; read a missing one as old
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def _progress_record(claimed: list[datetime.datetime], *, now: datetime.datetime) -> None:
    """Tell the dispatcher the queue is moving and how far (see
    `outbox.notifications_claim_due`): one statement on the one progress row."""
    stamp = DateTimeField()
    updates: dict[str, Any] = {
        "seen_at": Greatest(Coalesce("seen_at", Value(now, stamp)), Value(now, stamp))
    }
    if claimed:
        newest = Value(max(claimed), stamp)
        updates["claimed_upto"] = Greatest(Coalesce("claimed_upto", newest), newest)
    if not DeliveryProgress.objects.filter(pk=1).update(**updates):
        DeliveryProgress.objects.get_or_create(pk=1)
        DeliveryProgress.objects.filter(pk=1).update(**updates)


def _judge(
    rows: list[Notification], facts: DeliveryFacts, outcomes: _Outcomes
) -> list[tuple[Notification, Message]]:
    """The rules over each row: cancelled and failed ones are recorded, the rest composed."""
    texted: Counter[int] = Counter()  # SMS this batch is about to send, per patient
    sends: list[tuple[Notification, Message]] = []
    for row in rows:
        # A row started this often never got an outcome (each start counted an
        # attempt): give up on it rather than start it again after every lease.
        if row.attempts > settings.REMINDERS_MAX_ATTEMPTS:
            outcomes.add(
                "failed", row.pk, last_error=f"No outcome after {row.attempts - 1} attempts."
            )
            continue
        try:
            reason, message = _judge_one(row, facts, texted)
        except Exception as exc:  # one row's bug fails that row, not its whole batch
            logger.exception("notification %s: cannot be judged or composed", row.pk)
            outcomes.add("failed", row.pk, last_error=f"Cannot be sent: {exc!r}")
            continue
        if message is None:
            outcomes.add("cancelled", row.pk, last_error=reason)
            continue
        if sms_capped(row) and row.patient_id is not None:
            texted[row.patient_id] += 1
        sends.append((row, message))
    return sends


def _judge_one(
    row: Notification, facts: DeliveryFacts, texted: Counter[int]
) -> tuple[str, Message | None]:
    """Why the row is cancelled, or the message to send for it."""
    reason = cancel_rules.cancel_reason(row, facts=facts)
    # A runaway schedule must not flood a patient's phone: SMS per local day are
    # capped, counting those sent or being sent by other batches and those earlier in
    # this batch.
    cap = settings.REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY
    patient_id = row.patient_id if sms_capped(row) else None
    if (
        reason is None
        and patient_id is not None
        and facts.sms_sent_today.get(patient_id, 0) + texted[patient_id] >= cap
    ):
        reason = f"Daily SMS limit ({cap}) reached."
    to = messages.address(row, facts=facts)
    if reason is None and not to:
        reason = f"The recipient has no {row.get_channel_display().lower()} address."
    if reason:
        return reason, None
    return "", messages.compose(row, to=to, facts=facts)


@dataclass(frozen=True)
class _Result:
    provider_id: str | None
    error: Exception | None
    finished_at: datetime.datetime


def _send(message: Message, transport: Transport) -> _Result:
    """One message to its transport (in a pool thread: no database here)."""
    try:
        provider_id = transport.send(message)
    except Exception as exc:  # recorded on the row: a bug is retried, then failed
        if not isinstance(exc, TransportError):
            logger.exception("notification %s: transport error", message.notification_id)
        return _Result(None, exc, timezone.now())
    return _Result(provider_id, None, timezone.now())


def _send_all(sends: list[tuple[Notification, Message]], outcomes: _Outcomes) -> None:
    # Transports are looked up here, in one thread: the pool threads' first concurrent
    # lookups would each build one (for FCM, each asking for a token).
    transports = {channel: transport_for(channel) for channel in {row.channel for row, _ in sends}}
    threads = min(settings.REMINDERS_SEND_THREADS, len(sends))
    if threads <= 1:
        for row, message in sends:
            outcomes.record(row, _send(message, transports[row.channel]))
            outcomes.flush_if_due()
        return
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="reminder-send")
    waiting: dict[Future[_Result], Notification] = {
        pool.submit(_send, message, transports[row.channel]): row for row, message in sends
    }
    try:
        while waiting:
            done, _ = wait(waiting, timeout=FLUSH_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                outcomes.record(waiting.pop(future), future.result())
            outcomes.flush_if_due()
    finally:
        # Normally nothing is left. After an error here, the messages no thread has
        # taken yet are not sent (their rows go again after the lease); those in
        # flight finish, and what finished is recorded by the caller's last write.
        pool.shutdown(wait=True, cancel_futures=True)
        for future, row in waiting.items():
            if future.done() and not future.cancelled():
                outcomes.record(row, future.result())


class _Outcomes:
    """Outcomes not yet written, by kind; written one statement per kind."""

    def __init__(self, *, now: datetime.datetime):
        self.now = now  # the batch's start, as `_start` stamped it on its rows
        self.counts: Counter[str] = Counter()
        self.waiting: dict[str, dict[int, dict[str, Any]]] = {}
        self.unwritten = 0
        self.flushed_at = time.monotonic()

    def add(self, outcome: str, notification_id: int, **fields: Any) -> None:
        self.waiting.setdefault(outcome, {})[notification_id] = fields
        self.counts[outcome] += 1
        self.unwritten += 1

    def record(self, row: Notification, result: _Result) -> None:
        error = result.error
        if error is None:
            provider_id = (result.provider_id or "")[:200]
            self.add("sent", row.pk, sent_at=result.finished_at, provider_message_id=provider_id)
            return
        permanent = isinstance(error, TransportError) and error.permanent
        if permanent or row.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            logger.warning("notification %s failed: %s", row.pk, error)
            self.add("failed", row.pk, last_error=str(error))
            return
        wait_for = _backoff(row.attempts)
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:  # the provider said when: never sooner (within reason)
            wait_for = max(wait_for, min(retry_after, MAX_RETRY_AFTER))
        # The wait counts from the provider's answer, which may come long after the start.
        answered = max(self.now, result.finished_at)
        self.add("retry", row.pk, next_attempt_at=answered + wait_for, last_error=str(error))

    def flush_if_due(self) -> None:
        if self.unwritten >= FLUSH_EVERY or time.monotonic() - self.flushed_at >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        for outcome, rows in self.waiting.items():
            if rows:
                _write(rows, common=_OUTCOME_FIELDS[outcome], started=self.now)
        if self.waiting.get("sent"):
            # A receipt may have come before its row carried the provider's id.
            receipts.notification_receipts_apply_waiting(
                provider_message_ids=[
                    v["provider_message_id"] for v in self.waiting["sent"].values()
                ]
            )
        self.waiting = {}
        self.unwritten = 0
        self.flushed_at = time.monotonic()

    def flush_after_error(self) -> None:
        """`flush` while an error goes up: the database may be what failed."""
        try:
            self.flush()
        except Exception:
            logger.exception("outcomes of %s notification(s) not written", self.unwritten)


def _write(
    rows: dict[int, dict[str, Any]], *, common: dict[str, Any], started: datetime.datetime
) -> None:
    """One guarded UPDATE for rows of one outcome: the fields they share set as values,
    the per-row ones (provider id, sent_at, reason, next attempt) joined in by id:
    UPDATE ... FROM (VALUES ...) on PostgreSQL, a CASE on the id elsewhere. Only rows
    still sending since `started` (this batch's start) change."""
    names = sorted({name for values in rows.values() for name in values})
    fields = {name: _column(name) for name in [*common, *names]}
    if not on_postgresql():
        cases = {
            name: Case(
                *(
                    When(pk=pk, then=Value(values[name], fields[name]))
                    for pk, values in rows.items()
                ),
                default=F(name),
                output_field=fields[name],
            )
            for name in names
        }
        Notification.objects.filter(
            pk__in=list(rows), status=Status.SENDING, delivery_started_at=started
        ).update(**common, **cases)
        return
    quote = connection.ops.quote_name
    # These fields are plain columns: the column is named as the field.
    setters = [f"{quote(name)} = %s" for name in common]
    setters += [f"{quote(name)} = v.{quote(name)}" for name in names]
    casts = [f"%s::{fields[name].db_type(connection)}" for name in names]
    values = ", ".join(f"(%s::bigint, {', '.join(casts)})" for _ in rows)
    params: list[Any] = [
        fields[name].get_db_prep_value(v, connection) for name, v in common.items()
    ]
    for pk, row in rows.items():
        params.append(pk)
        params += [fields[name].get_db_prep_value(row[name], connection) for name in names]
    table = quote(Notification._meta.db_table)
    sql = (
        f"UPDATE {table} AS n SET {', '.join(setters)} "  # noqa: S608 (names from the model)
        f"FROM (VALUES {values}) AS v(id, {', '.join(quote(name) for name in names)}) "
        "WHERE n.id = v.id AND n.status = %s AND n.delivery_started_at = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*params, Status.SENDING.value, connection.ops.adapt_datetimefield_value(started)]
        )


def _column(name: str) -> Field[Any, Any]:
    field = Notification._meta.get_field(name)
    if not isinstance(field, Field):  # the outcomes set columns, never a relation
        raise TypeError(f"{name} is not a column of the outbox")
    return field


def _backoff(attempt: int) -> datetime.timedelta:
    """Exponential backoff with full jitter: up to 30 s, 60 s, 120 s ... capped at 1 h."""
    ceiling = min(30 * 2 ** (attempt - 1), 3600)
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 (jitter, not a secret)
