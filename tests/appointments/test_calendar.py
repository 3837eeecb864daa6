"""The calendar in the admin: a day or a week of each clinician's visits in the clinic's
own time, free half-hours that book, the therapist filter kept to the clinic, and every
patient shown in the access log."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments.models import Appointment
from appointments.services import appointment_set_status
from audit.models import RecordAccess
from practice.models import Role
from tests.factories import make_patient, make_staff
from tests.factories.appointments import make_appointment

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
CALENDAR = reverse("admin:appointments_appointment_calendar")
ADD = reverse("admin:appointments_appointment_add")
# A Tuesday; New York leaves daylight saving time on Sunday 2026-11-01.
NOW = datetime.datetime(2026, 10, 20, 12, 0, tzinfo=datetime.UTC)


def local(day: str, time: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=NEW_YORK)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


@pytest.fixture
def colleague(clinic):
    return make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.two")


def placed(calendar) -> dict[int, tuple[datetime.date, datetime.time, str]]:
    """Each visit's cell: its day, row and therapist."""
    found = {}
    for row in calendar.rows:
        for (day, therapist), cell in zip(calendar.columns, row.cells, strict=True):
            for visit in cell.visits:
                found[visit.pk] = (day, row.time, therapist.user.username)
    return found


def cell_at(calendar, day: datetime.date, time: str, therapist):
    column = calendar.columns.index((day, therapist))
    row = next(r for r in calendar.rows if r.time == datetime.time.fromisoformat(time))
    return row.cells[column]


def test_the_week_view_places_visits_at_the_clinics_local_time_across_the_dst_change(
    desk_client, patient, therapist
):
    before = make_appointment(
        patient=patient, therapist=therapist, starts_at=local("2026-10-30", "10:00")
    )
    after = make_appointment(
        patient=patient, therapist=therapist, starts_at=local("2026-11-01", "10:00")
    )
    stored = dict(Appointment.objects.values_list("pk", "starts_at"))
    assert stored == {  # 10:00 in New York on each side of the change
        before.pk: datetime.datetime(2026, 10, 30, 14, 0, tzinfo=datetime.UTC),
        after.pk: datetime.datetime(2026, 11, 1, 15, 0, tzinfo=datetime.UTC),
    }

    page = desk_client.get(CALENDAR, {"week": "2026-10-28"})  # a Wednesday: its week from Monday

    assert page.status_code == 200
    calendar = page.context["calendar"]
    assert calendar.days[0] == datetime.date(2026, 10, 26)
    assert len(calendar.days) == 7
    assert placed(calendar) == {
        before.pk: (datetime.date(2026, 10, 30), datetime.time(10, 0), "pt.one"),
        after.pk: (datetime.date(2026, 11, 1), datetime.time(10, 0), "pt.one"),
    }
    assert page.text.count("10:00-10:45 Alex Rivera") == 2


def test_the_day_view_shows_free_half_hours_and_not_the_booked_ones(
    desk_client, clinic, patient, therapist, colleague
):
    visit = make_appointment(
        patient=patient, therapist=therapist, starts_at=local("2026-10-21", "10:00")
    )
    cancelled = make_appointment(
        patient=make_patient(clinic=clinic, first_name="Casey"),
        therapist=therapist,
        starts_at=local("2026-10-21", "14:00"),
    )
    appointment_set_status(appointment=cancelled, status=Appointment.Status.CANCELLED)

    page = desk_client.get(CALENDAR, {"day": "2026-10-21"})

    calendar = page.context["calendar"]
    day = datetime.date(2026, 10, 21)
    assert [s.user.username for s in calendar.therapists] == ["pt.one", "dc.two"]
    assert [r.time for r in calendar.rows][0::4] == [datetime.time(h, 0) for h in range(8, 18, 2)]
    # A 45-minute visit holds 10:00 and 10:30; 11:00 is free again.
    assert [
        cell_at(calendar, day, t, therapist).bookable for t in ("09:30", "10:00", "10:30", "11:00")
    ] == [True, False, False, True]
    assert cell_at(calendar, day, "10:00", colleague).bookable  # another therapist's diary
    # A cancelled visit is shown struck through and frees its slot.
    assert cell_at(calendar, day, "14:00", therapist).bookable
    assert "<del>" in page.text
    assert "Casey Rivera" in page.text
    assert cell_at(calendar, day, "10:00", therapist).visits == [visit]


