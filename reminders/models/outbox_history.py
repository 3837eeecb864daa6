"""What the delivery pipeline keeps beside the outbox: its progress, the archive."""

from __future__ import annotations

from django.db import models

from .notifications import Channel, Kind, Notification


class DeliveryProgress(models.Model):
    """One row: the newest claim a delivery has started on, and when.

    Claimed rows wait in the broker's queue in claim order. A row claimed before the
    newest claim a delivery has started on, and still not started after the lease, was
    lost (a killed worker, a restarted broker); a row claimed after it is still queued
    behind the backlog and is not dispatched again, unless no delivery has started at
    all for a whole lease (the queue itself is gone).
    """

    claimed_upto = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "delivery progress"

    def __str__(self) -> str:
        return f"Deliveries started up to claims of {self.claimed_upto}"


class ArchivedNotification(models.Model):
    """Outbox rows done with (sent, cancelled, failed) and older than the retention
    period, moved out of the hot table by `reminders.retention`: the delivery record is
    kept, the table the pipeline works on stays small. Same columns as `Notification`;
    ids are kept, references are plain ids (nothing here is joined in the pipeline)."""

    id = models.BigIntegerField(primary_key=True)
    clinic_id = models.BigIntegerField(db_index=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    staff_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    source = models.CharField(max_length=120)
    scheduled_for = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Notification.Status.choices)
    attempts = models.PositiveSmallIntegerField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivery_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    receipt = models.CharField(max_length=12, choices=Notification.Receipt.choices, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    receipt_error = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    archived_at = models.DateTimeField()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [
            # The planner's "planned once, however long ago" check (`reminders.retention`,
            # ONCE_EVER_KINDS): a nudge's streak, a questionnaire due, by source.
            models.Index(
                fields=["source"],
                condition=models.Q(kind__in=["nudge", "inactivity_alert", "questionnaire"]),
                name="archived_notification_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Archived {self.get_kind_display()} by {self.channel} at {self.scheduled_for}"


class WaitingReceipt(models.Model):
    """A provider's final word on a message id no outbox row carries yet: the callback
    can come before the delivery batch writes the row's id (it writes after the send),
    and the provider does not post it again. The row's sent outcome applies it and
    deletes it (`reminders.receipts`); one that never matches (another system's
    message on the same account) is pruned by the daily archive. A protocol record,
    not a clinical one: one row per message id, keeping the final-most word."""

    provider_message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=12, choices=Notification.Receipt.choices)
    error_code = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Receipt {self.status} waiting for {self.provider_message_id}"
