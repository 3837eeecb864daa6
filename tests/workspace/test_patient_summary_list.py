"""The patient list's summary columns: the header's parts, one cell each, read for the
whole page at once and only for roles that may see them."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import RecordAccess
from patients import services as patient_services
from tests.factories import make_patient

from .patient_summary_data import NOW, cells_of, treated_patient

pytestmark = pytest.mark.django_db

PATIENTS = "admin:patients_patient_changelist"
CLINICAL_COLUMNS = (
    "latest_cause",
    "summary_program",
    "summary_pain",
    "summary_adherence",
    "summary_alerts",
    "summary_odi",
)


def list_page(user, **query) -> str:
    with time_machine.travel(NOW, tick=False):
        client = Client()
        client.force_login(user)
        response = client.get(reverse(PATIENTS), query)
    assert response.status_code == 200
    return response.text


def test_the_columns_show_what_the_header_does(therapist):
    treated_patient(therapist, last_name="Treated")

    page = list_page(therapist.user)

    assert cells_of(page, "latest_cause") == ["Herniated disc, left (M51.16)"]
    assert cells_of(page, "summary_program") == [
        "McKenzie extension program, phase 2, week 2 (planned 3)"
    ]
    assert cells_of(page, "summary_pain") == [
        "leg 3/10 (-3 since the first); back 3/10 (+1 since the first)"
    ]
    assert cells_of(page, "summary_adherence") == ["7 days: 71%; 28 days: 33%"]
    assert cells_of(page, "summary_next_appointment") == ["Fri 2026-03-20 11:00"]
    assert cells_of(page, "summary_alerts") == ["2 open, 1 urgent"]
    assert cells_of(page, "summary_odi") == ["30 (-12), MCID met"]


def test_the_front_desk_list_has_no_clinical_column(front_desk, therapist):
    treated_patient(therapist, last_name="Treated")

    page = list_page(front_desk.user)

    for column in CLINICAL_COLUMNS:
        assert f"column-{column}" not in page
        assert not cells_of(page, column)
    assert cells_of(page, "summary_next_appointment") == ["Fri 2026-03-20 11:00"]
    for clinical in ("M51.16", "Herniated", "McKenzie", "MCID", "urgent"):
        assert clinical not in page


def test_the_hold_column_warns_and_never_ticks(therapist, clinic):
    held = make_patient(clinic=clinic, primary_therapist=therapist, last_name="Held")
    patient_services.red_flag_screen(patient=held, flags={"foot_drop": True})
    make_patient(clinic=clinic, primary_therapist=therapist, last_name="Free")

    page = list_page(therapist.user)

    assert cells_of(page, "on_hold") == ["-", "Medical hold"]  # Free, then Held
    assert page.count("icon-alert.svg") == 1
    assert "icon-yes.svg" not in page


def test_the_list_reads_as_many_queries_for_twenty_patients_as_for_one(therapist):
    treated_patient(therapist, last_name="Patient 00")
    with CaptureQueriesContext(connection) as one:
        list_page(therapist.user)

    for n in range(1, 20):
        treated_patient(therapist, slot=n, last_name=f"Patient {n:02}")
    with CaptureQueriesContext(connection) as twenty:
        page = list_page(therapist.user)

    assert len(cells_of(page, "summary_odi")) == 20
    assert len(twenty) == len(one), [q["sql"] for q in twenty.captured_queries]


def test_another_clinics_patients_are_never_listed(therapist, other_therapist):
    treated_patient(therapist, last_name="Ours")
    treated_patient(other_therapist, last_name="Theirs")

    page = list_page(therapist.user)

    assert "Ours" in page
    assert "Theirs" not in page
    assert len(cells_of(page, "summary_program")) == 1


def test_the_list_logs_every_patient_it_shows(therapist, other_therapist):
    shown = [treated_patient(therapist, slot=n, last_name=name) for n, name in enumerate("AB")]
    treated_patient(other_therapist, last_name="Theirs")

    list_page(therapist.user)

    logged = RecordAccess.objects.filter(user=therapist.user, action="view")
    assert sorted(logged.values_list("patient_id", flat=True)) == sorted(p.pk for p in shown)
