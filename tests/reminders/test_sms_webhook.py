"""Replies to the practice's texts: STOP, START and HELP through the provider's webhook."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine

from patients.models import Patient
from patients.services import ConsentSource, patient_update
from practice.models import Role
from reminders import consent
from reminders.models import Channel, Kind, Notification, StaffContact
from reminders.staff_contacts import staff_contact_update
from reminders.webhooks import signature
from tests.factories import (
    LEGACY_PHONE,
    ClinicFactory,
    make_notification,
    make_patient,
    make_record_invalid,
    make_staff,
)

pytestmark = pytest.mark.django_db

URL = "http://testserver/webhooks/sms/"
TOKEN = "test-token"
LATER = datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_sids = (f"SM{n:032x}" for n in itertools.count(1))


@pytest.fixture(autouse=True)
def token(settings):
    settings.SMS_AUTH_TOKEN = TOKEN
    return TOKEN


def reply(client, phone, body, *, sid=None, **extra):
    """Post a reply as the provider would: signed, with a fresh MessageSid unless given."""
    data = {"From": str(phone), "Body": body, "MessageSid": sid or next(_sids), **extra}
    return client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature(URL, data, TOKEN))


def pending(patient, *, channel=Channel.SMS, n=0, **fields):
    """A text (or other message) still waiting in the outbox, due long after the test."""
    return make_notification(
        patient, channel=channel, at=LATER, source=f"test:{patient.pk}:{n}", **fields
    )


@pytest.fixture
def subscribed(patient):
    patient_update(patient=patient, consent_sms=True, consent_email=True)
    return patient


def fresh(patient) -> Patient:
    return Patient.objects.get(pk=patient.pk)


# STOP


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        "Stop.",
        "stop!",
        "  STOP ",
        "STOP\n",
        "UNSUBSCRIBE",
        "cancel",
        "End",
        "QUIT",
        "STOPALL",
        "revoke",
        "OptOut",
    ],
)
def test_each_opt_out_keyword_withdraws_sms_consent(client, subscribed, body):
    response = reply(client, subscribed.phone, body)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    assert response.content.decode() == EMPTY_TWIML
    patient = fresh(subscribed)
    assert patient.consent_sms is False
    assert patient.consent_email is True  # only the channel the reply came on


@pytest.mark.parametrize(
    "body",
    ["Stop sending at night please", "STOP ALL", "stopp", "please stop", "", "Yes please"],
)
def test_an_ordinary_message_changes_nothing(client, subscribed, body):
    response = reply(client, subscribed.phone, body)
    assert response.status_code == 200
    assert response.content.decode() == EMPTY_TWIML
    assert fresh(subscribed).consent_sms is True


def test_a_keyword_named_by_the_providers_advanced_opt_out_counts(client, subscribed):
    reply(client, subscribed.phone, "ALTO", OptOutType="STOP")
    assert fresh(subscribed).consent_sms is False


@pytest.fixture
def broken(subscribed):
    return make_record_invalid(subscribed)


def _columns(patient) -> dict:
    skip = {"consent_sms", "consent_sms_changed_at", "updated_at"}
    row = Patient.objects.filter(pk=patient.pk).values().get()
    return {k: v for k, v in row.items() if k not in skip}


def test_stop_saves_on_a_record_that_no_longer_validates_and_touches_nothing_else(client, broken):
    before = _columns(broken)
    sid = next(_sids)
    with time_machine.travel("2030-01-01T12:00Z"):
        response = reply(client, LEGACY_PHONE, "STOP", sid=sid)
    assert response.status_code == 200
    patient = fresh(broken)
    assert patient.consent_sms is False
    assert patient.consent_sms_changed_at.isoformat() == "2030-01-01T12:00:00+00:00"
    assert _columns(patient) == before
    latest = patient.history.first()
    assert latest.consent_sms is False
    assert latest.history_user is None  # the patient, by text: no login acted
    assert latest.history_change_reason == f"SMS reply {sid}: SMS consent withdrawn"


def test_stop_cancels_only_the_patients_own_pending_texts(client, subscribed, therapist):
    text = pending(subscribed)
    email = pending(subscribed, channel=Channel.EMAIL, n=1)
    # An urgent text to the therapist about this patient is the therapist's, not theirs.
    to_staff = pending(subscribed, kind=Kind.URGENT_ALERT, staff=therapist, n=2)
    neighbour = make_patient(clinic=subscribed.clinic, phone="+12025550199", consent_sms=True)
    theirs = pending(neighbour)
    # What was already sent stays a record of what was sent.
    sent = pending(subscribed, n=3)
    Notification.objects.filter(pk=sent.pk).update(status=Notification.Status.SENT)
    reply(client, subscribed.phone, "STOP")
    text.refresh_from_db()
    assert text.status == Notification.Status.CANCELLED
    assert text.last_error == "The patient replied STOP."
    for row in (email, to_staff, theirs):
        row.refresh_from_db()
        assert row.status == Notification.Status.PENDING, row
    sent.refresh_from_db()
    assert (sent.status, sent.last_error) == (Notification.Status.SENT, "")


def test_stop_reaches_every_patient_with_that_number(client, subscribed):
    relative = make_patient(clinic=ClinicFactory(), phone=subscribed.phone, consent_sms=True)
    reply(client, subscribed.phone, "STOP")
    assert fresh(subscribed).consent_sms is False
    assert fresh(relative).consent_sms is False


STAFF_PHONE = "+12025550188"


@pytest.fixture
def on_call(clinic):
    """A therapist who takes urgent alerts by text on their own phone."""
    member = make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.on.call")
    staff_contact_update(staff=member, actor=member.user, phone=STAFF_PHONE, consent_sms=True)
    return member


def test_a_stop_from_a_staff_phone_stops_their_alert_texts(client, subscribed, on_call):
    text = pending(subscribed, kind=Kind.URGENT_ALERT, staff=on_call)
    email = pending(subscribed, kind=Kind.URGENT_ALERT, staff=on_call, channel=Channel.EMAIL, n=1)
    patients_own = pending(subscribed, n=2)
    sid = next(_sids)
    assert reply(client, STAFF_PHONE, "Stop.", sid=sid).content.decode() == EMPTY_TWIML
    contact = StaffContact.objects.get(staff=on_call)
    assert contact.consent_sms is False
    assert contact.phone == STAFF_PHONE
    assert contact.history.latest("history_id").history_change_reason == (
        f"SMS reply {sid}: SMS consent withdrawn"
    )
    text.refresh_from_db()
    assert (text.status, text.last_error) == (
        Notification.Status.CANCELLED,
        "The staff member replied STOP.",
    )
    for row in (email, patients_own):
        row.refresh_from_db()
        assert row.status == Notification.Status.PENDING, row
    assert fresh(subscribed).consent_sms is True


def test_a_replayed_staff_stop_after_they_turned_texts_on_again_changes_nothing(client, on_call):
    stop = next(_sids)
    reply(client, STAFF_PHONE, "STOP", sid=stop)
    reply(client, STAFF_PHONE, "START")
    assert StaffContact.objects.get(staff=on_call).consent_sms is False  # theirs to turn on
    staff_contact_update(staff=on_call, actor=on_call.user, phone=STAFF_PHONE, consent_sms=True)
    reply(client, STAFF_PHONE, "STOP", sid=stop)
    assert StaffContact.objects.get(staff=on_call).consent_sms is True


# START


@pytest.mark.parametrize("body", ["START", "start", "Unstop", "YES", "yes!"])
def test_each_opt_in_keyword_restores_sms_consent(client, subscribed, body):
    reply(client, subscribed.phone, "STOP")
    with time_machine.travel("2030-02-01T09:00Z"):
        response = reply(client, subscribed.phone, body)
    assert response.content.decode() == EMPTY_TWIML  # the provider confirms it itself
    patient = fresh(subscribed)
    assert patient.consent_sms is True
    assert patient.consent_sms_changed_at.isoformat() == "2030-02-01T09:00:00+00:00"
    assert patient.history.first().history_change_reason.endswith(": SMS consent given")


# HELP


@pytest.mark.parametrize("body", ["HELP", "help?", "Info"])
def test_help_answers_with_the_clinics_name_and_phone(client, subscribed, body):
    clinic = subscribed.clinic
    clinic.name, clinic.phone = "Spine & Back", "+1 202 555 0100"
    clinic.save()
    response = reply(client, subscribed.phone, body)
    assert response.status_code == 200
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Spine &amp; Back: '
        "reminders from your physical therapy clinic. For help, call +1 202 555 0100. "
        "Reply STOP to stop these texts, START to get them again. "
        "In an emergency, call your local emergency number.</Message></Response>"
    )
    assert fresh(subscribed).consent_sms is True


def test_help_from_a_clinic_without_a_phone_says_to_contact_it(subscribed):
    assert "For help, contact the clinic." in consent.sms_help_text(phone=str(subscribed.phone))


def test_help_from_an_unknown_number_gets_the_generic_answer(client, subscribed):
    response = reply(client, "+12025550177", "HELP")
    assert f"<Message>{consent.GENERIC_HELP}</Message>" in response.content.decode()


def test_the_generic_help_answer_says_how_to_get_help_and_stop(subscribed):
    assert consent.sms_help_text(phone="+12025550177") == (
        "Reminders from your physical therapy clinic. For help, contact your clinic. "
        "Reply STOP to stop these texts, START to get them again. "
        "In an emergency, call your local emergency number."
    )


def test_help_from_a_number_known_at_two_clinics_names_neither(subscribed):
    make_patient(clinic=ClinicFactory(name="Northside Physio"), phone=subscribed.phone)
    answer = consent.sms_help_text(phone=str(subscribed.phone))
    assert answer == consent.GENERIC_HELP
    assert "Demo Spine Clinic" not in answer
    assert "Northside" not in answer


# Replays


def test_a_replayed_stop_after_start_changes_nothing(client, subscribed):
    stop = next(_sids)
    reply(client, subscribed.phone, "STOP", sid=stop)
    reply(client, subscribed.phone, "START")
    planned_after = pending(subscribed)
    response = reply(client, subscribed.phone, "STOP", sid=stop)
    assert response.status_code == 200
    assert fresh(subscribed).consent_sms is True
    planned_after.refresh_from_db()
    assert planned_after.status == Notification.Status.PENDING


def test_a_replayed_stop_after_opting_in_again_in_the_app_changes_nothing(client, subscribed):
    stop = next(_sids)
    reply(client, subscribed.phone, "STOP", sid=stop)
    patient_update(patient=fresh(subscribed), consent_sms=True, consent_source=ConsentSource.APP)
    reply(client, subscribed.phone, "stop", sid=stop)
    assert fresh(subscribed).consent_sms is True


def test_a_replayed_start_after_a_later_stop_changes_nothing(client, subscribed):
    reply(client, subscribed.phone, "STOP")
    start = next(_sids)
    reply(client, subscribed.phone, "START", sid=start)
    reply(client, subscribed.phone, "STOP")
    reply(client, subscribed.phone, "START", sid=start)
    assert fresh(subscribed).consent_sms is False


def test_a_stop_to_a_number_already_opted_out_is_remembered_too(client, subscribed):
    """Its replay after a later opt-in must not withdraw consent either."""
    with time_machine.travel("2030-01-01T12:00Z"):
        patient_update(patient=subscribed, consent_sms=False)
    stop = next(_sids)
    with time_machine.travel("2030-01-02T12:00Z"):
        reply(client, subscribed.phone, "STOP", sid=stop)
    assert fresh(subscribed).history.latest("history_id").history_change_reason == (
        f"SMS reply {stop}: consent unchanged"
    )
    # Remembered, but consent did not change then: its time stays the withdrawal's.
    changed_at = fresh(subscribed).consent_sms_changed_at
    assert changed_at.isoformat() == "2030-01-01T12:00:00+00:00"
    patient_update(patient=fresh(subscribed), consent_sms=True)
    reply(client, subscribed.phone, "STOP", sid=stop)
    assert fresh(subscribed).consent_sms is True


def test_a_provider_retry_is_applied_once(client, subscribed):
    stop = next(_sids)
    reply(client, subscribed.phone, "STOP", sid=stop)
    reply(client, subscribed.phone, "STOP", sid=stop)
    assert subscribed.history.filter(history_change_reason__contains=stop).count() == 1


# Authentication


def test_a_request_with_a_repeated_field_is_verified_over_every_value(client, subscribed):
    data = {
        "From": str(subscribed.phone),
        "Body": "STOP",
        "MessageSid": next(_sids),
        "MediaUrl": ["https://b.example/2", "https://a.example/1"],
    }
    response = client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature(URL, data, TOKEN))
    assert response.status_code == 200
    assert fresh(subscribed).consent_sms is False


def test_an_unsigned_request_is_refused(client, subscribed):
    response = client.post(URL, {"From": str(subscribed.phone), "Body": "STOP"})
    assert response.status_code == 403
    assert fresh(subscribed).consent_sms is True


def test_a_request_signed_with_another_token_is_refused(client, subscribed):
    data = {"From": str(subscribed.phone), "Body": "STOP", "MessageSid": next(_sids)}
    response = client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature(URL, data, "other"))
    assert response.status_code == 403
    assert fresh(subscribed).consent_sms is True


def test_a_tampered_body_is_refused(client, subscribed):
    signed = {"From": str(subscribed.phone), "Body": "HELP", "MessageSid": next(_sids)}
    sent = {**signed, "Body": "STOP"}
    response = client.post(URL, sent, HTTP_X_TWILIO_SIGNATURE=signature(URL, signed, TOKEN))
    assert response.status_code == 403
    assert fresh(subscribed).consent_sms is True


def test_without_a_provider_token_the_webhook_refuses_everything(client, subscribed, settings):
    settings.SMS_AUTH_TOKEN = ""
    response = client.post(URL, {"From": str(subscribed.phone), "Body": "STOP"})
    assert response.status_code == 403
    assert fresh(subscribed).consent_sms is True


def test_a_reply_without_a_sender_reaches_no_patient_without_a_phone(client, clinic):
    no_phone = make_patient(clinic=clinic, phone="", consent_email=True)
    Patient.objects.filter(pk=no_phone.pk).update(consent_sms=True)  # stored long ago
    assert reply(client, "", "STOP").content.decode() == EMPTY_TWIML
    assert fresh(no_phone).consent_sms is True
    help_answer = reply(client, "", "HELP").content.decode()
    assert clinic.name not in help_answer


@pytest.mark.parametrize("sender", ["", "not a number", "+", "1" * 40])
def test_a_reply_from_an_odd_sender_is_answered_and_changes_nothing(client, subscribed, sender):
    for body in ("STOP", "HELP"):
        response = reply(client, sender, body)
        assert response.status_code == 200
    assert fresh(subscribed).consent_sms is True
