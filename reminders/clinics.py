"""Clinic settings the planner's passes share: every clinic's reminder settings in one
query, and the clinic's working hours (in the clinic's own time zone), which decide when
a routine alert reaches staff and when the morning digest goes out."""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from core.localtime import UTC, known_zone, local_date
from practice.models import Clinic

from . import rules
from .models import ClinicReminderSettings

logger = logging.getLogger(__name__)

_DAY = datetime.timedelta(days=1)


class ClinicConfig:
    """Every clinic's reminder settings and zone; defaults for clinics without a row."""

    def __init__(self, by_clinic: dict[int, ClinicReminderSettings], zones: dict[int, str]):
        self.by_clinic = by_clinic
        self.default = ClinicReminderSettings()
        self._zone_names = zones

    @classmethod
    def load(cls) -> ClinicConfig:
        """One query: every clinic's zone, and its settings where it has a row."""
        by_clinic, zones = {}, {}
        for clinic in Clinic.objects.select_related("reminder_settings").order_by():
            zones[clinic.pk] = clinic.time_zone
            clinic_settings = getattr(clinic, "reminder_settings", None)
            if clinic_settings is not None:
                by_clinic[clinic.pk] = clinic_settings
        return cls(by_clinic, zones)

    def for_clinic(self, clinic_id: int) -> ClinicReminderSettings:
        return self.by_clinic.get(clinic_id, self.default)

    def clinics_without(self, flag: str) -> list[int]:
        return [cid for cid, s in self.by_clinic.items() if not getattr(s, flag)]

    def all_settings(self) -> list[ClinicReminderSettings]:
        return [self.default, *self.by_clinic.values()]

    def lead_hours(self, clinic_id: int) -> list[float]:
        return leads(self.for_clinic(clinic_id))

    def clinic_ids(self) -> list[int]:
        return list(self._zone_names)

    def zone(self, clinic_id: int) -> ZoneInfo:
        """The clinic's zone; UTC (with a warning) for a name the system does not know,
        so a typo delays a clinic's routine mail instead of stopping it."""
        name = self._zone_names.get(clinic_id, "UTC")
        tz = known_zone(name)
        if tz is None:
            logger.warning("Clinic %s has an unknown time zone %r; using UTC.", clinic_id, name)
            return UTC
        return tz

    def hours(self, clinic_id: int) -> WorkingHours:
        return WorkingHours(self.for_clinic(clinic_id), self.zone(clinic_id))


def leads(clinic_settings: ClinicReminderSettings) -> list[float]:
    """The clinic's lead times in hours; entries that are not positive numbers are ignored."""
    result = []
    for value in clinic_settings.lead_hours:
        try:
            hours = float(value)
        except (TypeError, ValueError):
            continue
        if hours > 0:
            result.append(hours)
    return result


class WorkingHours:
    """When a clinic is open: its working days, from `opens_at` to `closes_at` local time."""

    def __init__(self, clinic_settings: ClinicReminderSettings, tz: ZoneInfo):
        self.days = set(clinic_settings.working_days or [])
        self.opens_at = clinic_settings.opens_at
        self.closes_at = clinic_settings.closes_at
        self.tz = tz

    def span(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The UTC opening and closing of a local date; None when the clinic is closed."""
        if day.weekday() not in self.days:
            return None
        opens = rules.local_instant(self.tz, day, self.opens_at)
        closes = rules.local_instant(self.tz, day, self.closes_at)
        if opens is None or closes is None or opens >= closes:
            return None
        return opens, closes

    def next_opening(self, instant: datetime.datetime) -> datetime.datetime | None:
        """`instant` itself when the clinic is open then, else the next opening; None for
        a clinic with no working days."""
        day = local_date(instant, self.tz)
        for offset in range(8):
            span = self.span(day + offset * _DAY)
            if span is None or instant >= span[1]:
                continue
            return max(span[0], instant)
        return None
