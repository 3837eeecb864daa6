"""The admin's patient list marks a patient on either hold as on hold, and its filter
tells the medical hold, the referral hold and neither apart: a patient waiting for a
physician's check is not "not on hold"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patients import services
from tests.factories import make_patient

pytestmark = pytest.mark.django_db

PATIENTS = "admin:patients_patient_changelist"


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


@pytest.fixture
def three(clinic, therapist):
    """A patient on each hold and one on none."""
    medical = make_patient(clinic=clinic, last_name="Medical")
    services.red_flag_screen(patient=medical, flags={"foot_drop": True})
    referral = make_patient(clinic=clinic, last_name="Referral")
    services.red_flag_screen(
        patient=referral, flags={"unexplained_weight_loss": True}, screened_by=therapist
    )
    free = make_patient(clinic=clinic, last_name="Free")
    return medical, referral, free


def _listed(response) -> dict[str, str]:
    """Each listed patient's last name and its "hold" column."""
    changelist = response.context["cl"]
    return {p.last_name: changelist.model_admin.on_hold(p) for p in changelist.result_list}


def test_the_list_marks_a_patient_on_either_hold(therapist_client, three):
    listed = _listed(therapist_client.get(reverse(PATIENTS)))

    assert listed["Medical"].endswith("Medical hold")
    assert listed["Referral"].endswith("Referral hold")
    assert listed["Free"] == "-"


@pytest.mark.parametrize(
    ("value", "shown"),
    [("yes", {"Medical"}), ("referral", {"Referral"}), ("no", {"Free"})],
)
def test_the_hold_filter_tells_the_holds_apart(therapist_client, three, value, shown):
    response = therapist_client.get(reverse(PATIENTS), {"on_hold": value})

    assert set(_listed(response)) == shown


def test_the_hold_filter_offers_the_referral_hold(therapist_client, three):
    response = therapist_client.get(reverse(PATIENTS))

    assert "On referral hold" in response.text
