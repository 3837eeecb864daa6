"""The demo's payers, fees, coverage and documented courses of visits (demo.visits).

One seed for the module on a fixed Thursday (3 December 2026, 10:00 in New York; the
course began on 26 October, before daylight saving time ended), rolled back at the end.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from appointments.models import Appointment
from core.localtime import local_date, zone_of
from core.validators import validate_npi
from demo.visit_notes import COURSE_VISITS
from demo.visits import PLAN_WEEKS, course_days
from patients.models import Patient
from practice.models import Clinic, StaffMember
from visits import rtm_codes
from visits.billing_models import Coverage, Fee, Payer
from visits.note_models import NoteKind, ProcedureLine, VisitNote, objective_field_names
from visits.plan_models import Goal, SignatureStatus
from visits.plan_status import certification_problem, plan_status, treatment_days
from visits.rtm import rtm_status
from visits.rtm_services import open_episode
from visits.units import TIMED_CODES, UNTIMED_CODES

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)
NEW_YORK = zone_of("America/New_York")
RTM_CODES = {
    rtm_codes.SET_UP,
    rtm_codes.SUPPLY_16_DAYS,
    rtm_codes.SUPPLY_2_TO_15_DAYS,
    rtm_codes.MANAGEMENT_10_MINUTES,
    rtm_codes.MANAGEMENT_FIRST_20,
    rtm_codes.MANAGEMENT_EACH_FURTHER_20,
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(NOW, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def clinic(seeded) -> Clinic:
    return Clinic.objects.get(slug="demo-spine")


@pytest.fixture
def documented(seeded) -> list[Patient]:
    return list(Patient.objects.filter(visit_notes__isnull=False).distinct().order_by("mrn"))


def _payer_of(patient: Patient) -> Payer:
    return Coverage.objects.get(patient=patient).payer


def test_the_demo_clinic_has_medicare_and_a_commercial_payer_and_a_fee_for_every_code(clinic):
    payers = {p.name: p for p in Payer.objects.for_clinic(clinic)}
    medicare, commercial = payers["Medicare Part B"], payers["Blue Harbor Health PPO"]
    assert (medicare.rule, medicare.medicare, medicare.pays_hot_cold_packs) == ("cms", True, False)
    assert (commercial.rule, commercial.medicare, commercial.pays_hot_cold_packs) == (
        "ama",
        False,
        True,
    )
    fees = dict(Fee.objects.for_clinic(clinic).values_list("code", "amount"))
    assert set(fees) == set(TIMED_CODES) | set(UNTIMED_CODES) | RTM_CODES
    assert all(Decimal("10") <= amount <= Decimal("300") for amount in fees.values())
    assert not Payer.objects.exclude(clinic=clinic).exists()  # none in London


def test_the_clinic_and_its_clinicians_have_npis_with_valid_check_digits(clinic):
    validate_npi(clinic.npi)
    clinicians = [s for s in StaffMember.objects.for_clinic(clinic) if s.is_clinician]
    assert len(clinicians) == 3
    for member in clinicians:
        validate_npi(member.npi)
    assert len({clinic.npi, *(m.npi for m in clinicians)}) == 4


def test_patients_of_65_and_over_are_on_medicare_the_others_commercial_some_self_pay(clinic):
    today = local_date(NOW, NEW_YORK)
    patients = Patient.objects.for_clinic(clinic)
    covered = {c.patient_id: c for c in Coverage.objects.select_related("payer")}
    assert 0 < len(patients) - len(covered) < len(patients) // 4
    for patient in patients:
        if patient.pk not in covered:
            continue
        born = patient.date_of_birth
        sixty_five = born.replace(year=born.year + 65) <= today
        assert covered[patient.pk].payer.medicare is sixty_five, patient.mrn
        assert covered[patient.pk].starts_on <= today - datetime.timedelta(weeks=6)
    assert {c.payer.name for c in covered.values()} == {"Medicare Part B", "Blue Harbor Health PPO"}


def test_two_patients_have_a_documented_course_one_on_medicare_one_commercial(documented):
    assert [p.user.username if p.user else p.mrn for p in documented] == [
        "demo.patient",
        "DEMO-0010",
    ]
    assert [_payer_of(p).rule for p in documented] == ["ama", "cms"]


def test_each_course_is_ten_signed_notes_twice_a_week_ending_in_a_progress_note(documented):
    for patient in documented:
        notes = list(patient.visit_notes.order_by("visit_on"))
        assert len(notes) == COURSE_VISITS
        assert [n.kind for n in notes] == [
            NoteKind.EVALUATION,
            *[NoteKind.DAILY] * (COURSE_VISITS - 2),
            NoteKind.PROGRESS,
        ]
        assert {n.visit_on.strftime("%a") for n in notes} == {"Mon", "Thu"}
        for note in notes:
            assert note.appointment.status == Appointment.Status.ATTENDED
            assert note.signed_by == note.therapist
            assert note.therapist.user.username == "demo.therapist"
            # Signed the day of the visit, after it ended.
            assert note.signed_at is not None
            assert note.appointment.ends_at < note.signed_at < NOW
            assert local_date(note.signed_at, NEW_YORK) == note.visit_on
        # The progress note falls on the 10th treatment day since the evaluation.
        days = treatment_days(patient=patient, since=notes[0].visit_on, until=notes[-1].visit_on)
        assert len(days) == COURSE_VISITS


def test_the_evaluation_records_the_whole_examination_and_later_notes_what_changed(documented):
    for patient in documented:
        notes = list(patient.visit_notes.order_by("visit_on"))
        evaluation, progress = notes[0], notes[-1]
        blank = [n for n in objective_field_names() if getattr(evaluation, n) in (None, "")]
        assert blank == []
        assert evaluation.leg_pain is not None
        assert progress.leg_pain is not None
        assert progress.leg_pain < evaluation.leg_pain
        painful = patient.diagnoses.get().side
        side = "right" if painful == "right" else "left"
        assert getattr(progress, f"slr_{side}_degrees") > getattr(evaluation, f"slr_{side}_degrees")
        assert getattr(evaluation, f"slump_{side}_reproduces") is True
        assert getattr(progress, f"slump_{side}_reproduces") is False


def test_the_same_treatment_bills_3_units_for_medicare_and_4_for_the_commercial_plan(documented):
    def units(patient: Patient, procedures: set[tuple[str, int]]) -> list[int]:
        totals = []
        for note in VisitNote.objects.filter(patient=patient).prefetch_related("procedures"):
            lines = note.procedures.all()
            if {(line.code, line.minutes) for line in lines} == procedures:
                totals.append(sum(line.units for line in lines))
        return totals

    dana, medicare = documented
    example = {("97110", 25), ("97112", 15), ("97140", 10)}  # visits.units' worked example
    assert set(units(medicare, example)) == {3}
    assert set(units(dana, example)) == {4}
    # A hot pack: bundled by Medicare, paid by the commercial plan.
    packs = ProcedureLine.objects.filter(code="97010")
    assert set(packs.filter(note__patient=medicare).values_list("units", flat=True)) == {0}
    assert set(packs.filter(note__patient=dana).values_list("units", flat=True)) == {1}


def test_the_medicare_course_passes_the_years_therapy_threshold(documented):
    medicare = documented[1]
    fees = dict(Fee.objects.values_list("code", "amount"))
    spent = Decimal(0)
    crossed_at = None
    for number, note in enumerate(medicare.visit_notes.order_by("visit_on"), start=1):
        spent += sum(fees[line.code] * line.units for line in note.procedures.all())
        if crossed_at is None and spent > settings.THERAPY_KX_THRESHOLDS[note.visit_on.year]:
            crossed_at = number
    assert crossed_at is not None
    assert crossed_at > 1  # the last visits carry KX, not the first


def test_one_note_has_an_addendum_written_the_morning_after(documented):
    addenda = [a for p in documented for n in p.visit_notes.all() for a in n.addenda.all()]
    assert len(addenda) == len(documented)
    for addendum in addenda:
        assert addendum.reason
        assert addendum.text
        assert local_date(addendum.written_at, NEW_YORK) == addendum.note.visit_on + (
            datetime.timedelta(days=1)
        )


def test_a_certified_plan_of_care_covers_every_visit_with_short_and_long_goals(documented):
    for patient in documented:
        status = plan_status(patient=patient, today=local_date(NOW, NEW_YORK))
        plan = status.plan
        assert plan is not None
        assert (plan.visits_per_week, plan.weeks) == (2, PLAN_WEEKS)
        assert plan.signature_status == SignatureStatus.SIGNED
        validate_npi(plan.physician_npi)
        assert not status.lapsed
        assert status.last_report_on == patient.visit_notes.get(kind=NoteKind.PROGRESS).visit_on
        assert not status.progress_report_overdue
        for note in patient.visit_notes.all():
            assert certification_problem(patient=patient, day=note.visit_on) == ""
        goals = {(g.term, g.status) for g in plan.goals.all()}
        assert (Goal.Term.SHORT, Goal.Status.MET) in goals
        assert (Goal.Term.LONG, Goal.Status.IN_PROGRESS) in goals


def test_remote_monitoring_has_consent_set_up_and_one_interactive_call(documented):
    supply = {}
    for patient in documented:
        episode = open_episode(patient=patient)
        assert episode is not None
        assert episode.consent_recorded_by.user.username == "demo.therapist"
        assert episode.consent_method == "in_person"
        assert episode.onboarded_on == episode.starts_on
        entries = list(episode.time_entries.all())
        assert len(entries) >= 4
        assert [e.interactive for e in entries].count(True) == 1
        status = rtm_status(episode=episode, today=local_date(NOW, NEW_YORK))
        assert status.set_up is not None
        assert status.set_up.code == rtm_codes.SET_UP
        first = status.periods[0].billed
        supply[patient.mrn] = first.code if first else None
        assert any(month.billed for month in status.months)
    # Daily sessions fill the demo patient's first period; three a week do not.
    assert supply == {
        "DEMO-0001": rtm_codes.SUPPLY_16_DAYS,
        "DEMO-0010": rtm_codes.SUPPLY_2_TO_15_DAYS,
    }


@pytest.mark.parametrize("days_after_a_monday", range(7))
def test_the_course_ends_before_today_and_its_plan_after_whatever_the_weekday(
    days_after_a_monday,
):
    today = datetime.date(2026, 11, 30) + datetime.timedelta(days=days_after_a_monday)
    days = course_days(today)
    assert len(days) == COURSE_VISITS
    assert [d.weekday() for d in days] == [0, 3] * (COURSE_VISITS // 2)
    assert days[-1] <= today - datetime.timedelta(days=2)
    plan_ends = days[0] + datetime.timedelta(weeks=PLAN_WEEKS, days=-1)
    assert plan_ends >= today + datetime.timedelta(days=2)


def test_seeding_again_adds_no_visit_record(seeded):
    def counts() -> tuple[int, ...]:
        return (
            VisitNote.objects.count(),
            Coverage.objects.count(),
            Fee.objects.count(),
            Payer.objects.count(),
        )

    before = counts()
    call_command("seed_demo", "--force", "--password", "demo-pass-123", stdout=StringIO())
    assert counts() == before
