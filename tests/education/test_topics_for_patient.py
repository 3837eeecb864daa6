"""education.selectors.topics_for_patient: the topics that fit the patient's cause and
phase first, then the general ones."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from education.models import Topic
from education.selectors import topic_for_patient, topics_for_patient
from patients.models import Cause, Side
from patients.services import diagnosis_record
from tests.factories import make_diagnosis

from .test_seeded_topics import GENERAL

pytestmark = pytest.mark.django_db


def _slugs(patient) -> list[str]:
    return [topic.slug for topic in topics_for_patient(patient=patient)]


def test_a_herniated_disc_patient_in_the_acute_phase_gets_those_topics_first(patient, therapist):
    make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)

    topics = topics_for_patient(patient=patient)

    assert [t.slug for t in topics] == ["herniated-disc", "the-first-weeks", *GENERAL]
    assert [t.matches for t in topics[:3]] == [("cause",), ("phase",), ()]


def test_a_chronic_spinal_stenosis_patient_gets_the_stenosis_and_chronic_topics(patient, therapist):
    make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.SPINAL_STENOSIS,
        icd10_code="M48.062",
        onset_days_ago=200,
    )

    assert _slugs(patient) == ["spinal-stenosis", "long-lasting-sciatica", *GENERAL]


def test_the_subacute_phase_gets_the_building_up_topic(patient, therapist):
    make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.PIRIFORMIS_SYNDROME,
        icd10_code="G57.02",
        onset_days_ago=60,
    )

    assert _slugs(patient)[:2] == ["piriformis-syndrome", "building-up"]


def test_the_latest_diagnosis_decides(patient, therapist):
    make_diagnosis(
        patient=patient,
        diagnosed_by=therapist,
        cause=Cause.PIRIFORMIS_SYNDROME,
        icd10_code="G57.02",
        onset_days_ago=200,
    )
    make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)

    slugs = _slugs(patient)

    assert slugs[:2] == ["herniated-disc", "the-first-weeks"]
    assert "piriformis-syndrome" not in slugs
    assert "long-lasting-sciatica" not in slugs


def test_the_latest_diagnosis_is_the_one_diagnosed_last_not_the_one_entered_last(
    patient, therapist
):
    make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)
    today = timezone.localdate()
    # An older piriformis diagnosis entered afterwards, from a paper chart.
    diagnosis_record(
        patient=patient,
        cause=Cause.PIRIFORMIS_SYNDROME,
        side=Side.LEFT,
        icd10_code="G57.02",
        onset_date=today - datetime.timedelta(days=400),
        diagnosed_on=today - datetime.timedelta(days=300),
        diagnosed_by=therapist,
    )

    assert _slugs(patient)[:2] == ["herniated-disc", "the-first-weeks"]


def test_a_patient_without_a_diagnosis_gets_the_general_topics_only(patient):
    topics = topics_for_patient(patient=patient)

    assert [t.slug for t in topics] == GENERAL
    assert all(t.matches == () for t in topics)


def test_the_phase_follows_the_patients_own_calendar_day(patient, therapist):
    """02:30 UTC on 4 March is still 3 March in New York: day 41 there, day 42 in UTC."""
    with time_machine.travel(datetime.datetime(2025, 3, 4, 2, 30, tzinfo=datetime.UTC)):
        diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=42)
        assert diagnosis.onset_date == datetime.date(2025, 1, 21)

        assert patient.time_zone == "America/New_York"
        assert _slugs(patient)[1] == "the-first-weeks"  # acute: under 6 weeks locally

        patient.time_zone = "UTC"
        assert _slugs(patient)[1] == "building-up"


def test_an_inactive_topic_is_left_out(patient, therapist):
    make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)
    Topic.objects.filter(slug__in=["herniated-disc", "keep-moving"]).update(is_active=False)

    slugs = _slugs(patient)

    assert "herniated-disc" not in slugs
    assert "keep-moving" not in slugs
    assert slugs[0] == "the-first-weeks"


def test_a_topic_for_both_the_cause_and_the_phase_comes_before_either(patient, therapist):
    make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)
    Topic.objects.create(
        slug="disc-first-days",
        title="A disc in the first days",
        summary="s",
        body="b",
        causes=[Cause.HERNIATED_DISC, Cause.SPONDYLOLISTHESIS],
        phases=["acute", "subacute"],
        order=999,
    )
    Topic.objects.create(
        slug="disc-later",
        title="A disc later on",
        summary="s",
        body="b",
        causes=[Cause.HERNIATED_DISC],
        phases=["chronic"],
    )

    topics = topics_for_patient(patient=patient)

    assert [t.slug for t in topics[:3]] == ["disc-first-days", "herniated-disc", "the-first-weeks"]
    assert topics[0].matches == ("cause", "phase")
    assert "disc-later" not in [t.slug for t in topics]


def test_one_topic_by_slug_only_among_the_patients_own(patient, therapist):
    make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)

    assert topic_for_patient(patient=patient, slug="herniated-disc").matches == ("cause",)
    assert topic_for_patient(patient=patient, slug="spinal-stenosis") is None
    assert topic_for_patient(patient=patient, slug="no-such-topic") is None
