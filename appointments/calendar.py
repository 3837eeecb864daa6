"""The clinic's diary as a grid: clinicians as columns, the working day in half-hour rows,
each visit in the row it starts in and each free half-hour bookable.

Rows are wall-clock times of the clinic's zone, not moments: 09:00 is one row on the
Saturday before a change of daylight saving time and on the Monday after, though its UTC
offset differs. A visit outside the working day (an early start, a late one) stretches
the rows to show it; only working hours are offered as free.

Two queries whatever the number of visits: the clinicians, and the visits of the range
with their patients and therapists.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from core.localtime import local_midnight, zone_of
from practice.models import CLINICIAN_ROLES, Clinic, StaffMember

from .models import Appointment

SLOT = datetime.timedelta(minutes=30)
# No structured opening hours are stored (the clinic's are free text for patients), so
# free slots are offered over a common working day.
WORKDAY_START = datetime.time(8, 0)
WORKDAY_END = datetime.time(18, 0)


@dataclass
class Cell:
    """One therapist's half-hour on one day."""

    therapist: StaffMember
    starts_at: datetime.datetime  # aware, in the clinic's zone
    ends_at: datetime.datetime
    visits: list[Appointment] = field(default_factory=list)  # those starting in it
    busy: bool = False  # a booked visit of the therapist overlaps it
    bookable: bool = False  # free, within working hours and still to come


@dataclass
class Row:
    """A wall-clock half-hour across the range: one cell per day and therapist, in the
    order of `Calendar.columns`."""

    time: datetime.time
    cells: list[Cell]


@dataclass
class Calendar:
    first_day: datetime.date
    days: list[datetime.date]
    zone: datetime.tzinfo
    therapists: list[StaffMember]
    columns: list[tuple[datetime.date, StaffMember]]  # each day, each therapist
    rows: list[Row]
    visits: list[Appointment]  # every visit starting in the range, cancelled ones included

    @property
    def last_day(self) -> datetime.date:
        return self.days[-1]

    @property
    def patient_ids(self) -> list[int]:
        return sorted({visit.patient_id for visit in self.visits})


def _local(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    return moment.astimezone(zone)


def _minutes(time: datetime.time) -> int:
    return time.hour * 60 + time.minute


def _floor(time: datetime.time) -> datetime.time:
    minutes = _minutes(time) // 30 * 30
    return datetime.time(minutes // 60, minutes % 60)


def _row_minutes(visits: list[Appointment], zone: datetime.tzinfo) -> range:
    """The half-hours of the working day (as minutes after midnight), stretched to the
    rows of the visits outside it; a visit running past midnight is shown to the end of
    the day it starts on."""
    first, last = _minutes(WORKDAY_START), _minutes(WORKDAY_END)
    for visit in visits:
        start, end = _local(visit.starts_at, zone), _local(visit.ends_at, zone)
        first = min(first, _minutes(_floor(start.time())))
        end_minutes = _minutes(end.time()) if end.date() == start.date() else 24 * 60
        last = max(last, -(-end_minutes // 30) * 30)
    return range(first, last, 30)


def _in_hours(time: datetime.time) -> bool:
    return WORKDAY_START <= time < WORKDAY_END


def _rows(
    first_day: datetime.date,
    columns: list[tuple[datetime.date, StaffMember]],
    visits: list[Appointment],
    zone: datetime.tzinfo,
    now: datetime.datetime,
) -> list[Row]:
    starting: dict[tuple[datetime.date, int, datetime.time], list[Appointment]] = defaultdict(list)
    booked: dict[int, list[Appointment]] = defaultdict(list)
    for visit in visits:
        start = _local(visit.starts_at, zone)
        starting[start.date(), visit.therapist_id, _floor(start.time())].append(visit)
        if visit.status in Appointment.BOOKED_STATUSES:
            booked[visit.therapist_id].append(visit)
    rows = []
    shown = [v for v in visits if _local(v.starts_at, zone).date() >= first_day]
    for minutes in _row_minutes(shown, zone):
        time = datetime.time(minutes // 60, minutes % 60)
        cells = []
        for day, therapist in columns:
            starts_at = datetime.datetime.combine(day, time, tzinfo=zone)
            ends_at = starts_at + SLOT
            busy = any(
                v.starts_at < ends_at and v.ends_at > starts_at for v in booked[therapist.pk]
            )
            cells.append(
                Cell(
                    therapist=therapist,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    visits=starting.get((day, therapist.pk, time), []),
                    busy=busy,
                    bookable=not busy and _in_hours(time) and starts_at >= now,
                )
            )
        rows.append(Row(time=time, cells=cells))
    return rows


def calendar_of(
    *,
    clinic: Clinic,
    first_day: datetime.date,
    days: int = 1,
    therapist: StaffMember | None = None,
    now: datetime.datetime | None = None,
) -> Calendar:
    """The clinic's diary for `days` clinic-local days from `first_day`, of one
    therapist or of every clinician (and of anyone else with a visit in the range: a
    therapist who has since changed role still has their visits shown)."""
    zone = zone_of(clinic.time_zone)
    range_start = local_midnight(first_day, zone)
    range_end = local_midnight(first_day + datetime.timedelta(days=days), zone)
    rows = Appointment.objects.for_clinic(clinic).filter(
        starts_at__lt=range_end, ends_at__gt=range_start
    )
    if therapist is not None:
        rows = rows.filter(therapist=therapist)
    visits = list(rows.select_related("patient", "therapist__user").order_by("starts_at", "pk"))
    if therapist is not None:
        therapists = [therapist]
    else:
        clinicians = StaffMember.objects.for_clinic(clinic).filter(role__in=CLINICIAN_ROLES)
        by_id = {s.pk: s for s in clinicians.select_related("user")}
        for visit in visits:
            by_id.setdefault(visit.therapist_id, visit.therapist)
        therapists = sorted(by_id.values(), key=lambda s: (s.full_name.lower(), s.pk))
    dates = [first_day + datetime.timedelta(days=n) for n in range(days)]
    columns = [(day, staff) for day in dates for staff in therapists]
    return Calendar(
        first_day=first_day,
        days=dates,
        zone=zone,
        therapists=therapists,
        columns=columns,
        rows=_rows(first_day, columns, visits, zone, now or timezone.now()),
        # One that began the evening before holds its slots but is shown on its own day.
        visits=[v for v in visits if v.starts_at >= range_start],
    )
