"""A clinic day in the admin: the same rules as the services, refusals as form errors."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment
from patients import services as patient_services
from patients.models import ClinicalAlert, Diagnosis
from programs.models import Prescription, ProgramTemplate
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist.user)
    return client


def _prescribe_data(patient, diagnosis, template_slug, **extra):
    return {
        "patient": patient.pk,
        "diagnosis": diagnosis.pk,
        "template": ProgramTemplate.objects.get(slug=template_slug).pk,
        "start_date": timezone.localdate().isoformat(),
        "weekdays": ["0", "2", "4"],
        "reminder_times": "08:00, 18:00",
        "notes": "",
        "override_reason": "",
        **extra,
    }


def test_therapist_records_a_diagnosis_with_a_valid_code(therapist_client, patient, therapist):
    response = therapist_client.post(
        reverse("admin:patients_diagnosis_add"),
        {
            "patient": patient.pk,
            "cause": "piriformis_syndrome",
            "side": "right",
            "icd10_code": "g57.01",
            "onset_date": "2026-10-01",
            "diagnosed_on": "2026-11-20",
            "diagnosed_by": therapist.pk,
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert Diagnosis.objects.get(patient=patient).icd10_code == "G57.01"


def test_a_code_that_does_not_fit_the_cause_is_a_form_error(therapist_client, patient, therapist):
    response = therapist_client.post(
        reverse("admin:patients_diagnosis_add"),
        {
            "patient": patient.pk,
            "cause": "spinal_stenosis",
            "side": "left",
            "icd10_code": "M48.06",
            "onset_date": "2026-10-01",
            "diagnosed_on": "2026-11-20",
            "diagnosed_by": therapist.pk,
        },
    )
    assert response.status_code == 200
    assert "M48.06 is a category, not a billable code" in response.text
    assert not Diagnosis.objects.filter(patient=patient).exists()


def test_prescribing_a_contraindicated_program_shows_warnings_then_records_the_override(
    therapist_client, patient, therapist
):
    diagnosis = make_diagnosis(
        patient=patient, diagnosed_by=therapist, cause="spondylolisthesis", icd10_code="M43.16"
    )
    url = reverse("admin:programs_prescription_add")
    data = _prescribe_data(patient, diagnosis, "dynamic-lumbar-stabilization")

    warned = therapist_client.post(url, data)
    assert warned.status_code == 200
    assert "contraindicated for spondylolisthesis" in warned.text
    assert not Prescription.objects.filter(patient=patient).exists()

    reason = "Pars stable on flexion-extension films; extension dosed below symptom threshold."
    done = therapist_client.post(url, {**data, "override_reason": reason})
    assert done.status_code == 302
    prescription = Prescription.objects.get(patient=patient)
    overridden = prescription.exercises.exclude(contraindication_override="")
    assert overridden.exists()
    assert {item.contraindication_override for item in overridden} == {reason}
    assert prescription.prescribed_by == therapist


def test_front_desk_cannot_prescribe(client, front_desk, patient, diagnosis):
    client.force_login(front_desk.user)
    url = reverse("admin:programs_prescription_add")
    assert client.get(url).status_code == 403
    response = client.post(url, _prescribe_data(patient, diagnosis, "mckenzie-extension"))
    assert response.status_code == 403
    assert not Prescription.objects.exists()


def test_front_desk_registers_patients_and_books_appointments(client, front_desk, therapist):
    client.force_login(front_desk.user)
    response = client.post(
        reverse("admin:patients_patient_add"),
        {
            "mrn": "A-100",
            "first_name": "Robin",
            "last_name": "Hale",
            "date_of_birth": "1975-02-03",
            "email": "robin@example.com",
            "phone": "+12025550111",
            "time_zone": "America/Chicago",
            "primary_therapist": therapist.pk,
            "referral": "direct_access",
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    patient = front_desk.clinic.patients.get(mrn="A-100")
    assert patient.history.latest().history_user == front_desk.user


def test_a_positive_screen_in_the_admin_holds_the_patient_and_blocks_prescribing(
    therapist_client, patient, diagnosis
):
    response = therapist_client.post(
        reverse("admin:patients_redflagscreening_add"),
        {"patient": patient.pk, "saddle_numbness": "on", "notes": "Reports saddle numbness."},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.on_medical_hold
    alert = ClinicalAlert.objects.get(patient=patient)
    assert alert.severity == ClinicalAlert.Severity.URGENT

    blocked = therapist_client.post(
        reverse("admin:programs_prescription_add"),
        _prescribe_data(patient, diagnosis, "mckenzie-extension"),
    )
    assert blocked.status_code == 200
    assert "on medical hold" in blocked.text
    assert not Prescription.objects.exists()

    cleared = therapist_client.post(
        reverse("admin:patients_patient_clear_hold", args=[patient.pk]),
        {"note": "Seen in ED same day; MRI negative for cauda equina."},
    )
    assert cleared.status_code == 302
    patient.refresh_from_db()
    assert not patient.on_medical_hold


def test_double_booking_in_the_admin_is_a_form_error_and_writes_nothing(
    therapist_client, patient, therapist
):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    url = reverse("admin:appointments_appointment_add")
    data = {
        "patient": patient.pk,
        "therapist": therapist.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "duration_minutes": 45,
        "kind": "follow_up",
    }
    assert therapist_client.post(url, data).status_code == 302
    clash = therapist_client.post(url, data)
    assert clash.status_code == 200
    assert "Alex Rivera already has an appointment from" in clash.text
    assert Appointment.objects.count() == 1


def test_acknowledging_an_alert_records_who(therapist_client, patient, therapist):
    patient_services.red_flag_screen(
        patient=patient, flags={"foot_drop": True}, screened_by=therapist
    )
    alert = ClinicalAlert.objects.get(patient=patient)
    response = therapist_client.post(
        reverse("admin:patients_clinicalalert_changelist"),
        {"action": "acknowledge", "_selected_action": [alert.pk]},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == therapist


def test_admin_pages_render_for_a_therapist(therapist_client, patient, diagnosis, therapist):
    prescription = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    for url in [
        reverse("admin:index"),
        reverse("admin:patients_patient_changelist"),
        reverse("admin:patients_patient_change", args=[patient.pk]),
        reverse("admin:patients_diagnosis_change", args=[diagnosis.pk]),
        reverse("admin:programs_prescription_change", args=[prescription.pk]),
        reverse("admin:programs_prescription_add") + f"?patient={patient.pk}",
        reverse("admin:programs_exercise_changelist"),
        reverse("admin:programs_programtemplate_changelist"),
        reverse("admin:appointments_appointment_changelist"),
        reverse("admin:patients_clinicalalert_changelist"),
        reverse("admin:patients_redflagscreening_add") + f"?patient={patient.pk}",
    ]:
        assert therapist_client.get(url).status_code == 200, url
