"""Staff agree per channel how alerts may reach them: the contact page in the admin (their
own; a clinic admin, their clinic's) and the staff device endpoint."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from practice.models import Role
from reminders import services
from reminders.models import Device, StaffContact, StaffDevice
from tests.clients import bearer
from tests.factories import make_patient_user, make_staff

pytestmark = pytest.mark.django_db

DEVICES = "/api/v1/staff/devices/"
CHANGELIST = reverse("admin:reminders_staffcontact_changelist")
ADD = reverse("admin:reminders_staffcontact_add")


def _change(contact) -> str:
    return reverse("admin:reminders_staffcontact_change", args=[contact.pk])


@pytest.fixture
def colleague(clinic):
    return make_staff(clinic=clinic, role=Role.PHYSIATRIST, username="md.two")


@pytest.fixture
def clinic_admin(clinic):
    return make_staff(clinic=clinic, role=Role.CLINIC_ADMIN, username="admin.one")


@pytest.fixture
def contacts(therapist, colleague, other_therapist):
    return {
        member.user.username: services.staff_contact_update(
            staff=member, actor=member.user, phone="+12025550101", consent_sms=True
        )
        for member in (therapist, colleague, other_therapist)
    }


def _form(staff=None, **fields):
    data = {"phone": "+12025550177", "consent_email": "on", **fields}
    if staff is not None:
        data["staff"] = staff.pk
    return {key: value for key, value in data.items() if value is not None}


# --- the service ------------------------------------------------------------------------


def test_sms_alerts_need_a_phone(therapist):
    with pytest.raises(ValidationError) as refused:
        services.staff_contact_update(staff=therapist, actor=therapist.user, consent_sms=True)
    assert refused.value.message_dict == {"phone": ["Alerts by SMS need a phone number."]}


def test_a_colleague_may_not_change_someone_elses_consent(therapist, colleague):
    with pytest.raises(PermissionDenied, match="Only the staff member or a clinic admin"):
        services.staff_contact_update(staff=therapist, actor=colleague.user, consent_push=True)
    assert not StaffContact.objects.exists()


def test_a_clinic_admin_may_but_not_another_clinics(therapist, clinic_admin, other_clinic):
    services.staff_contact_update(staff=therapist, actor=clinic_admin.user, consent_push=True)
    assert StaffContact.objects.get(staff=therapist).consent_push is True

    elsewhere = make_staff(clinic=other_clinic, role=Role.CLINIC_ADMIN, username="admin.other")
    with pytest.raises(PermissionDenied):
        services.staff_contact_update(staff=therapist, actor=elsewhere.user)


def test_each_change_keeps_who_made_it(therapist, clinic_admin):
    services.staff_contact_update(staff=therapist, actor=therapist.user, consent_push=True)
    services.staff_contact_update(staff=therapist, actor=clinic_admin.user, consent_push=False)

    history = StaffContact.objects.get(staff=therapist).history.order_by("history_date")
    assert [(h.consent_push, h.history_user) for h in history] == [
        (True, therapist.user),
        (False, clinic_admin.user),
    ]


# --- the admin --------------------------------------------------------------------------


def test_staff_see_and_edit_only_their_own_contact(client, therapist, contacts):
    client.force_login(therapist.user)

    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [contacts["pt.one"]]
    assert client.get(_change(contacts["md.two"])).status_code == 404
    assert client.get(_change(contacts["pt.other"])).status_code == 404

    response = client.post(_change(contacts["pt.one"]), _form(consent_push="on"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    contact = StaffContact.objects.get(staff=therapist)
    assert (contact.consent_sms, contact.consent_push, str(contact.phone)) == (
        False,
        True,
        "+12025550177",
    )
    assert contact.history.latest().history_user == therapist.user


def test_a_refused_change_in_the_admin_is_a_form_error_and_keeps_the_old_values(
    client, therapist, contacts
):
    client.force_login(therapist.user)

    response = client.post(_change(contacts["pt.one"]), _form(phone="", consent_sms="on"))

    assert response.status_code == 200
    assert "Alerts by SMS need a phone number." in response.content.decode()
    contact = StaffContact.objects.get(staff=therapist)
    assert (str(contact.phone), contact.consent_sms) == ("+12025550101", True)


def test_staff_add_their_own_contact_and_no_one_elses(client, therapist, colleague):
    client.force_login(therapist.user)

    refused = client.post(ADD, _form(colleague))
    assert refused.status_code == 200
    assert not StaffContact.objects.exists()

    assert client.post(ADD, _form(therapist)).status_code == 302
    assert StaffContact.objects.get().staff == therapist


def test_a_clinic_admin_edits_the_clinics_contacts_only(client, clinic_admin, contacts):
    client.force_login(clinic_admin.user)

    listing = client.get(CHANGELIST)
    assert {c.staff.user.username for c in listing.context["cl"].result_list} == {
        "pt.one",
        "md.two",
    }
    assert client.get(_change(contacts["pt.other"])).status_code == 404
    response = client.post(_change(contacts["md.two"]), _form(consent_email=None))
    assert response.status_code == 302
    assert StaffContact.objects.get(staff__user__username="md.two").consent_email is False


# --- the device endpoint ----------------------------------------------------------------


def test_staff_register_a_phone_and_remove_it(therapist):
    api = bearer(therapist.user)

    created = api.post(DEVICES, {"token": "pt-phone", "platform": "ios"}, format="json")
    again = api.post(DEVICES, {"token": "pt-phone", "platform": "ios"}, format="json")

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["token"] == "pt-phone"
    assert StaffDevice.objects.get().staff == therapist
    assert api.delete(DEVICES, {"token": "pt-phone"}, format="json").status_code == 204
    assert not StaffDevice.objects.exists()


def test_a_token_has_one_owner_staff_or_patient(therapist, colleague, patient):
    bearer(therapist.user).post(DEVICES, {"token": "shared", "platform": "ios"}, format="json")
    bearer(colleague.user).post(DEVICES, {"token": "shared", "platform": "ios"}, format="json")
    assert StaffDevice.objects.get().staff == colleague

    services.device_register(patient=patient, token="shared", platform="ios")
    assert not StaffDevice.objects.exists()
    assert Device.objects.get().patient == patient

    services.staff_device_register(staff=therapist, token="shared", platform="android")
    assert not Device.objects.exists()


def test_another_staff_members_token_is_not_removed(therapist, colleague):
    services.staff_device_register(staff=therapist, token="mine", platform="ios")

    assert (
        bearer(colleague.user).delete(DEVICES, {"token": "mine"}, format="json").status_code == 204
    )
    assert StaffDevice.objects.get().staff == therapist


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"token": "", "platform": "ios"}, "token"),
        ({"token": "x", "platform": "nokia"}, "platform"),
    ],
)
def test_a_bad_registration_is_a_400(therapist, body, field):
    response = bearer(therapist.user).post(DEVICES, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_patients_cannot_use_the_staff_endpoint(patient):
    make_patient_user(patient)
    response = bearer(patient.user).post(DEVICES, {"token": "t", "platform": "ios"}, format="json")
    assert response.status_code == 403
    assert not StaffDevice.objects.exists()
