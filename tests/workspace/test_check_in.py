"""Check-in, attended and no-show: the services and the Today page's buttons."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments import arrivals
from appointments.models import Appointment
from appointments.services import appointment_set_status
from audit.models import RecordAccess
from tests.factories import make_appointment

from .clinic_day import NOW, at, signed_in

pytestmark = pytest.mark.django_db

TOMORROW = datetime.date(2026, 12, 3)


def _action(appointment: Appointment | int | str, action: str) -> str:
    pk = appointment.pk if isinstance(appointment, Appointment) else appointment
    return reverse("admin:today_appointment_action", args=[pk, action])


def _messages(response) -> list[str]:
    """The messages the Today page showed after the redirect (`follow=True`)."""
    return [str(m) for m in response.context["messages"]]


# The service.


def test_a_booked_visit_of_today_is_checked_in_once(clock, patient, therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    clock.move_to(NOW)

    arrivals.appointment_check_in(appointment=visit, actor=therapist.user)
    visit.refresh_from_db()

    assert visit.checked_in_at == NOW
    assert visit.status == Appointment.Status.SCHEDULED  # attended comes later
    assert visit.history.first().history_user == therapist.user
    with pytest.raises(ValidationError, match="already checked in at 10:00"):
        arrivals.appointment_check_in(appointment=visit, actor=therapist.user)


def test_tomorrows_visit_cannot_be_checked_in_today(clock, patient, therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(9, day=TOMORROW))

    with pytest.raises(ValidationError, match="Only today's visit"):
        arrivals.appointment_check_in(appointment=visit, actor=therapist.user)
    visit.refresh_from_db()
    assert visit.checked_in_at is None


def test_today_is_the_clinics_date_not_the_servers(patient, therapist):
    # 22:30 in New York is 03:30 UTC the next day: the evening's visit is still today's,
    # and the next morning's is tomorrow's, though its UTC date is the server's today.
    with time_machine.travel(at(21), tick=False) as clock:
        evening = make_appointment(patient=patient, therapist=therapist, starts_at=at(22, 15))
        morning = make_appointment(
            patient=patient, therapist=therapist, starts_at=at(9, day=TOMORROW)
        )
        clock.move_to(at(22, 30))

        arrivals.appointment_check_in(appointment=evening, actor=therapist.user)
        with pytest.raises(ValidationError, match="this one is on 2026-12-03"):
            arrivals.appointment_check_in(appointment=morning, actor=therapist.user)


@pytest.mark.parametrize("outcome", ["cancelled", "attended", "no_show"])
def test_a_visit_no_longer_booked_cannot_be_checked_in(clock, patient, therapist, outcome):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(9))
    clock.move_to(NOW)
    appointment_set_status(appointment=visit, status=outcome, actor=therapist.user)

    with pytest.raises(ValidationError, match="appointment cannot be checked in"):
        arrivals.appointment_check_in(appointment=visit, actor=therapist.user)


def test_a_checked_in_patient_is_not_a_no_show(clock, patient, therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(9))
    clock.move_to(NOW)
    arrivals.appointment_check_in(appointment=visit, actor=therapist.user)

    with pytest.raises(ValidationError, match="The patient checked in: mark the visit attended"):
        appointment_set_status(appointment=visit, status="no_show", actor=therapist.user)
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.SCHEDULED


def test_a_missed_visit_is_a_no_show_once_it_has_started(clock, patient, therapist):
    later = make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    missed = make_appointment(patient=patient, therapist=therapist, starts_at=at(8))
    clock.move_to(NOW)

    appointment_set_status(appointment=missed, status="no_show", actor=therapist.user)
    with pytest.raises(ValidationError, match="only once it has started"):
        appointment_set_status(appointment=later, status="no_show", actor=therapist.user)
    missed.refresh_from_db()
    assert missed.status == Appointment.Status.NO_SHOW


def test_staff_of_another_clinic_cannot_check_in(clock, patient, therapist, other_therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(11))

    with pytest.raises(ValidationError, match="Not found in this clinic"):
        arrivals.appointment_check_in(appointment=visit, actor=other_therapist.user)


# The page's buttons.


def test_the_front_desk_checks_a_patient_in_from_the_today_page(
    clock, patient, therapist, front_desk
):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    clock.move_to(NOW)
    client = signed_in(front_desk.user)

    page = client.get("/admin/")
    assert _action(visit, "check-in") in page.text
    assert _action(visit, "attended") not in page.text  # not started yet
    response = client.post(_action(visit, "check-in"), {"scope": "clinic"}, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    visit.refresh_from_db()
    assert visit.checked_in_at == NOW
    assert _messages(response) == [f"{patient.full_name} (11:00) checked in."]
    change = RecordAccess.objects.filter(user=front_desk.user, action="change")
    assert list(change.values_list("patient_id", flat=True)) == [patient.pk]
    page = client.get("/admin/").text
    assert _action(visit, "check-in") not in page
    assert "<td>10:00</td>" in page  # when, on the clinic's clock


def test_a_therapist_marks_a_started_visit_attended_and_keeps_the_clinic_view(
    clock, patient, therapist
):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(9, 30))
    clock.move_to(NOW)
    client = signed_in(therapist.user)
    page = client.get("/admin/").text
    assert _action(visit, "attended") in page
    assert _action(visit, "no-show") in page

    response = client.post(_action(visit, "attended"), {"scope": "clinic"}, follow=True)

    assert response.redirect_chain == [("/admin/?scope=clinic", 302)]
    assert response.context["today"].scope == "clinic"
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.ATTENDED
    assert _messages(response) == [f"{patient.full_name} (09:30) marked attended."]
    page = client.get("/admin/").text
    assert _action(visit, "attended") not in page


def test_a_no_show_is_marked_from_the_page(clock, patient, therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(8))
    clock.move_to(NOW)

    response = signed_in(therapist.user).post(_action(visit, "no-show"), follow=True)

    visit.refresh_from_db()
    assert visit.status == Appointment.Status.NO_SHOW
    assert _messages(response) == [f"{patient.full_name} (08:00) marked a no-show."]


def test_a_refused_action_is_a_message_on_the_page(clock, patient, therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    clock.move_to(NOW)
    client = signed_in(therapist.user)

    early = client.post(_action(visit, "attended"), follow=True)
    client.post(_action(visit, "check-in"), follow=True)
    twice = client.post(_action(visit, "check-in"), follow=True)

    assert early.status_code == twice.status_code == 200  # the Today page, with why
    assert "can be marked attended only once it has started" in _messages(early)[0]
    assert "already checked in at 10:00" in _messages(twice)[0]
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.SCHEDULED
    # Only the check-in that went through changed the record.
    assert RecordAccess.objects.filter(action="change").count() == 1


def test_another_clinics_or_a_made_up_appointment_is_refused_with_a_message(
    clock, therapist, other_therapist, other_patient
):
    foreign = make_appointment(patient=other_patient, therapist=other_therapist, starts_at=at(11))
    clock.move_to(NOW)
    client = signed_in(therapist.user)

    for target in (foreign.pk, "abc", 2**70, 0):
        response = client.post(_action(target, "check-in"), follow=True)
        assert response.redirect_chain == [("/admin/", 302)], target
        assert _messages(response) == ["That appointment is not one of this clinic's."]
    foreign.refresh_from_db()
    assert foreign.checked_in_at is None


def test_the_buttons_answer_only_posts_and_known_actions(clock, patient, therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    clock.move_to(NOW)
    client = signed_in(therapist.user)

    assert client.get(_action(visit, "check-in")).status_code == 405
    assert client.post(_action(visit, "cancel")).status_code == 404
    visit.refresh_from_db()
    assert visit.checked_in_at is None
    assert visit.status == Appointment.Status.SCHEDULED


def test_a_user_with_no_clinic_has_no_buttons(clock, patient, therapist):
    visit = make_appointment(patient=patient, therapist=therapist, starts_at=at(11))
    operator = get_user_model().objects.create_superuser(username="root", password="x" * 20)
    clock.move_to(NOW)

    response = signed_in(operator).post(_action(visit, "check-in"))

    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.checked_in_at is None
