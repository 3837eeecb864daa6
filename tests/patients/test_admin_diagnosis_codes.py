"""The diagnosis form in the admin: secondary codes through the service, refusals on the form."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import RecordAccess
from audit.services import CHANGE, VIEW
from patients.models import Cause, Diagnosis, Side
from programs.models import Prescription
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db

ADD = "admin:patients_diagnosis_add"


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def _form(patient, therapist, **overrides) -> dict:
    return {
        "patient": patient.pk,
        "cause": "spinal_stenosis",
        "side": "bilateral",
        "icd10_code": "M48.062",
        "secondary_icd10_codes": "m5441, M54.42",
        "onset_date": "2026-10-01",
        "diagnosed_on": "2026-11-20",
        "diagnosed_by": therapist.pk,
        "notes": "",
        **overrides,
    }


def test_secondary_codes_typed_on_one_line_are_recorded(therapist_client, patient, therapist):
    response = therapist_client.post(reverse(ADD), _form(patient, therapist))
    assert response.status_code == 302
    diagnosis = Diagnosis.objects.get(patient=patient)
    assert diagnosis.secondary_icd10_codes == ["M54.41", "M54.42"]
    assert diagnosis.history.get().history_user == therapist.user


@pytest.mark.parametrize("typed", ["M54.41 M54.42", "M54.41;M54.42", " M54.41 ,, M54.42 ,"])
def test_codes_may_be_separated_by_commas_semicolons_or_spaces(
    therapist_client, patient, therapist, typed
):
    response = therapist_client.post(
        reverse(ADD), _form(patient, therapist, secondary_icd10_codes=typed)
    )
    assert response.status_code == 302
    assert Diagnosis.objects.get().secondary_icd10_codes == ["M54.41", "M54.42"]


def test_no_secondary_codes_is_fine(therapist_client, patient, therapist):
    form = _form(patient, therapist, side="left", icd10_code="M48.061", secondary_icd10_codes="")
    assert therapist_client.post(reverse(ADD), form).status_code == 302
    assert Diagnosis.objects.get().secondary_icd10_codes == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"cause": "herniated_disc", "side": "right", "icd10_code": "M54.41"},
            "M54.41 is not coded with M51.16 (Excludes1): the disc disorder with radiculopathy "
            "already includes the sciatica; code M51.16 alone.",
        ),
        (
            {"secondary_icd10_codes": "M54.41"},
            "Bilateral lumbago with sciatica is coded as M54.41 with M54.42; add M54.42.",
        ),
        (
            {"secondary_icd10_codes": "M54.41, M54.42, M54.16, M54.17"},
            "A diagnosis carries at most 3 secondary codes; 4 were given.",
        ),
        ({"secondary_icd10_codes": "M54.41, M54.42, m5441"}, "M54.41 is listed twice"),
        ({"secondary_icd10_codes": "M51.36"}, "M51.36 is a category, not a billable code"),
    ],
)
def test_a_refused_combination_is_shown_on_the_form_and_nothing_is_kept(
    therapist_client, patient, therapist, overrides, message
):
    if overrides.get("cause") == "herniated_disc":
        overrides["secondary_icd10_codes"] = "M51.16"
    response = therapist_client.post(reverse(ADD), _form(patient, therapist, **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["secondary_icd10_codes"]
    assert any(message in error for error in errors["secondary_icd10_codes"])
    assert not Diagnosis.objects.exists()


def test_a_null_character_in_the_secondary_codes_is_a_form_error(
    therapist_client, patient, therapist
):
    form = _form(patient, therapist, secondary_icd10_codes="M54.41, M54.42\x00")
    response = therapist_client.post(reverse(ADD), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["secondary_icd10_codes"] == ["Null characters are not allowed."]
    assert not Diagnosis.objects.exists()


def test_a_refused_form_keeps_what_was_typed(therapist_client, patient, therapist):
    response = therapist_client.post(
        reverse(ADD), _form(patient, therapist, secondary_icd10_codes="M54.41")
    )
    assert response.status_code == 200
    assert 'value="M54.41"' in response.text


def test_the_unspecified_side_for_both_legs_is_an_error_on_the_primary_code(
    therapist_client, patient, therapist
):
    form = _form(patient, therapist, cause="other", icd10_code="M54.40", secondary_icd10_codes="")
    response = therapist_client.post(reverse(ADD), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "coded as M54.41 with M54.42" in errors["icd10_code"][0]
    assert not Diagnosis.objects.exists()


def test_the_add_form_explains_bilateral_coding(therapist_client):
    response = therapist_client.get(reverse(ADD))
    assert response.status_code == 200
    assert "M54.31 with M54.32" in response.text


def test_a_recorded_diagnosis_shows_its_secondary_codes(therapist_client, patient, therapist):
    diagnosis = make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.OTHER,
        side=Side.BILATERAL,
        icd10_code="M54.31",
        secondary_icd10_codes=["M54.32"],
    )
    change = therapist_client.get(reverse("admin:patients_diagnosis_change", args=[diagnosis.pk]))
    assert "M54.32" in change.text
    listing = therapist_client.get(reverse("admin:patients_diagnosis_changelist"))
    assert "M54.31" in listing.text
    assert "M54.32" in listing.text
    page = therapist_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert "M54.32" in page.text


@pytest.fixture
def old_diagnoses(patient, therapist):
    """Rows stored before these checks: refused codes, secondary codes in odd shapes."""
    onset = datetime.date(2025, 1, 6)
    return [
        Diagnosis.objects.create(
            patient=patient,
            cause=Cause.OTHER,
            side=Side.BILATERAL,
            icd10_code="M54.30",
            secondary_icd10_codes="M54.40",
            onset_date=onset,
            diagnosed_by=therapist,
        ),
        Diagnosis.objects.create(
            patient=patient,
            cause=Cause.HERNIATED_DISC,
            side=Side.RIGHT,
            icd10_code="M54.41",
            secondary_icd10_codes=["M51.16", 5116, None],
            onset_date=onset,
            diagnosed_by=therapist,
        ),
    ]


def test_every_page_renders_for_diagnoses_stored_under_older_rules(
    therapist_client, patient, therapist, old_diagnoses
):
    prescription = make_prescription(diagnosis=old_diagnoses[1], prescribed_by=therapist)
    urls = [
        reverse("admin:patients_diagnosis_changelist"),
        reverse("admin:patients_diagnosis_changelist") + "?q=M54.30",
        reverse("admin:patients_patient_change", args=[patient.pk]),
        reverse("admin:patients_patient_changelist"),
        reverse("admin:programs_prescription_change", args=[prescription.pk]),
    ]
    for diagnosis in old_diagnoses:
        urls.append(reverse("admin:patients_diagnosis_change", args=[diagnosis.pk]))
        urls.append(reverse("admin:patients_diagnosis_history", args=[diagnosis.pk]))
    for url in urls:
        assert therapist_client.get(url).status_code == 200, url
    listing = therapist_client.get(reverse("admin:patients_diagnosis_changelist")).text
    assert "M54.40" in listing
    assert "M51.16, 5116" in listing
    assert Prescription.objects.filter(diagnosis=old_diagnoses[1]).exists()


def test_the_notes_of_an_old_diagnosis_stay_editable(therapist_client, therapist, old_diagnoses):
    diagnosis = old_diagnoses[0]
    url = reverse("admin:patients_diagnosis_change", args=[diagnosis.pk])
    response = therapist_client.post(url, {"notes": "Referred for imaging."})
    assert response.status_code == 302
    diagnosis.refresh_from_db()
    assert diagnosis.notes == "Referred for imaging."
    assert (diagnosis.icd10_code, diagnosis.secondary_icd10_codes) == ("M54.30", "M54.40")
    assert diagnosis.history.first().history_user == therapist.user


def test_reading_and_annotating_a_diagnosis_in_the_admin_is_in_the_access_log(
    therapist_client, therapist, patient, diagnosis
):
    url = reverse("admin:patients_diagnosis_change", args=[diagnosis.pk])
    assert therapist_client.get(url).status_code == 200
    assert therapist_client.post(url, {"notes": "Seen."}).status_code == 302

    rows = RecordAccess.objects.filter(patient=patient, user=therapist.user, path=url)
    assert sorted(rows.values_list("action", flat=True)) == [CHANGE, VIEW]


def test_another_clinics_diagnosis_is_not_found_and_not_logged(
    therapist_client, other_patient, other_therapist
):
    theirs = make_diagnosis(patient=other_patient, diagnosed_by=other_therapist)
    url = reverse("admin:patients_diagnosis_change", args=[theirs.pk])

    assert therapist_client.get(url).status_code == 404
    assert therapist_client.post(url, {"notes": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.notes == ""
    assert not RecordAccess.objects.exists()
