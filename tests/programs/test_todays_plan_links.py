"""Today's plan (GET /api/v1/me/program/) links the patient's first education topics."""

from __future__ import annotations

import pytest

from education.models import Topic
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db

PROGRAM = "/api/v1/me/program/"


def test_todays_plan_links_the_three_topics_that_fit_best(patient_api, patient, therapist):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)

    response = patient_api.get(PROGRAM)

    assert response.status_code == 200, response.content
    links = response.json()["today"]["education"]
    assert links == [
        {
            "slug": slug,
            "title": Topic.objects.get(slug=slug).title,
            "url": f"http://testserver/api/v1/me/education/{slug}/",
        }
        for slug in ("herniated-disc", "the-first-weeks", "when-to-seek-emergency-care")
    ]
    for link in links:
        assert patient_api.get(link["url"]).status_code == 200


def test_the_links_follow_the_library(patient_api, patient, therapist):
    diagnosis = make_diagnosis(patient=patient, diagnosed_by=therapist, onset_days_ago=10)
    make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    Topic.objects.exclude(slug__in=["keep-moving", "spinal-stenosis"]).update(is_active=False)

    links = patient_api.get(PROGRAM).json()["today"]["education"]

    assert [link["slug"] for link in links] == ["keep-moving"]
