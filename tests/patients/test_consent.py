"""Consent withdrawals save whatever else the stored record holds: by the patient in the
app, and by staff in the admin and the staff API."""

from __future__ import annotations

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import timezone

from audit.models import RecordAccess
from patients.models import Patient
from patients.services import ConsentSource, patient_consent_update, patient_update
from practice.models import Role, StaffMember
from reminders.consent import WITHDRAWN_REASON, notifications_cancel_unconsented
from reminders.models import Channel, Kind, Notification
from reminders.planner import plan
from tests.clients import bearer
from tests.factories import make_patient, make_patient_user, make_record_invalid

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
ALL_CONSENT = {"consent_email": True, "consent_sms": True, "consent_push": True}


@pytest.fixture
def consenting(patient):
    return patient_update(patient=patient, **ALL_CONSENT)


@pytest.fixture
def broken(consenting):
    return make_record_invalid(consenting)


def _untouched(patient) -> dict:
    """The stored columns a consent change must leave as they were."""
    changing = {"consent_email", "consent_sms", "consent_push", "consent_sms_changed_at"}
    row = Patient.objects.filter(pk=patient.pk).values().get()
    return {k: v for k, v in row.items() if k not in {*changing, "updated_at"}}


def fresh(patient) -> Patient:
    return Patient.objects.get(pk=patient.pk)


# The service


def test_a_withdrawal_saves_on_a_record_that_no_longer_validates(broken, therapist):
    before = _untouched(broken)
    with time_machine.travel("2030-03-01T10:00Z", tick=False):
        change = patient_consent_update(
            patient=broken, source=ConsentSource.STAFF, actor=therapist.user, sms=False, push=False
        )
    assert change.withdrawn == {"sms", "push"}
    assert change.given == frozenset()
    stored = fresh(broken)
    assert (stored.consent_email, stored.consent_sms, stored.consent_push) == (True, False, False)
    assert _untouched(stored) == before
    assert stored.updated_at.isoformat() == "2030-03-01T10:00:00+00:00"
    latest = stored.history.first()
    assert latest.history_user == therapist.user
    assert latest.history_change_reason == "Staff: push consent withdrawn, SMS consent withdrawn"


def test_only_an_sms_change_moves_the_sms_consent_time(consenting):
    with time_machine.travel("2030-03-01T10:00Z"):
        patient_consent_update(patient=consenting, source=ConsentSource.STAFF, sms=False)
    with time_machine.travel("2030-03-02T10:00Z"):
        patient_consent_update(patient=consenting, source=ConsentSource.STAFF, email=False)
        patient_consent_update(patient=consenting, source=ConsentSource.STAFF, sms=False)
    stored = fresh(consenting)
    assert stored.consent_email is False
    assert stored.consent_sms_changed_at.isoformat() == "2030-03-01T10:00:00+00:00"


def test_asking_for_what_is_already_so_writes_nothing(consenting):
    versions = consenting.history.count()
    change = patient_consent_update(patient=consenting, source=ConsentSource.APP, sms=True)
    assert not change.changed
    assert consenting.history.count() == versions


# The patient, in the app


