"""Outbox history out of the hot table (`ArchivedNotification`).

`notifications_archive(now=...)` runs daily (`reminders.archive`). It moves the rows that
are done with (sent, cancelled, failed) and whose last activity is older than
`REMINDERS_RETENTION` (400 days unless configured) from `Notification` to
`ArchivedNotification`, with every column as it was (ids too) and the moment it moved.
Pending and sending rows never move, however old: they are still work.

Last activity. `scheduled_for` says when a row was meant to go, not when it was done
with (a failed row resent from the admin long after, a row retried for hours), and
`updated_at` moves only with the writes that stamp it (a cancel, a resend), not with the
delivery's guarded updates. So a row moves only when every moment anything happened to
it is older than the retention (`ACTIVITY`): `updated_at`, its last claim and delivery
start (a failed row's last attempt), `sent_at`, and `delivered_at` (the provider's
receipt, which comes last).

In batches (10,000 rows a statement by default), each its own transaction, so a long
backlog (the first run on years of history) never holds many locks or a long
transaction. On PostgreSQL one statement per batch deletes the rows and inserts what the
delete returned (`WITH moved AS (DELETE ... RETURNING ...) INSERT ...`), taking only rows
nobody holds (`FOR UPDATE SKIP LOCKED`: a row an admin is resending stays for the next
run). Batches walk the primary key upwards, so each one starts where the last ended
instead of reading again past the dead rows the earlier ones left. Elsewhere (SQLite, for
`make run`) the same batches go through the ORM.

What still reads old outbox rows, and what happens once they are gone:

- The planner's "planned already" checks, which key a message by its `source`.
  Exercise and appointment reminders, urgent alerts and escalations, routine alerts,
  digests and the emergency guidance are planned only for instants in a window that
  ends well within the retention (the coming horizon; an alert raised in the last 24
  hours or 7 days; an opening in the last hour; a hold begun in the last 24 hours), so a
  source old enough to be archived is never planned again; the guidance's unique index
  on its source is not needed for an archived hold either.
  Three kinds are keyed by a source with no such bound, once whatever their age
  (`ONCE_EVER_KINDS`): the nudge and the therapist's inactivity alert of an idle streak
  (keyed by the day the patient was last active: a patient idle for more than the
  retention, program still open, is the same streak), and a questionnaire reminder
  (a baseline questionnaire never answered is due under the same source forever). For
  them the planner's writer also asks the archive (`without_archived`, one indexed
  query per batch written), so an archived streak or questionnaire is not announced
  twice; and the questionnaire pass counts an archived reminder as planned when it
  picks which of a patient's due questionnaires goes next.
- The SMS daily cap counts today's messages only; the admin outbox lists the hot table
  (archived rows are the record of what was sent, not work to act on); a patient's
  waiting messages (discharge, cancellation) are pending rows, which never move; the
  access log names what was viewed by string, so its entries outlive the row;
  provider receipts arrive within days of sending.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from core.db import on_postgresql

from . import receipts
from .models import ArchivedNotification, Kind, Notification

DEFAULT_BATCH_SIZE = 10_000
DONE = (Notification.Status.SENT, Notification.Status.CANCELLED, Notification.Status.FAILED)
# Planned once per source however long ago (see the module docstring). The archive's
# partial index on `source` (`archived_notification_once`) covers exactly these kinds.
ONCE_EVER_KINDS = (Kind.NUDGE, Kind.INACTIVITY_ALERT, Kind.QUESTIONNAIRE)

# Every moment something happened to a row; all must be older than the retention.
ACTIVITY = ("updated_at", "claimed_at", "delivery_started_at", "sent_at", "delivered_at")

_MOVE_SQL = """
WITH moved AS (
    DELETE FROM {hot}
    WHERE id = ANY(ARRAY(
        SELECT id FROM {hot}
        WHERE id > %(after)s
            AND status = ANY(%(done)s)
            AND {activity}
        ORDER BY id
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ))
    RETURNING {columns}
), archived AS (
    INSERT INTO {archive} ({columns}, archived_at)
    SELECT {columns}, %(now)s FROM moved
    RETURNING id
)
SELECT count(*), coalesce(max(id), 0) FROM archived
"""


def notifications_archive(*, now: datetime.datetime, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Move done rows older than the retention to the archive; how many moved."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    cutoff = now - settings.REMINDERS_RETENTION
    receipts.waiting_receipts_prune(now=now)
    move = _move_batch_sql if on_postgresql() else _move_batch_portable
    moved = 0
    after = 0
    while True:
        with transaction.atomic():
            count, last_id = move(cutoff=cutoff, now=now, after=after, limit=batch_size)
        moved += count
        # Short: the end of the table (or rows held by others, left for the next run).
        if count < batch_size:
            return moved
        after = last_id


def notifications_archivable_count(*, now: datetime.datetime) -> int:
    """How many rows `notifications_archive(now=now)` would move (rows nobody holds)."""
    return _archivable(cutoff=now - settings.REMINDERS_RETENTION).count()


def without_archived(rows: Iterable[Notification]) -> list[Notification]:
    """The planned rows whose message is not in the archive already: a row of
    `ONCE_EVER_KINDS` whose source was archived was planned, and sent or cancelled, long
    ago. One query, only when such rows are there."""
    rows = list(rows)
    once = {row.source for row in rows if row.kind in ONCE_EVER_KINDS}
    if not once:
        return rows
    archived = archived_sources(sources=once)
    return [row for row in rows if row.kind not in ONCE_EVER_KINDS or row.source not in archived]


def archived_sources(*, sources: Iterable[str]) -> set[str]:
    """Which of these sources of `ONCE_EVER_KINDS` messages are in the archive."""
    return set(
        ArchivedNotification.objects.filter(kind__in=ONCE_EVER_KINDS, source__in=list(sources))
        .order_by()
        .values_list("source", flat=True)
    )


def _archivable(*, cutoff: datetime.datetime) -> QuerySet[Notification]:
    """Done rows with nothing newer than `cutoff`: what `_MOVE_SQL` selects."""
    return Notification.objects.filter(
        *(Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lt": cutoff}) for name in ACTIVITY),
        status__in=DONE,
    )


def _columns() -> list[str]:
    """Every column of the hot table; the archive has each of them (and `archived_at`),
    so a column added to one and not the other fails the move instead of losing data."""
    return [field.column for field in Notification._meta.concrete_fields if field.column]


def _move_batch_sql(
    *, cutoff: datetime.datetime, now: datetime.datetime, after: int, limit: int
) -> tuple[int, int]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in _columns())
    sql = _MOVE_SQL.format(
        hot=quote(Notification._meta.db_table),
        archive=quote(ArchivedNotification._meta.db_table),
        columns=columns,
        activity=" AND ".join(
            f"({quote(name)} IS NULL OR {quote(name)} < %(cutoff)s)" for name in ACTIVITY
        ),
    )
    params: dict[str, Any] = {
        "after": after,
        "done": [str(status) for status in DONE],
        "cutoff": cutoff,
        "limit": limit,
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, last_id = cursor.fetchone()
    return int(count), int(last_id)


def _move_batch_portable(
    *, cutoff: datetime.datetime, now: datetime.datetime, after: int, limit: int
) -> tuple[int, int]:
    ids = list(
        _archivable(cutoff=cutoff)
        .filter(id__gt=after)
        .select_for_update(skip_locked=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return 0, after
    fields = [field.attname for field in Notification._meta.concrete_fields]
    values = Notification.objects.filter(id__in=ids).values(*fields)
    ArchivedNotification.objects.bulk_create(
        ArchivedNotification(**row, archived_at=now) for row in values
    )
    Notification.objects.filter(id__in=ids).delete()
    return len(ids), max(ids)
