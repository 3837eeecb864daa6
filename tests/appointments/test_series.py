"""A weekly series: booked whole or not at all, every week at the same clinic-local time
(across the change of daylight saving time), every clash named before anything is
written."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments.models import Appointment
from appointments.series import appointment_series_book, appointment_series_cancel_rest
from audit.models import RecordAccess
from practice.models import Role
from tests.factories import make_patient, make_staff
from tests.factories.appointments import make_appointment

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime.datetime(2026, 10, 15, 12, 0, tzinfo=datetime.UTC)
# A Tuesday, 10:00 in New York; the clocks go back on Sunday 2026-11-01.
FIRST = datetime.datetime(2026, 10, 20, 10, 0, tzinfo=NEW_YORK)
SERIES = reverse("admin:appointments_appointment_series")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def book(patient, therapist, weeks=6, first=FIRST, **kwargs):
    return appointment_series_book(
        patient=patient,
        therapist=therapist,
        first_starts_at=first,
        weeks=weeks,
        duration_minutes=kwargs.pop("duration_minutes", 45),
        kind=kwargs.pop("kind", Appointment.Kind.FOLLOW_UP),
        notes=kwargs.pop("notes", ""),
        actor=kwargs.pop("actor", None),
    )


def test_six_weeks_keep_the_local_hour_across_the_november_change(patient, therapist):
    booked = book(patient, therapist, actor=therapist.user)

    stored = list(Appointment.objects.filter(patient=patient).order_by("starts_at"))
    assert stored == booked
    assert [a.starts_at.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M") for a in stored] == [
        "Tue 2026-10-20 10:00",
        "Tue 2026-10-27 10:00",
        "Tue 2026-11-03 10:00",
        "Tue 2026-11-10 10:00",
        "Tue 2026-11-17 10:00",
        "Tue 2026-11-24 10:00",
    ]
    assert [a.starts_at.astimezone(datetime.UTC).hour for a in stored] == [14, 14, 15, 15, 15, 15]
    assert len({a.series for a in stored}) == 1
    assert stored[0].series is not None
    assert {a.history.first().history_user for a in stored} == {therapist.user}


def test_a_clash_in_week_four_refuses_the_whole_series_and_names_its_date(
    clinic, patient, therapist
):
    other = make_patient(clinic=clinic, first_name="Casey")
    make_appointment(
        patient=other,
        therapist=therapist,
        starts_at=FIRST + datetime.timedelta(days=21, minutes=30),
    )

    with pytest.raises(ValidationError) as exc:
        book(patient, therapist)

    assert exc.value.message_dict == {
        "first_starts_at": [
            "The series clashes; nothing was booked.",
            "Week 4 (2026-11-10): Sam One, PT, DPT is already booked from 10:30 to 11:15.",
        ]
    }
    assert not Appointment.objects.filter(patient=patient).exists()


def test_every_clashing_week_is_named_the_patients_own_visits_too(clinic, patient, therapist):
    colleague = make_staff(clinic=clinic, role=Role.CHIROPRACTOR, username="dc.two")
    make_appointment(
        patient=patient, therapist=colleague, starts_at=FIRST + datetime.timedelta(days=7)
    )
    make_appointment(
        patient=make_patient(clinic=clinic, first_name="Casey"),
        therapist=therapist,
        starts_at=FIRST + datetime.timedelta(days=35, minutes=-30),
    )

    with pytest.raises(ValidationError) as exc:
        book(patient, therapist)

    assert exc.value.message_dict["first_starts_at"][1:] == [
        "Week 2 (2026-10-27): Alex Rivera already has a visit with Sam Two from 10:00 to 10:45.",
        "Week 6 (2026-11-24): Sam One, PT, DPT is already booked from 09:30 to 10:15.",
    ]
    assert Appointment.objects.count() == 2


def test_a_cancelled_visit_is_no_clash(clinic, patient, therapist):
    freed = make_appointment(
        patient=make_patient(clinic=clinic),
        therapist=therapist,
        starts_at=FIRST + datetime.timedelta(days=14),
    )
    freed.status = Appointment.Status.CANCELLED
    freed.save()
    assert len(book(patient, therapist, weeks=3)) == 3


@pytest.mark.parametrize("weeks", [1, 27, 0, -3, True])
def test_a_series_of_fewer_than_2_or_more_than_26_weeks_is_refused(patient, therapist, weeks):
    with pytest.raises(ValidationError) as exc:
        book(patient, therapist, weeks=weeks)
    assert exc.value.message_dict == {"weeks": ["Book a series of 2 to 26 weeks."]}
    assert not Appointment.objects.exists()


def test_26_weeks_are_booked(patient, therapist):
    assert len(book(patient, therapist, weeks=26)) == 26


def test_another_clinics_therapist_is_refused_before_their_diary_is_read(
    patient, other_therapist, other_patient
):
    make_appointment(patient=other_patient, therapist=other_therapist, starts_at=FIRST)
    with pytest.raises(ValidationError) as exc:
        book(patient, other_therapist)
    assert exc.value.message_dict == {"therapist": ["Not found in this clinic."]}


def test_a_rule_of_single_booking_refuses_the_series_too(patient, therapist):
    with pytest.raises(ValidationError, match="cannot start in the past"):
        book(patient, therapist, first=NOW - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        book(patient, therapist, first=datetime.datetime(2099, 12, 1, 10, 0, tzinfo=NEW_YORK))
    assert exc.value.message_dict["first_starts_at"] == [
        "2100-01-05: Choose a time between the years 2000 and 2099."
    ]
    assert not Appointment.objects.exists()


# The admin's "Book a series" page.


@pytest.fixture
def desk_client(client, front_desk):
    client.force_login(front_desk.user)
    return client


def _form(patient, therapist, first=FIRST, weeks=6) -> dict:
    return {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "first_starts_at_0": first.strftime("%Y-%m-%d"),
        "first_starts_at_1": first.strftime("%H:%M:%S"),
        "weeks": weeks,
        "duration_minutes": 45,
        "kind": "follow_up",
        "notes": "",
    }


def test_the_front_desk_books_a_series_from_a_calendar_slot(
    desk_client, front_desk, patient, therapist
):
    page = desk_client.get(
        SERIES,
        {
            "patient": patient.pk,
            "therapist": therapist.pk,
            "starts_at_0": "2026-10-20",
            "starts_at_1": "10:00",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].initial == {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "first_starts_at": FIRST,
    }

    response = desk_client.post(SERIES, _form(patient, therapist))

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:appointments_appointment_calendar")
        + f"?week=2026-10-20&therapist={therapist.pk}"
    )
    assert Appointment.objects.filter(patient=patient).count() == 6
    assert RecordAccess.objects.filter(
        patient_id=patient.pk, user=front_desk.user, action=RecordAccess.Action.CHANGE
    ).exists()


def test_the_series_page_shows_each_clashing_date_and_books_nothing(
    desk_client, clinic, patient, therapist
):
    make_appointment(
        patient=make_patient(clinic=clinic, first_name="Casey"),
        therapist=therapist,
        starts_at=FIRST + datetime.timedelta(days=21),
    )
    page = desk_client.post(SERIES, _form(patient, therapist))
    assert page.status_code == 200
    assert "Week 4 (2026-11-10)" in page.text
    assert not Appointment.objects.filter(patient=patient).exists()


@pytest.mark.parametrize("weeks", ["1", "27", "six"])
def test_a_number_of_weeks_out_of_range_is_a_form_error(desk_client, patient, therapist, weeks):
    page = desk_client.post(SERIES, {**_form(patient, therapist), "weeks": weeks})
    assert page.status_code == 200
    assert "weeks" in page.context["form"].errors
    assert not Appointment.objects.exists()


def test_another_clinics_patient_or_therapist_is_not_offered(
    desk_client, patient, other_patient, other_therapist
):
    page = desk_client.post(SERIES, _form(other_patient, other_therapist))
    assert set(page.context["form"].errors) == {"patient", "therapist"}
    form = page.context["form"]
    assert other_patient not in form.fields["patient"].queryset
    assert other_therapist not in form.fields["therapist"].queryset
    assert not Appointment.objects.exists()


def test_the_add_page_offers_the_series_with_what_it_knows(desk_client, patient):
    page = desk_client.get(reverse("admin:appointments_appointment_add"), {"patient": patient.pk})
    assert f'href="{SERIES}?patient={patient.pk}"' in page.text


def test_a_role_that_cannot_book_is_told_why(client, clinic):
    user = make_staff(clinic=clinic, role=Role.FRONT_DESK, username="desk.two").user
    user.groups.clear()
    client.force_login(user)
    for url in (SERIES, reverse("admin:appointments_appointment_calendar")):
        page = client.get(url)
        assert page.status_code == 403
        assert "Your role cannot" in page.text
        assert 'href="/admin/"' in page.text


# Cancelling the rest of a series.


def test_cancelling_the_rest_of_a_series_leaves_the_earlier_visits_and_other_bookings(
    desk_client, clinic, patient, therapist
):
    booked = book(patient, therapist, weeks=4)
    # The patient's own visit after the cancelled ones, booked on its own.
    single = make_appointment(
        patient=patient, therapist=therapist, starts_at=FIRST + datetime.timedelta(days=30)
    )

    response = desk_client.post(
        reverse("admin:appointments_appointment_changelist"),
        {"action": "cancel_rest_of_series", "_selected_action": [booked[2].pk]},
        follow=True,
    )

    assert "Cancelled the rest of the series of 1 selected visit(s)." in response.text
    statuses = [a.status for a in Appointment.objects.filter(series=booked[0].series)]
    assert statuses == ["scheduled", "scheduled", "cancelled", "cancelled"]
    single.refresh_from_db()
    assert single.status == Appointment.Status.SCHEDULED


def test_a_visit_of_no_series_has_no_rest_to_cancel(desk_client, patient, therapist):
    single = make_appointment(patient=patient, therapist=therapist, starts_at=FIRST)
    response = desk_client.post(
        reverse("admin:appointments_appointment_changelist"),
        {"action": "cancel_rest_of_series", "_selected_action": [single.pk]},
        follow=True,
    )
    assert "This visit was not booked as part of a series." in response.text
    single.refresh_from_db()
    assert single.status == Appointment.Status.SCHEDULED


def test_a_clinician_opening_the_series_page_is_its_therapist(client, therapist):
    client.force_login(therapist.user)
    assert client.get(SERIES).context["form"].initial == {"therapist": therapist.pk}


# The ends of the calendar.

END_OF_CALENDAR = datetime.datetime(9999, 12, 17, 23, 30, tzinfo=NEW_YORK)


def test_a_series_running_past_the_calendars_end_is_refused_on_its_first_visit(patient, therapist):
    with pytest.raises(ValidationError) as exc:
        book(patient, therapist, weeks=3, first=END_OF_CALENDAR)
    assert exc.value.message_dict == {
        "first_starts_at": ["Choose a time between the years 2000 and 2099."]
    }
    assert not Appointment.objects.exists()


def test_a_series_whose_last_visit_ends_after_2099_names_that_visits_date(patient, therapist):
    # The third visit starts at 23:30 New York on 2099-12-31: 04:30 UTC in 2100.
    first = datetime.datetime(2099, 12, 17, 18, 30, tzinfo=NEW_YORK)
    with pytest.raises(ValidationError) as exc:
        book(patient, therapist, weeks=3, first=first)
    assert exc.value.message_dict == {
        "first_starts_at": ["2099-12-31: Choose a time between the years 2000 and 2099."]
    }
    assert not Appointment.objects.exists()


def test_the_series_page_refuses_a_series_past_the_calendars_end_as_a_form_error(
    desk_client, patient, therapist
):
    page = desk_client.post(SERIES, _form(patient, therapist, first=END_OF_CALENDAR, weeks=3))
    assert page.status_code == 200
    assert page.context["form"].errors["first_starts_at"] == [
        "Choose a time between the years 2000 and 2099."
    ]
    assert not Appointment.objects.exists()


def test_cancelling_the_rest_leaves_visits_already_started_and_says_why(patient, therapist):
    booked = book(patient, therapist, weeks=4)
    # Week 2's visit is under way, still marked scheduled; weeks 3 and 4 are to come.
    with time_machine.travel(booked[1].starts_at + datetime.timedelta(minutes=10), tick=False):
        cancelled = appointment_series_cancel_rest(appointment=booked[0], actor=therapist.user)

    assert [a.pk for a in cancelled] == [booked[2].pk, booked[3].pk]
    stored = list(Appointment.objects.filter(series=booked[0].series).order_by("starts_at"))
    assert [a.status for a in stored] == ["scheduled", "scheduled", "cancelled", "cancelled"]
    assert [a.cancellation_reason for a in stored] == [
        "",
        "",
        "Rest of the series cancelled.",
        "Rest of the series cancelled.",
    ]
    assert {a.history.first().history_user for a in stored[2:]} == {therapist.user}