@pytest.fixture
def app(broken):
    return bearer(make_patient_user(broken, username="patient.one").user)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"consent_sms": False}, (True, False, True)),
        ({"consent_email": False}, (False, True, True)),
        ({"consent_push": False}, (True, True, False)),
        ({"consent_email": False, "consent_sms": False, "consent_push": False}, (False,) * 3),
    ],
)
def test_the_patient_withdraws_in_the_app_on_a_record_that_no_longer_validates(
    app, broken, body, expected
):
    before = _untouched(broken)
    response = app.patch(ME, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["consent_sms"] is expected[1]
    stored = fresh(broken)
    assert (stored.consent_email, stored.consent_sms, stored.consent_push) == expected
    assert _untouched(stored) == {**before, "user_id": stored.user_id}
    latest = stored.history.first()
    assert latest.history_user == stored.user
    assert latest.history_change_reason.startswith("The patient in the app: ")


def test_a_withdrawal_sent_with_a_bad_field_saves_nothing(app, broken):
    response = app.patch(ME, {"consent_sms": False, "phone": "555"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()["errors"]
    assert fresh(broken).consent_sms is True


# Staff, in the staff API


def test_staff_withdraw_through_the_api_on_a_record_that_no_longer_validates(broken, therapist):
    # The clinician who moved to the front desk still works the clinic's records.
    before = _untouched(broken)
    response = bearer(therapist.user).patch(
        f"/api/v1/patients/{broken.pk}/", {"consent_sms": False}, format="json"
    )
    assert response.status_code == 200, response.json()
    stored = fresh(broken)
    assert stored.consent_sms is False
    assert _untouched(stored) == before
    latest = stored.history.first()
    assert latest.history_user == therapist.user
    assert latest.history_change_reason == "Staff: SMS consent withdrawn"


def test_another_clinics_staff_cannot_touch_the_consent(consenting, other_therapist):
    response = bearer(other_therapist.user).patch(
        f"/api/v1/patients/{consenting.pk}/", {"consent_sms": False}, format="json"
    )
    assert response.status_code == 404
    assert fresh(consenting).consent_sms is True


# Staff, in the admin


def _change_form_data(response) -> dict:
    """What the browser posts back for the patient page as shown."""
    form = response.context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def test_unticking_consent_on_the_patient_page_saves_although_the_therapist_is_no_longer_one(
    client, consenting, therapist, front_desk
):
    StaffMember.objects.filter(pk=therapist.pk).update(role=Role.FRONT_DESK)
    client.force_login(front_desk.user)
    url = reverse("admin:patients_patient_change", args=[consenting.pk])
    data = _change_form_data(client.get(url))
    del data["consent_sms"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = fresh(consenting)
    assert stored.consent_sms is False
    latest = stored.history.first()
    assert latest.history_user == front_desk.user
    assert latest.history_change_reason == "Staff: SMS consent withdrawn"


def test_the_consent_page_saves_on_a_record_that_no_longer_validates(client, broken, front_desk):
    client.force_login(front_desk.user)
    url = reverse("admin:patients_patient_consent", args=[broken.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial == ALL_CONSENT
    before = _untouched(broken)
    response = client.post(url, {"consent_email": "on", "consent_push": "on"})
    assert response.status_code == 302
    stored = fresh(broken)
    assert (stored.consent_email, stored.consent_sms, stored.consent_push) == (True, False, True)
    assert _untouched(stored) == before
    latest = stored.history.first()
    assert latest.history_user == front_desk.user
    assert latest.history_change_reason == "Staff: SMS consent withdrawn"
    actions = RecordAccess.objects.filter(patient=broken, user=front_desk.user)
    assert sorted(actions.values_list("action", flat=True)) == ["change", "view"]


def _consent_page_data(page, **ticked: bool) -> dict:
    """What the browser posts for the consent page as shown, with `ticked` changed."""
    form = page.context["form"]
    data = {}
    for name in form.fields:
        data[form[name].html_initial_name] = str(form.initial[name])
        if ticked.get(name, form.initial[name]):
            data[name] = "on"
    return data


def test_a_consent_page_opened_before_a_stop_reply_does_not_give_the_sms_consent_back(
    client, consenting, front_desk
):
    client.force_login(front_desk.user)
    url = reverse("admin:patients_patient_consent", args=[consenting.pk])
    page = client.get(url)
    patient_consent_update(
        patient=consenting, source=ConsentSource.SMS_REPLY, sms=False, reference="SM-stop-1"
    )

    response = client.post(url, _consent_page_data(page, consent_email=False))

    assert response.status_code == 302
    stored = fresh(consenting)
    assert (stored.consent_email, stored.consent_sms, stored.consent_push) == (False, False, True)
    assert stored.history.first().history_change_reason == "Staff: email consent withdrawn"


def test_the_consent_page_gives_back_a_consent_staff_tick_again(client, consenting, front_desk):
    client.force_login(front_desk.user)
    url = reverse("admin:patients_patient_consent", args=[consenting.pk])
    patient_consent_update(patient=consenting, source=ConsentSource.SMS_REPLY, sms=False)
    page = client.get(url)

    response = client.post(url, _consent_page_data(page, consent_sms=True))

    assert response.status_code == 302
    assert fresh(consenting).consent_sms is True


def test_another_clinics_consent_page_is_not_found(client, consenting, other_therapist):
    client.force_login(other_therapist.user)
    url = reverse("admin:patients_patient_consent", args=[consenting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert fresh(consenting).consent_sms is True


# The outbox follows


def _row(patient, *, channel, staff=None, n=0):
    return Notification.objects.create(
        clinic=patient.clinic,
        patient=patient,
        staff=staff,
        kind=Kind.URGENT_ALERT if staff else Kind.EXERCISE,
        channel=channel,
        source=f"test:{patient.pk}:{channel}:{n}",
        scheduled_for="2030-01-01T12:00Z",
        next_attempt_at="2030-01-01T12:00Z",
    )


def test_the_planners_pass_cancels_what_waits_on_a_withdrawn_channel(consenting, therapist):
    sms, email, push = (
        _row(consenting, channel=c) for c in (Channel.SMS, Channel.EMAIL, Channel.PUSH)
    )
    to_staff = _row(consenting, channel=Channel.SMS, staff=therapist, n=1)
    other = make_patient(clinic=consenting.clinic, **ALL_CONSENT)
    others = _row(other, channel=Channel.SMS)
    patient_update(patient=consenting, consent_sms=False, consent_push=False)
    with time_machine.travel("2029-12-31T12:00Z"):
        plan(now=timezone.now())
    for row, status in [
        (sms, Notification.Status.CANCELLED),
        (push, Notification.Status.CANCELLED),
        (email, Notification.Status.PENDING),
        (to_staff, Notification.Status.PENDING),
        (others, Notification.Status.PENDING),
    ]:
        row.refresh_from_db()
        assert row.status == status, row
    sms.refresh_from_db()
    assert sms.last_error == WITHDRAWN_REASON
    assert notifications_cancel_unconsented(now=sms.updated_at) == 0