def test_a_visit_outside_the_working_day_stretches_the_rows_and_past_slots_are_not_offered(
    desk_client, patient, therapist
):
    early = make_appointment(
        patient=patient, therapist=therapist, starts_at=local("2026-10-20", "19:15")
    )

    calendar = desk_client.get(CALENDAR, {"day": "2026-10-20"}).context["calendar"]

    times = [r.time for r in calendar.rows]
    assert (times[0], times[-1]) == (datetime.time(8, 0), datetime.time(19, 30))
    assert placed(calendar)[early.pk][1] == datetime.time(19, 0)
    day = datetime.date(2026, 10, 20)
    assert cell_at(calendar, day, "08:30", therapist).bookable
    assert not cell_at(calendar, day, "18:00", therapist).bookable  # after hours
    yesterday = desk_client.get(CALENDAR, {"day": "2026-10-19"}).context["calendar"]
    assert not any(cell.bookable for row in yesterday.rows for cell in row.cells)


def test_a_free_slot_opens_the_add_form_with_the_therapist_and_time_filled_in(
    desk_client, patient, therapist
):
    page = desk_client.get(CALENDAR, {"day": "2026-10-21", "therapist": therapist.pk})
    link = f"{ADD}?therapist={therapist.pk}&amp;starts_at_0=2026-10-21&amp;starts_at_1=10:30"
    assert link in page.text

    form_page = desk_client.get(
        ADD, {"therapist": therapist.pk, "starts_at_0": "2026-10-21", "starts_at_1": "10:30"}
    )

    form = form_page.context["adminform"].form
    assert form.initial["starts_at"] == local("2026-10-21", "10:30")
    assert 'value="2026-10-21"' in form_page.text
    assert 'value="10:30:00"' in form_page.text
    assert f'<option value="{therapist.pk}" selected>' in form_page.text
    assert "Book a weekly series instead" in form_page.text


@pytest.mark.parametrize(
    "query",
    [
        {"starts_at": "junk"},
        {"starts_at": "2026-10-21 10:30"},
        {"starts_at_0": "2026-13-45", "starts_at_1": "10:30"},
        {"starts_at_0": "9999-12-31", "starts_at_1": "23:59"},
        {"starts_at_0": "2026-10-21", "starts_at_1": "25:99"},
    ],
)
def test_a_time_in_the_add_pages_url_that_is_no_time_is_ignored(desk_client, query):
    page = desk_client.get(ADD, query)
    assert page.status_code == 200
    assert "starts_at" not in page.context["adminform"].form.initial


def test_the_therapist_filter_shows_that_clinician_only(
    desk_client, clinic, patient, therapist, colleague
):
    make_appointment(patient=patient, therapist=therapist, starts_at=local("2026-10-21", "10:00"))
    theirs = make_appointment(
        patient=make_patient(clinic=clinic, first_name="Casey"),
        therapist=colleague,
        starts_at=local("2026-10-21", "11:00"),
    )

    page = desk_client.get(CALENDAR, {"day": "2026-10-21", "therapist": colleague.pk})

    assert page.context["calendar"].therapists == [colleague]
    assert list(placed(page.context["calendar"])) == [theirs.pk]
    assert "Alex Rivera" not in page.text


