"""Just before sending, the delivery task asks the rules whether a notification is still
wanted (program, hold, status, consent, quiet hours, appointment, alert), or cancels it."""

from __future__ import annotations

import datetime
import uuid

import pytest

from appointments import services as appointment_services
from patients import services as patient_services
from patients.models import ClinicalAlert, Patient
from practice.models import Role
from programs import services as program_services
from programs.models import PainExtent, Prescription
from reminders import cancel_rules, rules
from reminders.delivery_facts import delivery_facts_load
from reminders.models import Channel, Device, Kind, Notification
from tests.factories import make_diagnosis, make_patient, make_prescription, make_staff

UTC = datetime.UTC
H = datetime.timedelta(hours=1)


NOON = datetime.datetime(2027, 1, 11, 17, 0, tzinfo=UTC)  # 12:00 in New York
NIGHT = datetime.datetime(2027, 1, 12, 4, 0, tzinfo=UTC)  # 23:00 in New York


@pytest.fixture
def therapist(clinic):
    staff = make_staff(clinic=clinic, role=Role.PHYSICAL_THERAPIST, username="pt.one")
    staff.user.email = "pt.one@example.com"
    staff.user.save(update_fields=["email"])
    return staff


@pytest.fixture
def patient(clinic, therapist):
    return make_patient(
        clinic=clinic,
        primary_therapist=therapist,
        consent_email=True,
        consent_sms=True,
        consent_push=True,
    )


@pytest.fixture
def prescription(patient, therapist):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist)
    return make_prescription(diagnosis=diagnosis, prescribed_by=therapist)


def _notification(patient=None, *, kind=Kind.EXERCISE, channel=Channel.SMS, source, **fields):
    clinic = patient.clinic if patient else fields["staff"].clinic
    return Notification.objects.create(
        clinic=clinic,
        patient=patient,
        kind=kind,
        channel=channel,
        source=source,
        scheduled_for=fields.pop("scheduled_for", NOON),
        next_attempt_at=NOON,
        status=Notification.Status.SENDING,
        **fields,
    )


def _reason(notification, now=NOON):
    # As the delivery task loads it.
    fresh = Notification.objects.select_related("clinic", "patient", "staff__user").get(
        pk=notification.pk
    )
    return cancel_rules.cancel_reason(
        fresh, facts=delivery_facts_load(notifications=[fresh], now=now)
    )


def _exercise(patient, prescription, **fields):
    return _notification(patient, source=f"prescription:{prescription.pk}", **fields)


@pytest.mark.django_db
def test_a_reminder_still_wanted_is_sent(patient, prescription, django_assert_max_num_queries):
    notification = _exercise(patient, prescription)
    fresh = Notification.objects.select_related("clinic", "patient", "staff__user").get(
        pk=notification.pk
    )

    with django_assert_max_num_queries(3):
        facts = delivery_facts_load(notifications=[fresh], now=NOON)
        assert cancel_rules.cancel_reason(fresh, facts=facts) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("paused", "The exercise program is paused."),
        ("stopped", "The exercise program is stopped."),
    ],
)
def test_an_exercise_reminder_of_a_program_no_longer_active_is_cancelled(
    patient, prescription, therapist, status, reason
):
    notification = _exercise(patient, prescription)
    program_services.prescription_set_status(
        prescription=prescription, status=status, actor=therapist.user
    )

    assert _reason(notification) == reason


@pytest.mark.django_db
def test_exercise_reminders_and_nudges_stop_on_medical_hold(patient, prescription):
    exercise = _exercise(patient, prescription)
    nudge = _notification(patient, kind=Kind.NUDGE, source=f"nudge:{patient.pk}:2027-01-08")
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=NOON)

    assert "medical hold" in _reason(exercise)
    assert "medical hold" in _reason(nudge)


@pytest.mark.django_db
def test_a_referral_hold_stops_exercise_questionnaire_and_nudge_messages_at_delivery(
    patient, prescription
):
    exercise = _exercise(patient, prescription)
    nudge = _notification(patient, kind=Kind.NUDGE, source=f"nudge:{patient.pk}:2027-01-08")
    questionnaire = _notification(
        patient, kind=Kind.QUESTIONNAIRE, source=f"questionnaire:{patient.pk}:odi:2027-01-11"
    )
    before_hold = _reason(questionnaire)
    Patient.objects.filter(pk=patient.pk).update(referral_hold_since=NOON)

    assert before_hold is None
    assert {_reason(exercise), _reason(nudge), _reason(questionnaire)} == {
        "The patient is on hold until a physician has seen them (serious-pathology flag)."
    }


@pytest.mark.django_db
def test_a_questionnaire_waits_out_a_medical_hold(patient):
    questionnaire = _notification(
        patient, kind=Kind.QUESTIONNAIRE, source=f"questionnaire:{patient.pk}:odi:2027-01-11"
    )
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=NOON)

    assert _reason(questionnaire) == rules.MEDICAL_HOLD_REASON


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["discharged", "archived"])
def test_nothing_goes_to_a_patient_who_left(patient, prescription, status):
    notification = _exercise(patient, prescription)
    patient_services.patient_set_status(patient=patient, status=status)

    assert _reason(notification) == f"The patient is {status}."


@pytest.mark.django_db
def test_a_withdrawn_consent_cancels_that_channel_only(patient, prescription):
    sms = _exercise(patient, prescription)
    email = _exercise(patient, prescription, channel=Channel.EMAIL)
    patient_services.patient_update(patient=patient, consent_sms=False)

    assert "SMS" in _reason(sms)
    assert _reason(email) is None


