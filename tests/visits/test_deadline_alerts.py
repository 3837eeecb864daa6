"""The deadline watch: the therapist's alerts before a plan of care's recertification,
when it lapsed, and before the 10th treatment day's progress note; on each clinic's own
dates, once each however often the task runs."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.models import ClinicalAlert, Patient
from practice.models import Role
from reminders import planner
from reminders.models import Kind as NotificationKind
from reminders.models import Notification
from tests.factories import (
    ClinicFactory,
    make_attended_appointment,
    make_patient,
    make_plan_of_care,
    make_staff,
    make_visit_note,
)
from tests.reminders.staff_helpers import staff
from visits import watch
from visits.bulk_status import plan_statuses
from visits.plan_status import plan_status
from visits.tasks import watch_deadlines

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = ClinicalAlert.Kind
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")


def at(day: datetime.date, hour: int, minute: int = 0, zone=NEW_YORK) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def run(moment: datetime.datetime) -> int:
    """The beat's task at that moment, as a worker runs it."""
    with time_machine.travel(moment, tick=False):
        return watch_deadlines()


def alerts(patient, kind) -> list[ClinicalAlert]:
    return list(ClinicalAlert.objects.filter(patient=patient, kind=kind).order_by("pk"))


def certified_plan(patient, therapist, *, on: datetime.date, weeks: int = 13, zone=NEW_YORK):
    """A plan begun and certified on `on`, made that morning in the clinic."""
    with time_machine.travel(at(on, 9, zone=zone), tick=False):
        return make_plan_of_care(
            patient=patient, therapist=therapist, starts_on=on, weeks=weeks, certified_on=on
        )


def visit(
    patient, therapist, day: datetime.date, *, kind: str | None = None, hour: int = 10
) -> None:
    """An attended visit at 10:00 (or `hour`) on `day`, with its signed note when `kind` is
    given."""
    with time_machine.travel(at(day, 20), tick=False):
        appointment = make_attended_appointment(
            patient=patient, therapist=therapist, starts_at=at(day, hour)
        )
        if kind is not None:
            make_visit_note(appointment=appointment, therapist=therapist, kind=kind, signed=True)