@pytest.mark.parametrize("value", ["other", "abc", "-1", "99999999999999999999999", "front_desk"])
def test_a_therapist_id_not_of_the_clinics_clinicians_is_ignored_with_a_message(
    desk_client, front_desk, patient, therapist, other_therapist, other_patient, value
):
    make_appointment(
        patient=other_patient, therapist=other_therapist, starts_at=local("2026-10-21", "10:00")
    )
    given = {"other": other_therapist.pk, "front_desk": front_desk.pk}.get(value, value)

    page = desk_client.get(CALENDAR, {"day": "2026-10-21", "therapist": given})

    assert page.status_code == 200
    assert page.context["calendar"].therapists == [therapist]
    assert "No clinician of this clinic has that id" in page.text
    assert other_therapist.full_name not in page.text
    assert "Other Person" not in page.text


@pytest.mark.parametrize(
    "query",
    [
        {"day": "junk"},
        {"day": "2026-02-30"},
        {"week": "9999-12-31"},
        {"week": "0001-01-01"},
        {"day": ""},
    ],
)
def test_a_day_in_the_url_that_is_no_day_shows_today_with_a_message(desk_client, therapist, query):
    page = desk_client.get(CALENDAR, query)
    assert page.status_code == 200
    assert page.context["calendar"].first_day <= datetime.date(2026, 10, 20)
    assert "is not a day (YYYY-MM-DD)" in page.text


def test_the_links_step_a_day_or_a_week_and_keep_the_therapist(desk_client, therapist):
    day = desk_client.get(CALENDAR, {"day": "2026-10-21", "therapist": therapist.pk}).context
    assert day["previous_url"] == f"{CALENDAR}?day=2026-10-20&therapist={therapist.pk}"
    assert day["next_url"] == f"{CALENDAR}?day=2026-10-22&therapist={therapist.pk}"
    week = desk_client.get(CALENDAR, {"week": "2026-10-21"}).context
    assert week["previous_url"] == f"{CALENDAR}?week=2026-10-12"
    assert week["next_url"] == f"{CALENDAR}?week=2026-10-26"
    assert week["today_url"] == f"{CALENDAR}?week=2026-10-20"


def test_the_appointment_list_links_to_the_calendar(desk_client):
    page = desk_client.get(reverse("admin:appointments_appointment_changelist"))
    assert f'href="{CALENDAR}"' in page.text


def test_a_therapist_and_a_clinic_admin_open_it_too(client, clinic, therapist):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")
    for user in (therapist.user, admin.user):
        client.force_login(user)
        assert client.get(CALENDAR).status_code == 200


def test_every_patient_shown_is_in_the_access_log_and_no_other(
    desk_client, front_desk, clinic, patient, therapist
):
    second = make_patient(clinic=clinic, first_name="Casey")
    unseen = make_patient(clinic=clinic, first_name="Jordan")
    make_appointment(patient=patient, therapist=therapist, starts_at=local("2026-10-21", "10:00"))
    make_appointment(patient=second, therapist=therapist, starts_at=local("2026-10-21", "11:00"))
    make_appointment(patient=unseen, therapist=therapist, starts_at=local("2026-10-22", "11:00"))

    desk_client.get(CALENDAR, {"day": "2026-10-21"})

    logged = RecordAccess.objects.filter(user=front_desk.user, action=RecordAccess.Action.VIEW)
    assert set(logged.values_list("patient_id", flat=True)) == {patient.pk, second.pk}


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(CALENDAR, query).status_code == 200
    return len(ctx.captured_queries)


def test_the_calendar_reads_as_many_queries_for_fifty_visits_as_for_one(
    desk_client, clinic, therapist, colleague
):
    make_appointment(
        therapist=therapist,
        patient=make_patient(clinic=clinic),
        starts_at=local("2026-10-26", "08:00"),
    )
    one = _queries(desk_client, {"week": "2026-10-26"})
    for n in range(49):
        make_appointment(
            therapist=(therapist, colleague)[n % 2],
            patient=make_patient(clinic=clinic, first_name=f"P{n}"),
            starts_at=local("2026-10-27", "08:00")
            + datetime.timedelta(days=n // 10, minutes=60 * (n % 10)),
        )
    assert _queries(desk_client, {"week": "2026-10-26"}) == one
