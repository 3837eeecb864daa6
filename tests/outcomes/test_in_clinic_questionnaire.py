"""A clinician records an ODI, NPRS, RMDQ or STarT Back in the clinic on the patient's
behalf: the instrument's items and options, the app's scoring, the occasion it answers,
who entered it, the refusals, and the access log."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import RecordAccess
from core.localtime import local_today, patient_zone
from episodes import services as episode_services
from outcomes import instruments, services
from outcomes.in_clinic import questionnaire_record_in_clinic
from outcomes.models import Occasion
from practice.models import Role
from tests.factories import answers_for, make_diagnosis, make_patient, make_staff
from tests.outcomes.in_clinic_pages import (
    choose_url,
    logged_in,
    record_url,
    shown_on_page,
    stored,
    submit,
)

pytestmark = pytest.mark.django_db

CODES = ["odi", "nprs", "rmdq", "startback"]
DIAGNOSED_ON = datetime.date(2026, 3, 2)
DIAGNOSED = datetime.datetime(2026, 3, 2, 17, 0, tzinfo=datetime.UTC)  # noon in New York
# A day after the diagnosis: the baseline questionnaires are due.
VISIT = DIAGNOSED + datetime.timedelta(days=1)


def diagnose(patient, therapist):
    with time_machine.travel(DIAGNOSED, tick=False):
        make_diagnosis(patient=patient, diagnosed_by=therapist)
    return patient


@pytest.fixture
def diagnosed(patient, therapist):
    return diagnose(patient, therapist)


@pytest.fixture
def at_visit():
    with time_machine.travel(VISIT, tick=False):
        yield


# ---------------------------------------------------------------- the pages


def test_the_patient_page_links_a_clinician_to_the_questionnaires(therapist, patient):
    page = logged_in(therapist).get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert f'<a href="{choose_url(patient)}">Record questionnaire</a>' in page.text


def test_the_choice_page_lists_the_four_and_what_each_answers(therapist, diagnosed, at_visit):
    page = logged_in(therapist).get(choose_url(diagnosed))

    assert page.status_code == 200
    for code in CODES:
        assert f'href="{record_url(diagnosed, code)}"' in page.text
        assert instruments.INSTRUMENTS[code].title in page.text
    assert page.text.count("Due: answers the baseline due 2026-03-02.") == 4


@pytest.mark.parametrize("code", CODES)
def test_each_page_shows_the_instruments_items_and_options(therapist, diagnosed, code):
    instrument = instruments.INSTRUMENTS[code]

    page = logged_in(therapist).get(record_url(diagnosed, code))

    assert page.status_code == 200
    assert instrument.instructions in page.text
    for item in instrument.items:
        assert item.text in page.text.replace("&#x27;", "'")
        for option in item.options:
            assert f'name="{item.key}" value="{option.value}"' in page.text


# ---------------------------------------------------------------- recording


@pytest.mark.parametrize("code", CODES)
def test_recording_scores_as_the_app_does_and_names_who_entered_it(
    therapist, diagnosed, clinic, at_visit, code
):
    in_app = diagnose(make_patient(clinic=clinic, first_name="Appuser"), therapist)
    app = services.questionnaire_submit(patient=in_app, code=code, answers=answers_for(code))

    response = submit(logged_in(therapist), diagnosed, code, answers_for(code))

    assert response.status_code == 302
    assert response.url == reverse("admin:patients_patient_change", args=[diagnosed.pk])
    (clinic_row,) = stored(diagnosed)
    assert (clinic_row.score, clinic_row.band, clinic_row.subscale) == (
        app.score,
        app.band,
        app.subscale,
    )
    assert clinic_row.answers == app.answers
    assert (clinic_row.instrument_version, clinic_row.language) == (
        app.instrument_version,
        app.language,
    )
    assert clinic_row.entered_by == therapist
    assert app.entered_by is None
    assert clinic_row.history.first().history_user == therapist.user
    # A due questionnaire: the same occasion and date as the app's answer.
    assert (clinic_row.occasion, clinic_row.due_on) == (Occasion.BASELINE, DIAGNOSED_ON)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(f"{clinic_row.get_code_display()} recorded for ")
    assert f"score {app.score}" in message


def test_an_odi_with_sections_skipped_is_prorated_as_in_the_app(therapist, diagnosed, at_visit):
    answers = answers_for("odi") | {"sex_life": None, "travelling": None}

    submit(logged_in(therapist), diagnosed, "odi", answers)

    (row,) = stored(diagnosed)
    expected = instruments.ODI.score(instruments.ODI.clean(answers))
    assert row.score == expected.score
    assert row.answers["sex_life"] is None


def test_one_not_due_is_a_follow_up_dated_today(therapist, diagnosed, at_visit):
    services.questionnaire_submit(patient=diagnosed, code="nprs", answers={"pain": 7})

    submit(logged_in(therapist), diagnosed, "nprs", {"pain": 4})

    app, in_clinic = stored(diagnosed)
    today = local_today(patient_zone(diagnosed))
    assert (in_clinic.occasion, in_clinic.due_on) == (Occasion.FOLLOW_UP, today)
    assert in_clinic.score == 4
    assert app.occasion == Occasion.BASELINE


def test_the_first_answer_of_a_patient_with_nothing_due_is_their_baseline(therapist, patient):
    page = logged_in(therapist).get(choose_url(patient))
    assert "Not due: recorded as an extra baseline measurement dated today" in page.text

    submit(logged_in(therapist), patient, "nprs", {"pain": 6})

    (row,) = stored(patient)
    assert (row.occasion, row.due_on) == (Occasion.BASELINE, local_today(patient_zone(patient)))


def test_a_discharged_patient_answers_their_discharge_questionnaire(therapist, diagnosed):
    episode_services.patient_discharge(patient=diagnosed, actor=therapist.user)

    submit(logged_in(therapist), diagnosed, "odi", answers_for("odi"))

    (row,) = stored(diagnosed)
    assert row.occasion == Occasion.DISCHARGE


# ---------------------------------------------------------------- refusals


def test_too_many_skipped_sections_are_form_errors_and_store_nothing(therapist, diagnosed):
    answers = {key: 1 for key in ("pain_intensity", "personal_care", "lifting", "walking")}
    answers |= {key: 1 for key in ("sitting", "standing", "sleeping")}

    response = submit(logged_in(therapist), diagnosed, "odi", answers)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"sex_life", "social_life", "travelling"}
    assert "at most 2 of the 10 sections may be left out" in errors["travelling"][0]
    assert stored(diagnosed) == []


def test_an_option_no_item_has_is_a_form_error_and_stores_nothing(therapist, diagnosed):
    response = submit(logged_in(therapist), diagnosed, "nprs", {"pain": 11})

    assert response.status_code == 200
    assert response.context["form"].errors["pain"]
    assert stored(diagnosed) == []


def test_an_archived_patient_is_not_offered_and_the_pages_say_why(therapist, diagnosed):
    episode_services.patient_archive(patient=diagnosed, actor=therapist.user)
    client = logged_in(therapist)
    reason = f"{diagnosed.full_name} is archived: no questionnaire is recorded for them."

    patient_page = client.get(reverse("admin:patients_patient_change", args=[diagnosed.pk]))
    pages = [
        client.get(choose_url(diagnosed)),
        client.get(record_url(diagnosed, "nprs")),
        client.post(record_url(diagnosed, "nprs"), {"pain": "3"}),
    ]

    assert choose_url(diagnosed) not in patient_page.text
    for page in pages:
        assert page.status_code == 200
        assert reason in page.text
        assert 'value="Score and save"' not in page.text
        assert record_url(diagnosed, "odi") not in page.text
    assert stored(diagnosed) == []


def test_the_service_refuses_an_archived_patient_with_the_reason(therapist, diagnosed):
    episode_services.patient_archive(patient=diagnosed, actor=therapist.user)
    with pytest.raises(ValidationError, match="is archived: no questionnaire is recorded"):
        questionnaire_record_in_clinic(
            patient=diagnosed, code="nprs", answers={"pain": 3}, staff=therapist
        )
    assert stored(diagnosed) == []


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_a_role_that_is_no_clinician_is_not_offered_and_is_refused_with_the_reason(
    clinic, diagnosed, role
):
    client = logged_in(make_staff(clinic=clinic, role=role))

    page = client.get(reverse("admin:patients_patient_change", args=[diagnosed.pk]))
    refused = [
        client.get(choose_url(diagnosed)),
        client.post(record_url(diagnosed, "nprs"), {"pain": "3"}),
    ]

    assert choose_url(diagnosed) not in page.text
    for response in refused:
        assert response.status_code == 403
        assert "Only a clinician records questionnaires in the clinic." in response.text
    assert stored(diagnosed) == []


def test_the_service_refuses_a_staff_member_who_is_no_clinician(clinic, diagnosed):
    desk = make_staff(clinic=clinic, role=Role.FRONT_DESK)
    with pytest.raises(ValidationError, match="only a clinician records questionnaires"):
        questionnaire_record_in_clinic(
            patient=diagnosed, code="nprs", answers={"pain": 3}, staff=desk
        )
    assert stored(diagnosed) == []


def test_the_service_refuses_a_clinician_of_another_clinic(other_therapist, diagnosed):
    with pytest.raises(ValidationError, match="Not found in this clinic"):
        questionnaire_record_in_clinic(
            patient=diagnosed, code="nprs", answers={"pain": 3}, staff=other_therapist
        )
    assert stored(diagnosed) == []


def test_another_clinics_patient_and_an_unknown_questionnaire_are_404s(
    other_therapist, therapist, diagnosed
):
    theirs = logged_in(other_therapist)
    assert theirs.get(choose_url(diagnosed)).status_code == 404
    assert theirs.post(record_url(diagnosed, "nprs"), {"pain": "3"}).status_code == 404
    ours = logged_in(therapist)
    assert ours.get(record_url(diagnosed, "sf36")).status_code == 404
    bad_id = "/admin/outcomes/questionnaireresponse/record/99999999999999999999/"
    assert ours.get(bad_id).status_code == 404
    assert stored(diagnosed) == []
    assert not RecordAccess.objects.filter(patient_id=diagnosed.pk, user=other_therapist.user)


# ---------------------------------------------------------------- reading and the log


def test_the_response_list_and_page_say_who_entered_it(therapist, diagnosed, at_visit):
    services.questionnaire_submit(patient=diagnosed, code="nprs", answers={"pain": 7})
    client = logged_in(therapist)
    submit(client, diagnosed, "odi", answers_for("odi"))
    app_row, clinic_row = stored(diagnosed)

    listing = client.get(reverse("admin:outcomes_questionnaireresponse_changelist"))
    in_clinic = client.get(
        reverse("admin:outcomes_questionnaireresponse_change", args=[clinic_row.pk])
    )
    in_app = client.get(reverse("admin:outcomes_questionnaireresponse_change", args=[app_row.pk]))

    assert "entered by" in listing.text.lower()
    assert str(therapist) in listing.text
    assert "The patient, in the app" in listing.text
    assert str(therapist) in in_clinic.text
    assert "The patient, in the app" in in_app.text


def test_the_pages_write_the_access_log(therapist, diagnosed):
    client = logged_in(therapist)
    client.get(choose_url(diagnosed))
    shown = shown_on_page(client, diagnosed, "nprs")
    client.post(record_url(diagnosed, "nprs"), {"pain": "11"} | shown)  # shown again with errors
    client.post(record_url(diagnosed, "nprs"), {"pain": "3"} | shown)

    actions = RecordAccess.objects.filter(patient_id=diagnosed.pk).order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["view", "view", "view", "change"]
