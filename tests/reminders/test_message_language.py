"""Reminders reach a patient in their language (blank: English), and the texts stay
within what one SMS may carry in both."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from reminders.delivery_facts import DeliveryFacts
from reminders.messages import compose
from reminders.models import Channel, Kind
from tests.factories import make_patient, make_staff
from tests.factories.reminders import make_notification

pytestmark = pytest.mark.django_db

PATIENT_KINDS = (
    Kind.EXERCISE,
    Kind.APPOINTMENT,
    Kind.QUESTIONNAIRE,
    Kind.NUDGE,
    Kind.HOLD_GUIDANCE,
)
# Twilio's cap on one message's body; a Spanish text with "á" or "ó" is UCS-2, so it
# costs more segments than the English one, but still goes as one message.
SMS_MAX_CHARS = 1600


def _composed(patient, kind=Kind.EXERCISE, channel=Channel.SMS):
    notification = make_notification(patient, kind=kind, channel=channel)
    facts = DeliveryFacts(now=timezone.now(), sources={notification.pk: None})
    return compose(notification, to="+12025550123", facts=facts)


def test_a_reminder_for_a_spanish_patient_is_in_spanish(clinic):
    message = _composed(make_patient(clinic=clinic, language="es"))
    assert message.subject == "Es hora de sus ejercicios"
    assert message.body.startswith("Es hora de hacer los ejercicios de hoy. Abra la aplicación:")


def test_a_reminder_for_an_english_patient_is_in_english_whatever_is_active(clinic):
    with translation.override("es"):
        message = _composed(make_patient(clinic=clinic, language="en"))
    assert message.subject == "Time for your exercises"
    assert message.body.startswith("It's time for today's exercises. Open the app:")


def test_a_patient_without_a_language_gets_the_clinic_default_english(clinic):
    with translation.override("es"):
        message = _composed(make_patient(clinic=clinic, language=""))
    assert message.subject == "Time for your exercises"


def test_the_emergency_guidance_reaches_a_spanish_patient_in_spanish(clinic):
    message = _composed(make_patient(clinic=clinic, language="es"), kind=Kind.HOLD_GUIDANCE)
    assert message.subject == "Actúe ahora, por favor"
    assert "Acuda ahora a un servicio de urgencias" in message.body


def test_a_staff_message_about_a_spanish_patient_stays_in_english(clinic):
    patient = make_patient(clinic=clinic, language="es")
    notification = make_notification(
        patient, staff=make_staff(clinic=clinic), kind=Kind.URGENT_ALERT
    )
    facts = DeliveryFacts(now=timezone.now(), sources={notification.pk: None})
    message = compose(notification, to="x@example.com", facts=facts)
    assert message.subject == "URGENT: a patient needs you today"


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_patient_text_fits_one_sms_in_either_language(clinic, language):
    patient = make_patient(clinic=clinic, language=language)
    for kind in PATIENT_KINDS:
        message = _composed(patient, kind=kind)
        assert 0 < len(message.body) <= SMS_MAX_CHARS, (kind, message.body)
