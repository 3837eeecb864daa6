"""The holds in the admin: serious flags on the screening form, the referral-outcome page,
and the alerts inbox after a hold is cleared."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import RecordAccess
from patients.models import ClinicalAlert, Patient, RedFlagScreening, ReferralOutcome
from patients.services import EMERGENCY_GUIDANCE, medical_hold_clear, red_flag_screen
from practice.models import Role
from tests.factories import make_patient, make_staff

pytestmark = pytest.mark.django_db

INBOX = "admin:patients_clinicalalert_changelist"
FLAGS = [field for field, _ in RedFlagScreening.FLAGS]
SERIOUS = [field for field, _ in RedFlagScreening.SERIOUS_FLAGS]


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def refer(patient, therapist, flag="history_of_cancer"):
    return red_flag_screen(patient=patient, flags={flag: True}, screened_by=therapist)


def outcome_page(patient) -> str:
    return reverse("admin:patients_patient_referral_outcome", args=[patient.pk])


def fresh(patient) -> Patient:
    return Patient.objects.get(pk=patient.pk)


def inbox(client, **params) -> list[int]:
    response = client.get(reverse(INBOX), params)
    assert response.status_code == 200
    return [alert.pk for alert in response.context["cl"].result_list]


# The screening form


def screen_form(patient, **yes) -> dict:
    return {"patient": patient.pk, "notes": "", **{f: "on" for f in yes}}


def test_the_admin_screen_starts_the_referral_hold_without_emergency_text(
    therapist_client, patient
):
    url = reverse("admin:patients_redflagscreening_add")
    response = therapist_client.post(url, screen_form(patient, history_of_cancer=1), follow=True)
    assert response.status_code == 200
    patient = fresh(patient)
    assert patient.on_referral_hold
    assert not patient.on_medical_hold
    assert "is on a referral hold" in response.text
    assert str(EMERGENCY_GUIDANCE) not in response.text
    assert "Record referral outcome" in response.text  # the patient page it lands on


def test_the_admin_screen_asks_every_flag_in_two_groups(therapist_client, patient):
    response = therapist_client.get(reverse("admin:patients_redflagscreening_add"))
    for field in [*FLAGS, *SERIOUS]:
        assert f'name="{field}"' in response.text
    assert "Emergency flags" in response.text
    assert "Serious-pathology flags" in response.text


@pytest.mark.parametrize(("born", "hinted"), [((1960, 1, 1), True), ((1990, 1, 1), False)])
def test_the_admin_screen_hints_the_age_question_for_patients_over_50(
    therapist_client, clinic, born, hinted
):
    patient = make_patient(clinic=clinic, date_of_birth=datetime.date(*born), first_name="Kim")
    url = reverse("admin:patients_redflagscreening_add") + f"?patient={patient.pk}"
    response = therapist_client.get(url)
    assert ("Kim Rivera is over 50: is this a new episode" in response.text) is hinted
    assert 'name="over_50_with_new_episode" id="id_over_50_with_new_episode" checked' not in (
        response.text
    )


# Digits that are no id: a superscript two, a number beyond PostgreSQL's bigint.
@pytest.mark.parametrize("patient_id", ["²", "99999999999999999999", "9999999999999999999"])
def test_the_admin_screen_takes_a_patient_id_that_is_no_id_as_no_patient(
    therapist_client, patient_id
):
    url = reverse("admin:patients_redflagscreening_add") + f"?patient={patient_id}"
    response = therapist_client.get(url)
    assert response.status_code == 200
    assert "is over 50" not in response.text


# The referral-outcome page


def test_the_patient_page_links_the_referral_outcome_page(therapist_client, patient, therapist):
    refer(patient, therapist)
    response = therapist_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert outcome_page(patient) in response.text
    assert "On referral hold since" in response.text


def test_the_page_lists_the_flags_and_logs_the_read(therapist_client, patient, therapist):
    refer(patient, therapist, "unexplained_weight_loss")
    response = therapist_client.get(outcome_page(patient))
    assert response.status_code == 200
    assert "Unexplained weight loss" in response.text
    assert RecordAccess.objects.filter(
        patient_id=patient.pk, user=therapist.user, action=RecordAccess.Action.VIEW
    ).exists()


def test_cleared_to_treat_in_the_admin_lifts_the_hold(therapist_client, patient, therapist):
    refer(patient, therapist)
    response = therapist_client.post(
        outcome_page(patient),
        {"outcome": "cleared_to_treat", "physician_name": "Dr. Shah", "note": "Bloods normal."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "admin:patients_patient_change", args=[patient.pk]
    )
    assert "is cleared to treat; the referral hold is lifted" in response.text
    assert not fresh(patient).on_referral_hold
    assert ClinicalAlert.objects.get(patient=patient).resolution_note == "Bloods normal."
    assert ReferralOutcome.objects.get().recorded_by == therapist
    assert RecordAccess.objects.filter(
        patient_id=patient.pk, user=therapist.user, action=RecordAccess.Action.CHANGE
    ).exists()


def test_not_cleared_in_the_admin_keeps_the_hold(therapist_client, patient, therapist):
    refer(patient, therapist)
    response = therapist_client.post(
        outcome_page(patient),
        {"outcome": "not_cleared", "physician_name": "Dr. Shah", "note": "Awaiting CT."},
        follow=True,
    )
    assert "stays on the referral hold" in response.text
    assert fresh(patient).on_referral_hold
    assert ReferralOutcome.objects.get().outcome == "not_cleared"


def test_an_outcome_without_a_note_is_a_form_error_and_records_nothing(
    therapist_client, patient, therapist
):
    refer(patient, therapist)
    response = therapist_client.post(
        outcome_page(patient),
        {"outcome": "cleared_to_treat", "physician_name": "Dr. Shah", "note": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert fresh(patient).on_referral_hold
    assert not ReferralOutcome.objects.exists()


def test_a_refusal_of_the_service_shows_on_the_form(client, clinic, patient, therapist):
    """A user holding the permission but not a clearing role (an operator's mistake in
    the groups) still meets the service's rule."""
    refer(patient, therapist)
    trainer = make_staff(clinic=clinic, role=Role.ATHLETIC_TRAINER, username="atc.one")
    trainer.user.user_permissions.add(Permission.objects.get(codename="add_referraloutcome"))
    client.force_login(trainer.user)
    response = client.post(
        outcome_page(patient),
        {"outcome": "cleared_to_treat", "physician_name": "Dr. Shah", "note": "Fine."},
    )
    assert response.status_code == 200
    assert "may record a referral outcome" in response.text
    assert fresh(patient).on_referral_hold


