from __future__ import annotations

import pytest

from reminders.models import Channel, Kind, Notification
from reminders.webhooks import signature

pytestmark = pytest.mark.django_db

URL = "http://testserver/webhooks/sms/"


@pytest.fixture
def token(settings):
    settings.SMS_AUTH_TOKEN = "test-token"
    return "test-token"


def post(client, data, token):
    return client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature(URL, data, token))


def test_a_stop_reply_withdraws_sms_consent_and_cancels_pending_texts(client, patient, token):
    patient.consent_sms = True
    patient.save()
    pending = Notification.objects.create(
        clinic=patient.clinic,
        patient=patient,
        kind=Kind.EXERCISE,
        channel=Channel.SMS,
        source="test",
        scheduled_for="2030-01-01T12:00Z",
        next_attempt_at="2030-01-01T12:00Z",
    )
    response = post(client, {"From": str(patient.phone), "Body": " stop "}, token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    patient.refresh_from_db()
    assert patient.consent_sms is False
    pending.refresh_from_db()
    assert pending.status == Notification.Status.CANCELLED
    assert patient.history.first().consent_sms is False


def test_other_replies_change_nothing(client, patient, token):
    patient.consent_sms = True
    patient.save()
    post(client, {"From": str(patient.phone), "Body": "Stop sending at night please"}, token)
    patient.refresh_from_db()
    assert patient.consent_sms is True


def test_an_unsigned_request_is_refused(client, patient, token):
    patient.consent_sms = True
    patient.save()
    response = client.post(URL, {"From": str(patient.phone), "Body": "STOP"})
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.consent_sms is True


def test_without_a_provider_token_the_webhook_refuses_everything(client, patient, settings):
    settings.SMS_AUTH_TOKEN = ""
    response = client.post(URL, {"From": str(patient.phone), "Body": "STOP"})
    assert response.status_code == 403