def treatment_days(first: datetime.date, count: int) -> list[datetime.date]:
    """`count` weekdays from `first` on."""
    days: list[datetime.date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# --- the 10th treatment day ------------------------------------------------------------


@pytest.fixture
def evaluated(patient, therapist):
    """Evaluated on Thursday 1 October 2026 under a plan of care begun that day."""
    certified_plan(patient, therapist, on=D(2026, 10, 1))
    visit(patient, therapist, D(2026, 10, 1), kind="evaluation")
    return patient


def test_the_progress_note_alert_comes_once_nine_treatment_days_are_done(evaluated, therapist):
    days = treatment_days(D(2026, 10, 1), 10)
    for day in days[1:8]:
        visit(evaluated, therapist, day)

    assert run(at(days[7], 20)) == 0  # eight done: the 10th is two visits away
    assert alerts(evaluated, Kind.PROGRESS_NOTE_DUE) == []

    visit(evaluated, therapist, days[8])
    assert run(at(days[8], 20)) == 1
    (alert,) = alerts(evaluated, Kind.PROGRESS_NOTE_DUE)
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    assert "next visit" in alert.message
    assert "9 treatment days since the last report on 2026-10-01" in alert.message


def test_the_progress_note_alert_is_not_raised_again_on_later_runs(evaluated, therapist):
    days = treatment_days(D(2026, 10, 1), 10)
    for day in days[1:9]:
        visit(evaluated, therapist, day)

    assert run(at(days[8], 20)) == 1
    assert run(at(days[8], 21)) == 0
    assert run(at(days[9], 7)) == 0
    visit(evaluated, therapist, days[9])  # the 10th, still without the report
    assert run(at(days[9], 20)) == 0

    assert len(alerts(evaluated, Kind.PROGRESS_NOTE_DUE)) == 1


def test_a_progress_note_starts_a_new_count_with_its_own_alert(evaluated, therapist):
    days = treatment_days(D(2026, 10, 1), 19)
    for day in days[1:9]:
        visit(evaluated, therapist, day)
    assert run(at(days[8], 20)) == 1

    visit(evaluated, therapist, days[9], kind="progress")  # the report, on the 10th day
    for day in days[10:17]:
        visit(evaluated, therapist, day)
    assert run(at(days[16], 20)) == 0  # eight since the report

    visit(evaluated, therapist, days[17])
    assert run(at(days[17], 20)) == 1
    _, second = alerts(evaluated, Kind.PROGRESS_NOTE_DUE)
    assert f"last report on {days[9].isoformat()}" in second.message


def test_a_missed_tenth_day_is_an_overdue_progress_note(evaluated, therapist):
    days = treatment_days(D(2026, 10, 1), 10)
    for day in days[1:]:
        visit(evaluated, therapist, day)  # the watch never ran in between

    assert run(at(days[9], 20)) == 1
    (alert,) = alerts(evaluated, Kind.PROGRESS_NOTE_DUE)
    assert alert.message.startswith("Progress note overdue")
    assert "10 treatment days" in alert.message


# --- the 90-day recertification -----------------------------------------------------


def test_recertification_alerts_on_the_clinics_own_day_across_the_dst_change(patient, therapist):
    # Certified 1 September 2026 (EDT): its 90th day is 29 November (EST), the clocks
    # having gone back on 1 November; the notice opens 7 days before, on the 22nd.
    plan = certified_plan(patient, therapist, on=D(2026, 9, 1))
    assert plan.covered_until == D(2026, 11, 29)

    assert run(at(D(2026, 11, 21), 23, 30)) == 0  # already the 22nd in UTC
    assert run(at(D(2026, 11, 22), 0, 30)) == 1
    (alert,) = alerts(patient, Kind.RECERTIFICATION_DUE)
    assert alert.severity == ClinicalAlert.Severity.ROUTINE
    assert "until 2026-11-29 (in 7 days)" in alert.message
    assert patient.full_name in alert.message


def test_the_recertification_alert_is_raised_once_per_plan(patient, therapist):
    certified_plan(patient, therapist, on=D(2026, 9, 1))

    for day in range(22, 30):
        run(at(D(2026, 11, day), 0, 30))
        run(at(D(2026, 11, day), 14, 0))

    assert len(alerts(patient, Kind.RECERTIFICATION_DUE)) == 1


def test_a_lapsed_certification_flags_the_day_after_its_last_covered_day(patient, therapist):
    certified_plan(patient, therapist, on=D(2026, 9, 1))
    run(at(D(2026, 11, 22), 8))

    assert run(at(D(2026, 11, 29), 23, 30)) == 0  # still covered until midnight
    assert run(at(D(2026, 11, 30), 0, 30)) == 1
    assert run(at(D(2026, 12, 1), 0, 30)) == 0
    _, lapsed = alerts(patient, Kind.RECERTIFICATION_DUE)
    assert "lapsed after 2026-11-29" in lapsed.message
    assert "not covered" in lapsed.message


def test_a_recertified_plan_gets_its_own_alert(patient, therapist):
    certified_plan(patient, therapist, on=D(2026, 9, 1))
    run(at(D(2026, 11, 22), 8))
    certified_plan(patient, therapist, on=D(2026, 11, 25), weeks=4)  # ends 22 December

    assert run(at(D(2026, 12, 14), 23)) == 0
    assert run(at(D(2026, 12, 15), 8)) == 1
    assert "until 2026-12-22" in alerts(patient, Kind.RECERTIFICATION_DUE)[-1].message


def test_an_unsigned_plan_is_raised_before_its_timely_certification_runs_out(patient, therapist):
    with time_machine.travel(at(D(2026, 9, 1), 9), tick=False):
        make_plan_of_care(patient=patient, therapist=therapist, starts_on=D(2026, 9, 1))

    assert run(at(D(2026, 9, 21), 23, 30)) == 0  # the 20th day after the start
    assert run(at(D(2026, 9, 22), 0, 30)) == 1  # 9 days before 1 October
    assert run(at(D(2026, 9, 25), 8)) == 0
    [alert] = alerts(patient, Kind.RECERTIFICATION_DUE)
    assert "not certified yet (not yet sent)" in alert.message
    assert "timely until 2026-10-01" in alert.message


def test_a_discharged_patient_raises_nothing(patient, therapist):
    other = make_patient(clinic=patient.clinic, primary_therapist=therapist)
    certified_plan(other, therapist, on=D(2026, 9, 1))
    Patient.objects.filter(pk=other.pk).update(status=Patient.Status.DISCHARGED)

    assert run(at(D(2026, 11, 25), 8)) == 0
    assert run(at(D(2026, 12, 5), 8)) == 0


# --- clinics in their own zones ---------------------------------------------------------


def test_clinics_in_los_angeles_and_berlin_get_their_alerts_on_their_own_dates():
    people = {}
    for zone in (LOS_ANGELES, BERLIN):
        clinic = ClinicFactory(time_zone=zone.key)
        therapist = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST)
        patient = make_patient(clinic=clinic, primary_therapist=therapist, time_zone=zone.key)
        # Both covered until 10 December: the notice opens on the 3rd, locally.
        certified_plan(patient, therapist, on=D(2026, 9, 12), zone=zone)
        people[zone] = patient

    # 00:30 on the 3rd in Berlin is 15:30 on the 2nd in Los Angeles.
    assert run(at(D(2026, 12, 3), 0, 30, zone=BERLIN)) == 1
    assert len(alerts(people[BERLIN], Kind.RECERTIFICATION_DUE)) == 1
    assert alerts(people[LOS_ANGELES], Kind.RECERTIFICATION_DUE) == []

    assert run(at(D(2026, 12, 2), 23, 30, zone=LOS_ANGELES)) == 0
    assert run(at(D(2026, 12, 3), 0, 30, zone=LOS_ANGELES)) == 1
    (alert,) = alerts(people[LOS_ANGELES], Kind.RECERTIFICATION_DUE)
    assert people[LOS_ANGELES].full_name in alert.message
    assert ClinicalAlert.objects.count() == 2