def test_the_page_sends_a_patient_not_on_referral_hold_back(therapist_client, patient):
    response = therapist_client.get(outcome_page(patient), follow=True)
    assert "is not on a referral hold" in response.text
    assert response.redirect_chain[-1][0] == reverse(
        "admin:patients_patient_change", args=[patient.pk]
    )


def test_the_front_desk_gets_403(client, front_desk, patient, therapist):
    refer(patient, therapist)
    client.force_login(front_desk.user)
    response = client.post(
        outcome_page(patient),
        {"outcome": "cleared_to_treat", "physician_name": "Dr. Shah", "note": "Fine."},
    )
    assert response.status_code == 403
    assert fresh(patient).on_referral_hold


def test_another_clinic_gets_404(client, other_therapist, patient, therapist):
    refer(patient, therapist)
    client.force_login(other_therapist.user)
    assert client.get(outcome_page(patient)).status_code == 404
    response = client.post(
        outcome_page(patient),
        {"outcome": "cleared_to_treat", "physician_name": "Dr. Shah", "note": "Fine."},
    )
    assert response.status_code == 404
    assert fresh(patient).on_referral_hold


def test_outcomes_are_listed_read_only_and_scoped(client, therapist_client, patient, therapist):
    refer(patient, therapist)
    therapist_client.post(
        outcome_page(patient),
        {"outcome": "not_cleared", "physician_name": "Dr. Shah", "note": "Awaiting CT."},
    )
    outcome = ReferralOutcome.objects.get()
    listing = therapist_client.get(reverse("admin:patients_referraloutcome_changelist"))
    assert "Dr. Shah" in listing.text
    detail = reverse("admin:patients_referraloutcome_change", args=[outcome.pk])
    assert therapist_client.get(detail).status_code == 200
    assert therapist_client.post(detail, {"note": "rewritten"}).status_code == 403
    assert ReferralOutcome.objects.get().note == "Awaiting CT."


# The inbox after clearing a hold


def test_clearing_in_the_admin_resolves_the_alert_and_the_inbox_drops_it(
    therapist_client, clinic, patient, therapist
):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    alert = ClinicalAlert.objects.get()
    assert inbox(therapist_client) == [alert.pk]
    response = therapist_client.post(
        reverse("admin:patients_patient_clear_hold", args=[patient.pk]),
        {"note": "ED: no cauda equina."},
        follow=True,
    )
    assert "alerts are resolved with your note" in response.text
    alert.refresh_from_db()
    assert alert.resolution_note == "ED: no cauda equina."
    assert inbox(therapist_client) == []
    assert inbox(therapist_client, acknowledged="resolved") == [alert.pk]
    assert inbox(therapist_client, acknowledged="yes") == []
    assert inbox(therapist_client, acknowledged="all") == [alert.pk]


