"""The diagnosis page offers today on the clinic's calendar: on a New York evening the
server's UTC date is already tomorrow, which the diagnosis rules refuse as the future."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from patients.models import Diagnosis

pytestmark = pytest.mark.django_db

# 23:30 on Monday 9 March in New York, 03:30 on Tuesday in UTC.
LATE_EVENING = datetime.datetime(2026, 3, 10, 3, 30, tzinfo=datetime.UTC)
NEW_YORK_TODAY = datetime.date(2026, 3, 9)


def test_a_diagnosis_recorded_on_a_late_evening_is_dated_the_clinics_today(
    client, therapist, patient
):
    client.force_login(therapist.user)
    url = reverse("admin:patients_diagnosis_add")
    with time_machine.travel(LATE_EVENING, tick=False):
        page = client.get(url, {"patient": patient.pk})
        offered = page.context["adminform"].form["diagnosed_on"].value()
        response = client.post(
            url,
            {
                "patient": patient.pk,
                "cause": "spondylolisthesis",
                "side": "left",
                "icd10_code": "M43.16",
                "onset_date": "2026-02-01",
                "diagnosed_on": offered,
                "diagnosed_by": therapist.pk,
            },
        )

    assert offered == NEW_YORK_TODAY.isoformat()
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Diagnosis.objects.get(patient=patient).diagnosed_on == NEW_YORK_TODAY
