"""The occasion a questionnaire recorded in the clinic answers, as the page shows it and
as it is stored: a double submit stores one score, a due follow-up is answered as such,
a measurement nobody scheduled is labelled for what it is, and the form needs its token."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from episodes import services as episode_services
from outcomes import services
from outcomes.in_clinic import questionnaire_record_in_clinic
from outcomes.models import Occasion
from outcomes.schedule import Due
from tests.factories import answers_for, make_diagnosis
from tests.outcomes.in_clinic_pages import (
    choose_url,
    logged_in,
    posted,
    record_url,
    shown_on_page,
    stored,
    submit,
)

pytestmark = pytest.mark.django_db

DIAGNOSED_ON = datetime.date(2026, 3, 2)
DIAGNOSED = datetime.datetime(2026, 3, 2, 17, 0, tzinfo=datetime.UTC)  # noon in New York
VISIT = DIAGNOSED + datetime.timedelta(days=1)  # the baselines are due
BASELINE_ANSWERED_ON = datetime.date(2026, 3, 3)
# Day 16 after the baseline answers: the follow-up of day 14 is due.
FOLLOW_UP_VISIT = VISIT + datetime.timedelta(days=16)


@pytest.fixture
def diagnosed(patient, therapist):
    with time_machine.travel(DIAGNOSED, tick=False):
        make_diagnosis(patient=patient, diagnosed_by=therapist)
    return patient


@pytest.fixture
def at_visit():
    with time_machine.travel(VISIT, tick=False):
        yield


def test_submitting_the_form_twice_stores_one_score(therapist, diagnosed, at_visit):
    client = logged_in(therapist)
    shown = shown_on_page(client, diagnosed, "nprs")

    first = client.post(record_url(diagnosed, "nprs"), {"pain": "5"} | shown)
    again = client.post(record_url(diagnosed, "nprs"), {"pain": "5"} | shown)

    assert first.status_code == 302
    (row,) = stored(diagnosed)
    assert (row.occasion, row.due_on) == (Occasion.BASELINE, DIAGNOSED_ON)
    assert again.status_code == 200
    (error,) = again.context["form"].non_field_errors()
    assert error.startswith("Nothing was stored: since the page was opened")
    # The page now shows, and sends back, what saving again would answer.
    assert "Not due: recorded as an extra follow-up measurement dated today" in again.text
    assert again.context["shown"].initial["occasion"] == Occasion.FOLLOW_UP


def test_a_form_without_the_occasion_it_showed_stores_nothing(therapist, diagnosed, at_visit):
    response = logged_in(therapist).post(record_url(diagnosed, "nprs"), {"pain": "5"})

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("This page did not say which occasion the answers are for")
    assert stored(diagnosed) == []


def test_the_service_refuses_an_occasion_other_than_the_one_shown(therapist, diagnosed, at_visit):
    shown = Due("nprs", Occasion.FOLLOW_UP, BASELINE_ANSWERED_ON)

    with pytest.raises(ValidationError, match="Nothing was stored"):
        questionnaire_record_in_clinic(
            patient=diagnosed, code="nprs", answers={"pain": 3}, staff=therapist, expected=shown
        )
    assert stored(diagnosed) == []


def test_a_due_follow_up_is_answered_in_the_clinic(therapist, diagnosed, at_visit):
    services.questionnaire_submit(patient=diagnosed, code="odi", answers=answers_for("odi"))
    follow_up_due = BASELINE_ANSWERED_ON + datetime.timedelta(days=14)

    with time_machine.travel(FOLLOW_UP_VISIT, tick=False):
        client = logged_in(therapist)
        page = client.get(choose_url(diagnosed))
        response = submit(client, diagnosed, "odi", answers_for("odi"))

    assert f"Due: answers the follow-up due {follow_up_due:%Y-%m-%d}." in page.text
    assert response.status_code == 302
    _, in_clinic = stored(diagnosed)
    assert (in_clinic.occasion, in_clinic.due_on) == (Occasion.FOLLOW_UP, follow_up_due)
    assert in_clinic.entered_by == therapist


def test_a_repeat_start_back_is_a_baseline_screening_not_a_follow_up(
    therapist, diagnosed, at_visit
):
    services.questionnaire_submit(
        patient=diagnosed, code="startback", answers=answers_for("startback")
    )
    client = logged_in(therapist)

    page = client.get(choose_url(diagnosed))
    submit(client, diagnosed, "startback", answers_for("startback"))

    assert "extra baseline measurement dated today (2026-03-03): a repeat screening" in page.text
    _, repeat = stored(diagnosed)
    assert (repeat.occasion, repeat.due_on) == (Occasion.BASELINE, VISIT.date())


def test_a_discharged_patients_extra_measurement_is_a_discharge_one(therapist, diagnosed, at_visit):
    episode_services.patient_discharge(patient=diagnosed, actor=therapist.user)
    services.questionnaire_submit(patient=diagnosed, code="nprs", answers={"pain": 2})
    client = logged_in(therapist)

    page = client.get(choose_url(diagnosed))
    submit(client, diagnosed, "nprs", {"pain": 1})

    assert "extra discharge measurement dated today (2026-03-03): the patient is" in page.text
    _, extra = stored(diagnosed)
    assert (extra.occasion, extra.due_on) == (Occasion.DISCHARGE, VISIT.date())


def test_each_item_is_a_group_named_by_its_question(therapist, diagnosed):
    page = logged_in(therapist).get(record_url(diagnosed, "nprs"))

    assert page.text.count("<fieldset") == 1
    assert "<legend><strong>" in page.text


def test_saving_without_the_csrf_token_is_refused(therapist, diagnosed, at_visit):
    client = logged_in(therapist, enforce_csrf_checks=True)
    shown = shown_on_page(client, diagnosed, "nprs")

    response = client.post(record_url(diagnosed, "nprs"), posted({"pain": 4}) | shown)

    assert response.status_code == 403
    assert stored(diagnosed) == []
