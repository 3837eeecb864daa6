"""The row of clinical actions on the patient admin page: this app's links and those the
programs and appointments register (patients.admin_sections), in order, each shown to
whoever may see it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from patients import admin_sections
from patients.admin_sections import Link, add_page

pytestmark = pytest.mark.django_db

# What a clinician sees: the in-clinic questionnaires (outcomes) after the prescription,
# the plan of care and monitoring (visits) after the booking; coverage is the desk's.
CLINICIAN_ACTIONS = [
    "Record diagnosis",
    "Screen red flags",
    "Prescribe program",
    "Record questionnaire",
    "Book appointment",
    "Add plan of care",
    "Start remote monitoring",
    "Contact consent",
]
# The front desk records no diagnosis, screening, program or plan of care, and starts no
# monitoring: not offered what it cannot do. It takes the insurance card.
FRONT_DESK_ACTIONS = ["Book appointment", "Add coverage", "Contact consent"]


def actions_shown(client, patient) -> list[str]:
    response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert response.status_code == 200
    row = response.text.split('class="form-row field-clinical_actions', 1)[1].split("</div>")
    return re.findall(r'<a href="[^"]*">([^<]+)</a>', "</div>".join(row[:3]))


@pytest.mark.parametrize(
    ("staff", "shown"), [("therapist", CLINICIAN_ACTIONS), ("front_desk", FRONT_DESK_ACTIONS)]
)
def test_the_patient_page_shows_the_clinical_actions_in_order(
    client, patient, staff, shown, request
):
    client.force_login(request.getfixturevalue(staff).user)
    assert actions_shown(client, patient) == shown


def test_the_prescribe_link_opens_the_prescription_form_for_the_patient(client, therapist, patient):
    client.force_login(therapist.user)
    response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    url = reverse("admin:programs_prescription_add") + f"?patient={patient.pk}"
    assert f'<a href="{url}">Prescribe program</a>' in response.text


def test_a_link_with_a_permission_is_shown_only_to_its_holders(
    client, therapist, front_desk, patient, monkeypatch
):
    link = Link("Audit trail", add_page("admin:patients_diagnosis_add"), "patients.add_diagnosis")
    monkeypatch.setitem(admin_sections._links, link.label, (47, link))
    client.force_login(therapist.user)
    assert actions_shown(client, patient) == [
        *CLINICIAN_ACTIONS[:-1],
        "Audit trail",
        CLINICIAN_ACTIONS[-1],
    ]
    client.force_login(front_desk.user)
    assert actions_shown(client, patient) == FRONT_DESK_ACTIONS
