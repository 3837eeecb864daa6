"""A patient's app login closes when the record is archived and opens again only when it
leaves "archived"; any other status change leaves it as it is, and each change is kept
with who made it."""

from __future__ import annotations

import pytest
from django.test import Client

from patients.services import patient_set_status
from practice.logins import user_set_active
from practice.models import LoginAccessChange, Role, User
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db


def can_log_in(user: User) -> bool:
    return User.objects.get(pk=user.pk).is_active


def changes(user: User) -> list[tuple[bool, int | None, str]]:
    rows = LoginAccessChange.objects.filter(user=user).order_by("pk")
    return [(row.active, row.changed_by_id, row.reason) for row in rows]


@pytest.mark.parametrize("status", ["discharged", "active"])
def test_a_login_closed_for_a_lost_phone_stays_closed_through_a_status_change(
    status, clinic, patient, patient_user, therapist
):
    admin = make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="clinic.admin").user
    user_set_active(user_id=patient_user.pk, active=False, actor=admin, reason="Phone lost.")

    patient_set_status(patient=patient, status=status, actor=therapist.user)

    assert not can_log_in(patient_user)
    assert changes(patient_user) == [(False, admin.pk, "Phone lost.")]


def test_archiving_closes_the_login_and_keeps_who_did_it(patient, patient_user, therapist):
    patient_set_status(patient=patient, status="archived", actor=therapist.user)

    assert not can_log_in(patient_user)
    assert changes(patient_user) == [
        (False, therapist.user.pk, "Patient status active -> archived.")
    ]


@pytest.mark.parametrize("status", ["active", "discharged"])
def test_leaving_archived_opens_the_login_again_and_keeps_who_did_it(
    status, patient, patient_user, therapist, front_desk
):
    patient_set_status(patient=patient, status="archived", actor=therapist.user)

    patient_set_status(patient=patient, status=status, actor=front_desk.user)

    assert can_log_in(patient_user)
    assert changes(patient_user)[-1] == (
        True,
        front_desk.user.pk,
        f"Patient status archived -> {status}.",
    )


def test_a_status_change_that_leaves_the_login_as_it_was_records_no_change(
    patient, patient_user, therapist
):
    patient_set_status(patient=patient, status="discharged", actor=therapist.user)
    patient_set_status(patient=patient, status="active", actor=therapist.user)

    assert can_log_in(patient_user)
    assert changes(patient_user) == []


def test_asking_for_the_state_a_login_is_already_in_records_nothing(patient_user, therapist):
    assert not user_set_active(
        user_id=patient_user.pk, active=True, actor=therapist.user, reason="No change."
    )

    assert changes(patient_user) == []


def test_the_operator_sees_who_closed_a_login_on_the_account_page(patient, patient_user, therapist):
    patient_set_status(patient=patient, status="archived", actor=therapist.user)
    operator = make_user(username="operator", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(operator)

    page = admin.get(f"/admin/practice/user/{patient_user.pk}/change/")

    assert page.status_code == 200
    shown = page.content.decode()
    assert "Patient status active -&gt; archived." in shown
    assert therapist.user.username in shown