def test_one_clinics_alerts_are_not_another_clinics(patient, therapist, other_patient):
    other_therapist = make_staff(clinic=other_patient.clinic)
    certified_plan(patient, therapist, on=D(2026, 9, 1))
    certified_plan(other_patient, other_therapist, on=D(2026, 10, 1))

    run(at(D(2026, 11, 22), 8))

    assert len(alerts(patient, Kind.RECERTIFICATION_DUE)) == 1
    assert alerts(other_patient, Kind.RECERTIFICATION_DUE) == []


# --- reaching the therapist, reads in bulk ------------------------------------------------


def test_the_alert_reaches_the_therapist_by_the_routine_path(clinic):
    therapist = staff(clinic, Role.PHYSICAL_THERAPIST, "pt.watch")
    patient = make_patient(clinic=clinic, primary_therapist=therapist)
    certified_plan(patient, therapist, on=D(2026, 9, 1))
    moment = at(D(2026, 11, 23), 9)  # a Monday, the clinic open
    run(moment)

    planner.plan(now=moment)

    (row,) = Notification.objects.filter(kind=NotificationKind.ROUTINE_ALERT)
    assert row.staff == therapist
    assert row.source == f"routine:{alerts(patient, Kind.RECERTIFICATION_DUE)[0].pk}:{therapist.pk}"


def test_the_bulk_read_agrees_with_the_one_patient_read(evaluated, therapist):
    # A second patient reported later: each one's days count from their own report.
    reported = make_patient(clinic=evaluated.clinic, primary_therapist=therapist)
    certified_plan(reported, therapist, on=D(2026, 10, 1))
    days = treatment_days(D(2026, 10, 1), 6)
    for n, day in enumerate(days):
        if n:
            visit(evaluated, therapist, day)
        kind = {0: "evaluation", 3: "progress"}.get(n)
        visit(reported, therapist, day, kind=kind, hour=14)
    today = D(2026, 10, 12)

    statuses = plan_statuses(
        patients=Patient.objects.filter(pk__in=[evaluated.pk, reported.pk]),
        zone=NEW_YORK,
        today=today,
    )

    assert statuses[evaluated.pk] == plan_status(patient=evaluated, today=today)
    assert statuses[reported.pk] == plan_status(patient=reported, today=today)
    assert statuses[evaluated.pk].treatment_days_since_report == 6
    assert statuses[reported.pk].treatment_days_since_report == 3


def _patients_with_plans(clinic, count: int) -> None:
    therapist = make_staff(clinic=clinic)
    for n in range(count):
        patient = make_patient(clinic=clinic, primary_therapist=therapist)
        certified_plan(patient, therapist, on=D(2026, 10, 1))
        visit(patient, therapist, D(2026, 10, 1), kind="evaluation", hour=8 + n)
        visit(patient, therapist, D(2026, 10, 2), hour=8 + n)


def test_the_watch_runs_the_same_queries_for_one_patient_as_for_many(clinic):
    moment = at(D(2026, 10, 20), 8)  # nothing due for anyone
    _patients_with_plans(clinic, 1)
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as one:
        assert watch.deadline_alerts_raise() == 0

    _patients_with_plans(clinic, 6)
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as seven:
        assert watch.deadline_alerts_raise() == 0

    assert len(seven) == len(one), "\n".join(q["sql"] for q in seven)
