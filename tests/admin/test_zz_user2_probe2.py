import pytest
from django.test import Client
from django.urls import reverse

from patients.models import ClinicalAlert, Patient
from programs.models import Prescription
from reminders.models import Notification
from tests.admin.test_every_admin_page import world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_probe(world):  # noqa: F811
    out = []
    own, oth = world.own, world.other
    treated = own.patients[0]
    other = oth.patients[0]
    for role in ["physical_therapist", "front_desk", "clinic_admin"]:
        c = Client(raise_request_exception=False)
        c.force_login(world.users[role])
        def act(model, action, ids, extra=None):
            url = reverse(f"admin:{model}_changelist")
            r = c.post(url, {"action": action, "_selected_action": ids, **(extra or {})}, follow=True)
            msgs = [str(m) for m in r.context["messages"]] if r.context and "messages" in r.context else []
            out.append(f"{role:20} {r.status_code} {model} {action} {ids} -> {msgs} {r.redirect_chain}")
        act("patients_patient", "discharge", [other.pk])
        act("patients_patient", "discharge", [other.pk], {"confirm": "1", "note": ""})
        act("patients_patient", "archive", ["abc"], {"confirm": "1"})
        act("patients_patient", "reactivate", [other.pk])
        act("patients_clinicalalert", "acknowledge", [a.pk for a in ClinicalAlert.objects.filter(patient__clinic=oth.clinic)])
        act("programs_prescription", "advance_phase", [p.pk for p in Prescription.objects.filter(patient__clinic=oth.clinic)])
        act("reminders_notification", "cancel", [n.pk for n in Notification.objects.filter(clinic=oth.clinic)][:3])
        act("reminders_notification", "resend", ["1; drop"])
        act("practice_appointment", "mark_attended", [a.pk for a in treated.appointments.filter(status="scheduled")])
        act("practice_appointment", "mark_no_show", [a.pk for a in other.appointments.all()])
    print("\n".join(out))
    assert Patient.objects.get(pk=other.pk).status == "active"
    assert not ClinicalAlert.objects.filter(patient__clinic=oth.clinic, acknowledged_at__isnull=False).exists()
