import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from episodes import services as episode_services
from patients import services as patient_services
from programs.models import Prescription
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db


def data_of(page):
    form = page.context["adminform"].form
    data = {}
    for n, f in form.fields.items():
        val = form[n].value()
        if isinstance(f, forms.BooleanField):
            if val: data[n] = "on"
        elif isinstance(val, list):
            data[n] = val
        elif val is not None:
            data[n] = val
    for inline in (page.context.get("inline_admin_formsets") or []):
        fs = inline.formset
        m = fs.management_form
        for n in m.fields:
            data[m.add_prefix(n)] = m[n].value()
        for f in fs.forms:
            for n in f.fields:
                v = f[n].value()
                if v is not None and v is not False:
                    data[f.add_prefix(n)] = v
    return data


def test_probe(patient, therapist):
    rx = make_prescription(diagnosis=make_diagnosis(patient=patient, diagnosed_by=therapist), prescribed_by=therapist)
    c = Client(raise_request_exception=False)
    c.force_login(therapist.user)
    url = reverse("admin:programs_prescription_change", args=[rx.pk])
    page = c.get(url)
    data = data_of(page)
    print("FIELDS", sorted(data))
    patient_services.red_flag_screen(patient=patient, flags={"foot_drop": True}, screened_by=therapist)
    r = c.post(url, data)
    print("HOLD POST", r.status_code, r.context and r.context["adminform"].form.errors, r.context and [fs.formset.errors for fs in r.context.get("inline_admin_formsets", [])])
    episode_services.patient_discharge(patient=patient, actor=therapist.user, note="x")
    data["exercises-0-minutes"] = int(data["exercises-0-minutes"]) + 1
    data["weekdays"] = ["0"]
    r = c.post(url, data)
    print("DISCHARGED POST", r.status_code, r.context["adminform"].form.errors, r.context["adminform"].form.non_field_errors(), [(fs.formset.errors, fs.formset.non_form_errors()) for fs in r.context.get("inline_admin_formsets", [])], r.context.get("errors"))
    print("ORIG", page.context["inline_admin_formsets"][0].formset.forms[0]["minutes"].value())
    fresh = Prescription.objects.get(pk=rx.pk)
    print(fresh.status, fresh.weekdays, fresh.exercises.order_by("order", "pk").first().minutes)
    for m in r.wsgi_request._messages: print("MSG", m)
    purl = reverse("admin:patients_patient_change", args=[patient.pk])
