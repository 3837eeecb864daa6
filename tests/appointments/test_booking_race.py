"""Two desks booking the same patient at the same moment: one booking, one refusal.

Real PostgreSQL transactions in two threads. The first booking holds its transaction
open; the second must wait for it (the patient row lock) and then see it, instead of
passing the overlap check on a diary that does not show the first booking yet."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from appointments.models import Appointment
from appointments.services import appointment_book
from practice.models import Clinic, Role
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10  # seconds; a broken lock fails the test instead of hanging it


def test_two_simultaneous_bookings_of_one_patient_with_two_therapists_make_one(
    clinic: Clinic,
) -> None:
    patient = make_patient(clinic=clinic)
    first_therapist = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST)
    second_therapist = make_staff(clinic=clinic, role=Role.CHIROPRACTOR)
    starts_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    first_booked = threading.Event()
    second_started = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                appointment_book(patient=patient, therapist=first_therapist, starts_at=starts_at)
                first_booked.set()
                # Keep the transaction open while the second desk tries; without the
                # lock it would not wait and would not see this uncommitted row.
                second_started.wait(WAIT)
                threading.Event().wait(0.5)
            outcome["first"] = "booked"
        finally:
            connection.close()

    def second() -> None:
        try:
            assert first_booked.wait(WAIT)
            second_started.set()
            appointment_book(patient=patient, therapist=second_therapist, starts_at=starts_at)
            outcome["second"] = "booked"
        except ValidationError as exc:
            outcome["second"] = exc.message_dict["starts_at"][0]
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
        assert not thread.is_alive()

    assert outcome["first"] == "booked"
    assert str(outcome["second"]).startswith("Alex Rivera already has an appointment from")
    assert Appointment.objects.filter(patient=patient).count() == 1
