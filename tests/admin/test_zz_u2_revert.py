import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from episodes import services as episode_services
from patients.models import Patient
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db


def test_probe(patient, therapist):
    rx = make_prescription(diagnosis=make_diagnosis(patient=patient, diagnosed_by=therapist), prescribed_by=therapist)
    first = patient.history.order_by("history_id").first()
    episode_services.patient_discharge(patient=patient, actor=therapist.user, note="x")
    c = Client(raise_request_exception=False)
    c.force_login(therapist.user)
    for label, obj, name in [("patient", patient, "patients_patient"), ("rx", rx, "programs_prescription")]:
        v = obj.history.order_by("history_id").first()
        url = reverse(f"admin:{name}_simple_history", args=[obj.pk, v.history_id])
        page = c.get(url)
        print(label, "GET", page.status_code, "Revert" in page.text, 'name="_save"' in page.text)
        form = page.context["adminform"].form
        data = {}
        for n, f in form.fields.items():
            val = form[n].value()
            if isinstance(f, forms.BooleanField):
                if val: data[n] = "on"
            elif val is not None:
                data[n] = val
        for inline in page.context["inline_admin_formsets"]:
            m = inline.formset.management_form
            for n in m.fields:
                data[m.add_prefix(n)] = m[n].value()
        r = c.post(url, data)
        print(label, "POST", r.status_code, getattr(r.context and r.context.get("adminform"), "form", None) and r.context["adminform"].form.errors)
    print(Patient.objects.get(pk=patient.pk).status, rx.__class__.objects.get(pk=rx.pk).status)