@pytest.mark.django_db
def test_a_push_without_a_device_is_cancelled(patient, prescription):
    push = _exercise(patient, prescription, channel=Channel.PUSH)
    assert "Push" in _reason(push)

    Device.objects.create(patient=patient, token="tok", platform=Device.Platform.IOS)
    assert _reason(push) is None


@pytest.mark.django_db
def test_a_text_that_would_land_in_quiet_hours_is_cancelled_but_an_email_is_not(
    patient, prescription
):
    sms = _exercise(patient, prescription)
    email = _exercise(patient, prescription, channel=Channel.EMAIL)

    assert "23:00 is inside the patient's quiet hours" in _reason(sms, now=NIGHT)
    assert _reason(email, now=NIGHT) is None


@pytest.mark.django_db
def test_an_appointment_reminder_follows_its_appointment(patient, therapist):
    appointment = appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=NOON + 24 * H
    )
    notification = _notification(
        patient, kind=Kind.APPOINTMENT, source=f"appointment:{appointment.pk}:24h"
    )
    assert _reason(notification) is None

    appointment_services.appointment_reschedule(appointment=appointment, starts_at=NOON + 26 * H)
    assert _reason(notification).startswith("The appointment was moved")

    appointment_services.appointment_set_status(appointment=appointment, status="cancelled")
    assert _reason(notification) == "The appointment is cancelled."


@pytest.mark.django_db
def test_an_appointment_reminder_after_the_start_is_cancelled(patient, therapist):
    appointment = appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=NOON + 2 * H
    )
    notification = _notification(
        patient,
        kind=Kind.APPOINTMENT,
        channel=Channel.EMAIL,
        source=f"appointment:{appointment.pk}:2h",
    )

    assert _reason(notification, now=NOON + 3 * H) == "The appointment has already started."


@pytest.mark.django_db
def test_appointment_reminders_continue_on_medical_hold(patient, therapist):
    appointment = appointment_services.appointment_book(
        patient=patient, therapist=therapist, starts_at=NOON + 2 * H
    )
    notification = _notification(
        patient, kind=Kind.APPOINTMENT, source=f"appointment:{appointment.pk}:2h"
    )
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=NOON)

    assert _reason(notification) is None


@pytest.mark.django_db
def test_a_nudge_is_cancelled_once_the_patient_logs_a_session(patient, prescription):
    nudge = _notification(patient, kind=Kind.NUDGE, source=f"nudge:{patient.pk}:2027-01-08")
    assert _reason(nudge) is None

    program_services.session_log(
        patient=patient,
        client_id=uuid.uuid4(),
        performed_at=datetime.datetime.now(UTC),
        pain_before=3,
        pain_after=2,
        pain_extent=PainExtent.BACK,
        exercises=[
            program_services.ExerciseDone(prescribed_exercise_id=prescription.exercises.first().pk)
        ],
    )
    assert _reason(nudge) == "The patient has logged a session since."


@pytest.mark.django_db
def test_a_nudge_without_an_active_program_is_cancelled(patient, prescription, therapist):
    nudge = _notification(patient, kind=Kind.NUDGE, source=f"nudge:{patient.pk}:2027-01-08")
    program_services.prescription_set_status(
        prescription=prescription, status=Prescription.Status.COMPLETED, actor=therapist.user
    )

    assert _reason(nudge) == "The patient has no active exercise program."


@pytest.mark.django_db
def test_an_inactivity_alert_follows_the_patient(patient, prescription, therapist):
    alert = _notification(
        kind=Kind.INACTIVITY_ALERT,
        channel=Channel.EMAIL,
        source=f"inactive:{patient.pk}:2027-01-04",
        staff=therapist,
    )
    assert _reason(alert, now=NIGHT) is None  # staff email: quiet hours do not apply

    patient_services.patient_set_status(patient=patient, status="discharged")
    assert _reason(alert) == "The patient is discharged."


def _urgent_alert(patient, therapist):
    alert = patient_services.alert_raise(
        patient=patient,
        kind=ClinicalAlert.Kind.RED_FLAG,
        severity=ClinicalAlert.Severity.URGENT,
        message="Red flags reported.",
    )
    notification = _notification(
        kind=Kind.URGENT_ALERT,
        channel=Channel.EMAIL,
        source=f"alert:{alert.pk}:{therapist.pk}",
        staff=therapist,
    )
    return alert, notification


@pytest.mark.django_db
def test_an_urgent_alert_goes_out_at_night_and_for_a_patient_on_hold(patient, therapist):
    _, notification = _urgent_alert(patient, therapist)
    Patient.objects.filter(pk=patient.pk).update(medical_hold_since=NOON)

    assert _reason(notification, now=NIGHT) is None


@pytest.mark.django_db
def test_an_acknowledged_urgent_alert_is_not_sent(patient, therapist):
    alert, notification = _urgent_alert(patient, therapist)
    patient_services.alert_acknowledge(alert=alert, staff_member=therapist)

    assert _reason(notification) == "The alert has been acknowledged."


@pytest.mark.django_db
def test_a_staff_message_needs_an_email_address(patient, therapist):
    _, notification = _urgent_alert(patient, therapist)
    therapist.user.email = ""
    therapist.user.save(update_fields=["email"])

    assert _reason(notification).endswith("has no email address.")


@pytest.mark.django_db
def test_an_unknown_source_is_judged_by_the_patient_alone(patient):
    notification = _notification(patient, kind=Kind.QUESTIONNAIRE, source="questionnaire:1")

    assert _reason(notification) is None
    assert "quiet hours" in _reason(notification, now=NIGHT)
