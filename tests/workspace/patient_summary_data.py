"""A patient with something in every part of the summary, made through the services at
the moments a real record would be written (the phase advanced nine days ago, sessions
over three weeks), and the summary's header and list cells as read from admin pages."""

from __future__ import annotations

import datetime
import html
import re
import uuid
from decimal import Decimal
from typing import Any

import time_machine

from outcomes.models import Code, QuestionnaireResponse
from patients import services as patient_services
from patients.models import ClinicalAlert, Patient
from practice.models import StaffMember
from programs import services as program_services
from tests.factories import (
    make_alert,
    make_appointment,
    make_diagnosis,
    make_patient,
    make_prescription,
)

# A Wednesday, noon in New York (EDT): the clinic's and the patient's zone.
NOW = datetime.datetime(2026, 3, 18, 16, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
PROGRAM_DAYS = 20  # the program started 20 days ago: 21 scheduled days up to today
PHASE_ADVANCED = 9  # days ago: the second phase is in its second week
# Days ago each session was done, oldest first: five of the last seven days, seven days
# in all. The first and the last carry the pain trend's ends.
SESSION_DAYS = (19, 12, 6, 5, 4, 2, 0)
# (leg before, leg after, back before, back after)
FIRST_PAIN = (7, 6, 2, 2)
MIDDLE_PAIN = (5, 4, 2, 2)
LAST_PAIN = (4, 3, 3, 3)
NEXT_VISIT = NOW + 2 * DAY - datetime.timedelta(hours=1)  # Friday 11:00 in New York


def treated_patient(therapist: StaffMember, *, slot: int = 0, **fields: Any) -> Patient:
    """A patient of the therapist registered 20 days before `NOW`, with a diagnosis, a
    program in its second phase, sessions, two upcoming appointments, open and
    acknowledged alerts and two ODIs; its visits `slot` hours after `NEXT_VISIT` (one
    therapist sees one patient at a time). Call it outside any time travel."""
    visit = NEXT_VISIT + datetime.timedelta(hours=slot)
    start = NOW - PROGRAM_DAYS * DAY
    with time_machine.travel(start, tick=False):
        patient = make_patient(clinic=therapist.clinic, primary_therapist=therapist, **fields)
        diagnosis = make_diagnosis(
            patient=patient, diagnosed_by=therapist, onset_days_ago=60 - PROGRAM_DAYS
        )
        program = make_prescription(diagnosis=diagnosis, prescribed_by=therapist)
    with time_machine.travel(NOW - PHASE_ADVANCED * DAY, tick=False):
        program_services.prescription_advance_phase(prescription=program, actor=therapist.user)
    with time_machine.travel(NOW, tick=False):
        exercise = program.exercises.order_by("phase", "order").first()
        assert exercise is not None
        for i, days in enumerate(SESSION_DAYS):
            leg_before, leg_after, back_before, back_after = (
                FIRST_PAIN if i == 0 else LAST_PAIN if days == 0 else MIDDLE_PAIN
            )
            program_services.session_log(
                patient=patient,
                client_id=uuid.uuid4(),
                performed_at=NOW - days * DAY - datetime.timedelta(hours=1),
                pain_extent="thigh",
                exercises=[program_services.ExerciseDone(prescribed_exercise_id=exercise.pk)],
                leg_pain_before=leg_before,
                leg_pain_after=leg_after,
                back_pain_before=back_before,
                back_pain_after=back_after,
            )
        make_appointment(patient=patient, therapist=therapist, starts_at=visit + 7 * DAY)
        make_appointment(patient=patient, therapist=therapist, starts_at=visit)
        make_alert(patient=patient)  # routine: pain increase
        make_alert(
            patient=patient,
            kind=ClinicalAlert.Kind.RED_FLAG,
            severity=ClinicalAlert.Severity.URGENT,
            message="Foot drop reported in the app.",
        )
        seen = make_alert(patient=patient, kind=ClinicalAlert.Kind.INACTIVITY)
        patient_services.alert_acknowledge(alert=seen, staff_member=therapist)
        for days, score, occasion in ((19, "42.0", "baseline"), (5, "30.0", "follow_up")):
            QuestionnaireResponse.objects.create(
                patient=patient,
                code=Code.ODI,
                answers={},
                score=Decimal(score),
                band="moderate",
                occasion=occasion,
                due_on=(NOW - days * DAY).date(),
                answered_at=NOW - days * DAY,
            )
    return patient


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def header_of(page: str) -> dict[str, str]:
    """The Summary section's rows as text, label: value."""
    found = re.search(r'<dl class="patient-summary">(.*?)</dl>', page, flags=re.S)
    assert found is not None, "no summary on the page"
    rows = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", found.group(1), flags=re.S)
    return {_text(label): _text(value) for label, value in rows}


def header_html_of(page: str) -> str:
    found = re.search(r'<dl class="patient-summary">(.*?)</dl>', page, flags=re.S)
    assert found is not None, "no summary on the page"
    return found.group(1)


def cells_of(page: str, column: str) -> list[str]:
    """The text of each row's cell in the list column `column`, top to bottom."""
    return [
        _text(cell)
        for cell in re.findall(rf'<td class="field-{column}[^"]*">(.*?)</td>', page, flags=re.S)
    ]
