"""The outbox insert: planned rows go to the outbox through one writer, whichever
source planned them.

`Writer` buffers rows and writes them a batch at a time, reviving an appointment
reminder the planner cancelled when its appointment moved back; `PlanResult` counts
what a pass did.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone

from .. import retention, rules
from ..models import Kind, Notification

BATCH_SIZE = 2000


@dataclass
class PlanResult:
    """What one planning pass did: totals, and the same per notification kind."""

    created_by_kind: Counter[str] = field(default_factory=Counter)
    cancelled_by_kind: Counter[str] = field(default_factory=Counter)
    # Appointment reminders the planner had cancelled and brought back because the
    # appointment moved back to their time.
    revived_by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def created(self) -> int:
        return sum(self.created_by_kind.values())

    @property
    def cancelled(self) -> int:
        return sum(self.cancelled_by_kind.values())

    @property
    def revived(self) -> int:
        return sum(self.revived_by_kind.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "cancelled": self.cancelled,
            "revived": self.revived,
            "created_by_kind": {str(k): n for k, n in self.created_by_kind.items()},
            "cancelled_by_kind": {str(k): n for k, n in self.cancelled_by_kind.items()},
            "revived_by_kind": {str(k): n for k, n in self.revived_by_kind.items()},
        }


class Writer:
    """Buffers planned rows and writes them a batch at a time.

    Per batch: one query for the keys that already exist (so `created` counts rows
    really inserted, and a planner-cancelled appointment reminder can be revived), and
    one `bulk_create(ignore_conflicts=True)`, which keeps a concurrent pass harmless.
    """

    def __init__(
        self, result: PlanResult, *, now: datetime.datetime, size: int = BATCH_SIZE
    ) -> None:
        self.result = result
        self.now = now
        self.size = size
        self.rows: dict[tuple[str, datetime.datetime, str], Notification] = {}
        self.new: dict[tuple[str, datetime.datetime, str], Notification] = {}

    def add(self, row: Notification, *, new: bool = False) -> None:
        """Queue a row; `new` when the caller's query already excluded existing sources,
        which skips the existence check (the insert still ignores a conflict)."""
        row.status = Notification.Status.PENDING
        row.next_attempt_at = row.scheduled_for
        # The first planned wins within a batch; the unique key would drop the others.
        key = (row.source, row.scheduled_for, row.channel)
        (self.new if new else self.rows).setdefault(key, row)
        if len(self.rows) + len(self.new) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.new:
            new, self.new = self.new, {}
            # A message planned once however long ago may be in the archive by now.
            fresh = retention.without_archived(new.values())
            Notification.objects.bulk_create(fresh, ignore_conflicts=True)
            self.result.created_by_kind.update(row.kind for row in fresh)
        if not self.rows:
            return
        rows, self.rows = self.rows, {}
        times = [key[1] for key in rows]
        revivable = ExpressionWrapper(
            Q(
                kind=Kind.APPOINTMENT,
                status=Notification.Status.CANCELLED,
                sent_at__isnull=True,
                last_error__startswith=rules.APPOINTMENT_REASON_PREFIX,
            ),
            output_field=BooleanField(),
        )
        existing = (
            Notification.objects.filter(
                source__in={key[0] for key in rows},
                scheduled_for__gte=min(times),
                scheduled_for__lte=max(times),
            )
            .annotate(revivable=revivable)
            .values_list("source", "scheduled_for", "channel", "pk", "kind", "revivable")
            .order_by()
        )
        revive: list[int] = []
        for source, scheduled_for, channel, pk, kind, can_revive in existing:
            planned = rows.pop((source, scheduled_for, channel), None)
            if planned is not None and can_revive and scheduled_for >= self.now:
                revive.append(pk)
                self.result.revived_by_kind[kind] += 1
        if revive:
            Notification.objects.filter(pk__in=revive, status=Notification.Status.CANCELLED).update(
                status=Notification.Status.PENDING,
                last_error="",
                next_attempt_at=F("scheduled_for"),
                updated_at=timezone.now(),
            )
        if rows:
            Notification.objects.bulk_create(rows.values(), ignore_conflicts=True)
            self.result.created_by_kind.update(row.kind for row in rows.values())
