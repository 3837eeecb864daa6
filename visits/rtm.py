"""What a patient's remote monitoring has recorded, and what it bills.

Days with data are the patient's own calendar days (their time zone) on which the app
sent something: an exercise session, a symptom report, or a questionnaire answered in
the app (answers a clinician entered in the clinic are not remote data). CMS counts
device-supply days per 30-day period from the start of monitoring, and treatment
management per calendar month (visits.rtm_codes, with its sources); the clinicians'
time is recorded in the clinic's days.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.localtime import local_date, local_today, patient_zone
from outcomes.models import QuestionnaireResponse
from patients.models import Patient, RedFlagScreening
from programs.session_models import ExerciseSession

from . import rtm_codes
from .payers import PayerTerms, coverages_of, terms_from
from .rtm_models import RtmEpisode, RtmTimeEntry

PERIOD_DAYS = 30
# The payer terms of a day, for one patient.
TermsOn = Callable[[datetime.date], PayerTerms]

# A period is at risk when the days still needed come within this many of the days
# left in it: one missed day more and it can no longer reach 16.
RISK_SLACK_DAYS = 3


@dataclass(frozen=True)
class RtmPeriod:
    starts_on: datetime.date
    ends_on: datetime.date
    days_with_data: int
    days_left: int  # after today, 0 once the period is over
    billed: rtm_codes.Billed | None

    @property
    def is_over(self) -> bool:
        return self.days_left == 0

    @property
    def days_needed(self) -> int:
        return max(rtm_codes.FULL_SUPPLY_DAYS - self.days_with_data, 0)

    @property
    def at_risk(self) -> bool:
        """Still short of 16 days, and with little or no room left to get there."""
        if self.is_over:
            return False  # what it gathered is final; nothing is left to risk
        return self.days_needed > 0 and self.days_left - self.days_needed < RISK_SLACK_DAYS


@dataclass(frozen=True)
class RtmMonth:
    month: datetime.date  # its first day
    minutes: int
    interactive: bool
    last_worked_on: datetime.date | None
    billed: tuple[rtm_codes.Billed, ...]


@dataclass(frozen=True)
class RtmStatus:
    episode: RtmEpisode
    set_up: rtm_codes.Billed | None
    periods: tuple[RtmPeriod, ...]
    months: tuple[RtmMonth, ...]

    @property
    def current_period(self) -> RtmPeriod | None:
        return next((p for p in reversed(self.periods) if not p.is_over), None)


def period_bounds(
    *, starts_on: datetime.date, day: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The 30-day period of an episode begun on `starts_on` that holds `day`."""
    index = (day - starts_on).days // PERIOD_DAYS
    first = starts_on + datetime.timedelta(days=index * PERIOD_DAYS)
    return first, first + datetime.timedelta(days=PERIOD_DAYS - 1)


def data_days(
    *, patients: Iterable[Patient], since: datetime.date, until: datetime.date
) -> dict[int, set[datetime.date]]:
    """Each patient's own days between `since` and `until` (inclusive) with data: three
    queries whatever the number of patients."""
    zones = {p.pk: patient_zone(p) for p in patients}
    if not zones:
        return {}
    # A day in any zone lies within a day and a half of the same UTC day.
    start = datetime.datetime.combine(since, datetime.time(), datetime.UTC) - datetime.timedelta(
        hours=14
    )
    end = datetime.datetime.combine(
        until + datetime.timedelta(days=1), datetime.time(), datetime.UTC
    ) + datetime.timedelta(hours=14)
    moments = [
        *ExerciseSession.objects.filter(
            patient_id__in=zones, performed_at__gte=start, performed_at__lt=end
        ).values_list("patient_id", "performed_at"),
        *RedFlagScreening.objects.filter(
            patient_id__in=zones,
            source=RedFlagScreening.Source.PATIENT_REPORT,
            screened_at__gte=start,
            screened_at__lt=end,
        ).values_list("patient_id", "screened_at"),
        *QuestionnaireResponse.objects.filter(
            patient_id__in=zones,
            entered_by__isnull=True,
            answered_at__gte=start,
            answered_at__lt=end,
        ).values_list("patient_id", "answered_at"),
    ]
    days: dict[int, set[datetime.date]] = defaultdict(set)
    for patient_id, moment in moments:
        day = local_date(moment, zones[patient_id])
        if since <= day <= until:
            days[patient_id].add(day)
    return {pk: days.get(pk, set()) for pk in zones}


def _terms_of(patient: Patient) -> TermsOn:
    # One read of the coverages serves every period and month of the episode.
    coverages = coverages_of(patient)

    def terms_on(day: datetime.date) -> PayerTerms:
        return terms_from(coverages, day)

    return terms_on


def _months(episode: RtmEpisode, terms_on: TermsOn) -> tuple[RtmMonth, ...]:
    by_month: dict[datetime.date, list[RtmTimeEntry]] = defaultdict(list)
    for entry in episode.time_entries.all():
        by_month[entry.worked_on.replace(day=1)].append(entry)
    months = []
    for month in sorted(by_month):
        entries = by_month[month]
        minutes = sum(e.minutes for e in entries)
        interactive = any(e.interactive for e in entries)
        last_worked_on = max(e.worked_on for e in entries)
        accepts_short = terms_on(last_worked_on).accepts_2026_rtm_codes
        billed = rtm_codes.management_codes(
            minutes=minutes, interactive=interactive, accepts_short_codes=accepts_short
        )
        months.append(
            RtmMonth(
                month=month,
                minutes=minutes,
                interactive=interactive,
                last_worked_on=last_worked_on,
                billed=tuple(billed),
            )
        )
    return tuple(months)


def rtm_status(
    *,
    episode: RtmEpisode,
    today: datetime.date | None = None,
    days: set[datetime.date] | None = None,
    terms_on: TermsOn | None = None,
) -> RtmStatus:
    """Every period and month of an episode up to today (or its end), with what each
    bills under the payer of its day.

    A caller reading many episodes at once (the billing export) passes the patient's
    `days` (from one `data_days` call for them all), `terms_on` (the payer terms of a
    day, from coverage it loaded) and the episode with its time entries prefetched, so
    this asks the database nothing."""
    patient = episode.patient
    today = today or local_today(patient_zone(patient))
    last = min(today, episode.ended_on) if episode.ended_on else today
    if days is None:
        days = data_days(patients=[patient], since=episode.starts_on, until=last)[patient.pk]
    else:
        days = {d for d in days if episode.starts_on <= d <= last}
    terms_on = terms_on or _terms_of(patient)
    periods = []
    first = episode.starts_on
    while first <= last:
        ends_on = first + datetime.timedelta(days=PERIOD_DAYS - 1)
        accepts_short = terms_on(first).accepts_2026_rtm_codes
        count = sum(1 for d in days if first <= d <= ends_on)
        # An ended episode gathers no more days.
        days_left = 0 if episode.ended_on else max((ends_on - today).days, 0)
        periods.append(
            RtmPeriod(
                starts_on=first,
                ends_on=ends_on,
                days_with_data=count,
                days_left=days_left,
                billed=rtm_codes.supply_code(
                    days_with_data=count, accepts_short_codes=accepts_short
                ),
            )
        )
        first = ends_on + datetime.timedelta(days=1)
    set_up = (
        rtm_codes.Billed(rtm_codes.SET_UP, 1, "set-up and education, once per episode")
        if episode.onboarded_on
        else None
    )
    return RtmStatus(
        episode=episode,
        set_up=set_up,
        periods=tuple(periods),
        months=_months(episode, terms_on),
    )
