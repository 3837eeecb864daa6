"""The reminders app's models, one module per concern; every model is importable from
here (`from reminders.models import Notification`), as migrations and the rest of the
project name them."""

from .devices import Device, PushToken, StaffContact, StaffDevice
from .notifications import Channel, Kind, Notification, NotificationQuerySet
from .outbox_history import ArchivedNotification, DeliveryProgress, WaitingReceipt
from .planner import PlannerDue
from .settings import ClinicReminderSettings, _validate_working_days, _weekdays

__all__ = [
    "ArchivedNotification",
    "Channel",
    "ClinicReminderSettings",
    "DeliveryProgress",
    "Device",
    "Kind",
    "Notification",
    "NotificationQuerySet",
    "PlannerDue",
    "PushToken",
    "StaffContact",
    "StaffDevice",
    "WaitingReceipt",
    "_validate_working_days",
    "_weekdays",
]