def test_the_clear_hold_page_logs_the_read_and_the_change(therapist_client, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    url = reverse("admin:patients_patient_clear_hold", args=[patient.pk])
    page = therapist_client.get(url)
    assert page.status_code == 200
    assert "Foot drop" in page.text
    logged = RecordAccess.objects.filter(patient_id=patient.pk, user=therapist.user)
    assert list(logged.values_list("action", flat=True)) == [RecordAccess.Action.VIEW]
    therapist_client.post(url, {"note": "ED: no cauda equina."})
    assert not fresh(patient).on_medical_hold
    assert logged.filter(action=RecordAccess.Action.CHANGE).count() == 1


def test_a_refused_clearance_in_the_admin_shows_on_the_form_and_changes_nothing(
    therapist_client, patient
):
    url = reverse("admin:patients_patient_clear_hold", args=[patient.pk])
    response = therapist_client.post(url, {"note": "Routine check."})
    assert response.status_code == 200
    assert "Alex Rivera is not on medical hold." in response.text
    assert not RecordAccess.objects.filter(action=RecordAccess.Action.CHANGE).exists()


def test_the_front_desk_cannot_clear_a_hold_in_the_admin(client, front_desk, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    client.force_login(front_desk.user)
    url = reverse("admin:patients_patient_clear_hold", args=[patient.pk])
    response = client.post(url, {"note": "Feels better."}, follow=True)
    assert "Your role cannot clear a medical hold." in response.text
    assert fresh(patient).on_medical_hold


def test_another_clinics_clear_hold_page_is_not_found(client, other_therapist, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    client.force_login(other_therapist.user)
    url = reverse("admin:patients_patient_clear_hold", args=[patient.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "Seen."}).status_code == 404
    assert fresh(patient).on_medical_hold


def test_open_alerts_come_before_resolved_ones_in_all(therapist_client, clinic, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Cleared.")
    resolved = ClinicalAlert.objects.get()
    other = make_patient(clinic=clinic, first_name="Jo")
    red_flag_screen(patient=other, flags={"foot_drop": True}, screened_by=therapist)
    waiting = ClinicalAlert.objects.get(patient=other)
    assert inbox(therapist_client, acknowledged="all") == [waiting.pk, resolved.pk]


def test_the_alert_page_shows_the_resolution(therapist_client, patient, therapist):
    red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    medical_hold_clear(patient=patient, cleared_by=therapist, note="Seen by Dr. Lee in ED.")
    alert = ClinicalAlert.objects.get()
    response = therapist_client.get(reverse("admin:patients_clinicalalert_change", args=[alert.pk]))
    assert "Seen by Dr. Lee in ED." in response.text
    assert "Resolution note" in response.text


def test_the_page_lists_only_flags_raised_since_the_last_clearance(
    therapist_client, patient, therapist
):
    refer(patient, therapist, "history_of_cancer")
    therapist_client.post(
        outcome_page(patient),
        {"outcome": "cleared_to_treat", "physician_name": "Dr. Shah", "note": "In remission."},
    )
    refer(patient, therapist, "unexplained_weight_loss")
    response = therapist_client.get(outcome_page(patient))
    assert list(response.context["screenings"]) == [RedFlagScreening.objects.latest("pk")]
    assert "In remission." in response.text  # the earlier outcome is listed


def test_a_user_without_a_staff_profile_cannot_record_an_outcome(
    client, django_user_model, patient, therapist
):
    refer(patient, therapist)
    operator = django_user_model.objects.create_superuser("operator", "op@example.com", "pw")
    client.force_login(operator)
    response = client.post(
        outcome_page(patient),
        {"outcome": "cleared_to_treat", "physician_name": "Dr. Shah", "note": "Fine."},
    )
    assert response.status_code == 200
    assert "Only clinic staff record a referral outcome." in response.text
    assert fresh(patient).on_referral_hold


def test_the_screening_list_and_page_say_which_hold_each_screen_started(
    therapist_client, patient, therapist
):
    red_flag_screen(
        patient=patient, flags={"foot_drop": True, "history_of_cancer": True}, screened_by=therapist
    )
    red_flag_screen(patient=patient, flags={}, screened_by=therapist)
    listing = therapist_client.get(reverse("admin:patients_redflagscreening_changelist"))
    assert "emergency: Foot drop; refer: History of cancer" in listing.text
    assert "negative" in listing.text
    medical_hold_clear(patient=patient, cleared_by=therapist, note="ED: no cauda equina.")
    screening = RedFlagScreening.objects.filter(foot_drop=True).get()
    page = therapist_client.get(
        reverse("admin:patients_redflagscreening_change", args=[screening.pk])
    )
    assert "ED: no cauda equina." in page.text
