"""The billable lines of a period, before KX (visits.billing adds it): each signed
visit's procedures with units, and what remote monitoring bills, with the claim's
patient, payer, ICD-10 codes, rendering clinician and charge.

- A signed visit note bills each procedure with units on the note's day (a draft bills
  nothing: the note may still change).
- Remote monitoring bills the set-up (98975) on the day of onboarding, device supply
  (98977, 98985) per 30-day period once the period is over, dated its last day, and
  treatment management (98979, 98980, 98981) per calendar month, dated the month's last
  day with time recorded (visits.rtm, visits.rtm_codes). Its rendering clinician is
  who onboarded the patient, who recorded the consent (supply), or who spent most of
  the month's time.
- GP goes on every line: CMS requires it on services furnished under a physical
  therapy plan of care, the RTM codes included when a physical therapist furnishes
  them (Medicare Claims Processing Manual, Pub. 100-04, chapter 5, section 20.1; CY 2022
  PFS final rule, RTM).
- The ICD-10 codes are the patient's diagnosis current on the day of service (the
  latest diagnosed by then), the primary code first.

Each kind of row (notes, procedures, episodes, coverage, diagnoses, plans, fees, data
days) is loaded in one query for the whole period, whatever the number of lines; the
procedures of the year's earlier months come in the same query as bare rows, for KX.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, partial
from typing import TypeVar

from django.db.models import Prefetch, Q

from core.localtime import local_today, patient_zone
from patients.models import Diagnosis, Patient
from practice.models import Clinic, StaffMember

from . import rtm_codes
from .billing_models import Coverage, Fee
from .note_models import ProcedureLine, VisitNote
from .payers import PayerTerms
from .plan_models import PlanOfCare
from .plan_status import plan_certification_problem
from .rtm import PERIOD_DAYS, TermsOn, data_days, rtm_status
from .rtm_models import RtmEpisode, RtmTimeEntry
from .units import TIMED_CODES, UNTIMED_CODES

GP = "GP"  # services under a physical therapy plan of care
KX = "KX"  # above the year's therapy threshold, medically necessary

VISIT = "visit"
RTM = "rtm"

# CPT 2026 short descriptors of the remote monitoring codes.
RTM_DESCRIPTIONS = {
    rtm_codes.SET_UP: "RTM set-up and patient education",
    rtm_codes.SUPPLY_16_DAYS: "RTM device supply, musculoskeletal, 16-30 days",
    rtm_codes.SUPPLY_2_TO_15_DAYS: "RTM device supply, musculoskeletal, 2-15 days",
    rtm_codes.MANAGEMENT_10_MINUTES: "RTM treatment management, 10-19 minutes",
    rtm_codes.MANAGEMENT_FIRST_20: "RTM treatment management, first 20 minutes",
    rtm_codes.MANAGEMENT_EACH_FURTHER_20: "RTM treatment management, each further 20 minutes",
}
DESCRIPTIONS = {**TIMED_CODES, **UNTIMED_CODES, **RTM_DESCRIPTIONS}
_Row = TypeVar("_Row")


@dataclass(frozen=True)
class BillableLine:
    kind: str  # VISIT or RTM
    date_of_service: datetime.date
    patient_id: int
    patient_name: str
    mrn: str
    date_of_birth: datetime.date
    payer: str
    member_id: str
    medicare: bool
    cpt: str
    description: str
    modifiers: tuple[str, ...]
    units: int
    icd10_codes: tuple[str, ...]
    rendering_clinician: str
    rendering_npi: str
    clinic_npi: str
    fee: Decimal | None  # per unit; None when the clinic set no fee for the code
    charge: Decimal | None
    # What the line adds to Medicare's yearly therapy total: the allowed amount where
    # the fee schedule sets one, else the charge.
    threshold_amount: Decimal | None
    certification_problem: str  # "" when the visit is under a certified plan
    appointment_id: int | None  # the visit's, for its superbill; None for RTM
    note_id: int | None


def _times(amount: Decimal | None, units: int) -> Decimal | None:
    return (amount * units).quantize(Decimal("0.01")) if amount is not None else None


def _latest_by(
    rows: Iterable[_Row], day: datetime.date, since: Callable[[_Row], datetime.date]
) -> _Row | None:
    """The first row (rows newest first) in force by `day`."""
    return next((row for row in rows if since(row) <= day), None)


def _staff_name(staff: StaffMember | None) -> tuple[str, str]:
    return (str(staff), staff.npi) if staff is not None else ("", "")


# A procedure line with units of a signed note: note id, patient id, date, code, units.
ProcedureRow = tuple[int, int, datetime.date, str, int]

# What a note's lines print: the claim's patient, clinician and visit, not its content.
_NOTE_COLUMNS = (
    *("visit_on", "appointment", "patient", "therapist", "therapist__user"),
    *("patient__first_name", "patient__last_name", "patient__mrn", "patient__date_of_birth"),
    *("therapist__credentials", "therapist__npi", "therapist__user__username"),
    *("therapist__user__first_name", "therapist__user__last_name"),
)


@dataclass(frozen=True)
class _Claim:
    """What the lines of one patient's day from one clinician share."""

    patient: Patient
    terms: PayerTerms
    icd10_codes: tuple[str, ...]
    clinician: tuple[str, str]  # name, NPI

    @property
    def medicare(self) -> bool:
        return bool(self.terms.payer and self.terms.payer.medicare)


class LineLoader:
    """The lines of a period (without KX), from rows each loaded in one query, and what
    KX needs of the year before it (from `year_from`): the earlier visits' procedures
    as bare rows (`earlier_procedures`) and the earlier monitoring's lines."""

    def __init__(
        self,
        *,
        clinic: Clinic,
        since: datetime.date,
        until: datetime.date,
        patient: Patient | None,
        year_from: datetime.date,
    ) -> None:
        self.clinic, self.since, self.until, self.year_from = clinic, since, until, year_from
        notes = (
            VisitNote.objects.for_clinic(clinic)
            .filter(signed_at__isnull=False, visit_on__gte=since, visit_on__lte=until)
            .select_related("patient", "therapist__user")
            .only(*_NOTE_COLUMNS)
            .order_by("visit_on", "id")
        )
        # The year's procedures in one query of bare rows: the period's become its notes'
        # lines; the earlier ones only add to KX's totals, and building lines for them
        # would cost as much again for every earlier month.
        procedures = (
            ProcedureLine.objects.for_clinic(clinic)
            .filter(
                note__signed_at__isnull=False,
                note__visit_on__gte=year_from,
                note__visit_on__lte=until,
                units__gt=0,
            )
            .values_list("note_id", "note__patient_id", "note__visit_on", "code", "units")
        )
        # A period ending in the year began up to 29 days before it; an ended episode's
        # last period ends up to 29 days after its end.
        reach = datetime.timedelta(days=PERIOD_DAYS)
        episodes = (
            RtmEpisode.objects.for_clinic(clinic)
            .filter(starts_on__lte=until)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=year_from - reach))
            .select_related("patient", "consent_recorded_by__user", "onboarded_by__user")
            .prefetch_related(
                Prefetch(
                    "time_entries",
                    queryset=RtmTimeEntry.objects.select_related("clinician__user").order_by(
                        "worked_on", "id"
                    ),
                )
            )
            .order_by("starts_on", "id")
        )
        if patient is not None:
            notes = notes.filter(patient=patient)
            procedures = procedures.filter(note__patient=patient)
            episodes = episodes.filter(patient=patient)
        self.notes = list(notes)
        self.procedures: dict[int, list[tuple[str, int]]] = defaultdict(list)
        self.earlier_procedures: list[ProcedureRow] = []
        for row in procedures:
            if row[2] < since:
                self.earlier_procedures.append(row)
            else:
                self.procedures[row[0]].append((row[3], row[4]))
        self.episodes = list(episodes)
        note_patients = {n.patient_id for n in self.notes}
        ids = list(note_patients | {e.patient_id for e in self.episodes})
        self.coverages: dict[int, list[Coverage]] = defaultdict(list)
        for coverage in (
            Coverage.objects.for_clinic(clinic)
            .filter(patient_id__in=ids, starts_on__lte=until)
            .select_related("payer")
            .order_by("-starts_on", "-id")
        ):
            self.coverages[coverage.patient_id].append(coverage)
        self.diagnoses: dict[int, list[Diagnosis]] = defaultdict(list)
        for diagnosis in (
            Diagnosis.objects.for_clinic(clinic)
            .filter(patient_id__in=ids, diagnosed_on__lte=until)
            .order_by("-diagnosed_on", "-id")
        ):
            self.diagnoses[diagnosis.patient_id].append(diagnosis)
        self.plans: dict[int, list[PlanOfCare]] = defaultdict(list)
        for plan in (
            PlanOfCare.objects.for_clinic(clinic)
            .filter(patient_id__in=note_patients, starts_on__lte=until)
            .order_by("-starts_on", "-id")
        ):
            self.plans[plan.patient_id].append(plan)
        fees = list(Fee.objects.for_clinic(clinic))
        self.fees = {fee.code: fee.amount for fee in fees}
        self.allowed = {
            fee.code: fee.medicare_allowed for fee in fees if fee.medicare_allowed is not None
        }
        monitored = {e.patient_id: e.patient for e in self.episodes}.values()
        earliest = min((e.starts_on for e in self.episodes), default=year_from)
        self.data_days = data_days(
            patients=monitored, since=max(earliest, year_from - reach), until=until
        )

    def terms_on(self, patient_id: int) -> TermsOn:
        coverages = self.coverages.get(patient_id, [])

        def terms(day: datetime.date) -> PayerTerms:
            coverage = _latest_by(coverages, day, lambda c: c.starts_on)
            if coverage is None:
                return PayerTerms(payer=None, member_id="")
            return PayerTerms(payer=coverage.payer, member_id=coverage.member_id)

        return terms

    def medicare_on(self, patient_id: int, day: datetime.date) -> bool:
        payer = self.terms_on(patient_id)(day).payer
        return bool(payer and payer.medicare)

    def threshold_amount(self, code: str, units: int) -> Decimal | None:
        return _times(self.allowed.get(code, self.fees.get(code)), units)

    def icd10_codes(self, patient_id: int, day: datetime.date) -> tuple[str, ...]:
        diagnoses = self.diagnoses.get(patient_id, [])
        diagnosis = _latest_by(diagnoses, day, lambda d: d.diagnosed_on)
        if diagnosis is None:
            return ()
        return (diagnosis.icd10_code, *diagnosis.secondary_icd10_codes)

    def claim(self, patient: Patient, day: datetime.date, clinician: StaffMember | None) -> _Claim:
        return _Claim(
            patient=patient,
            terms=self.terms_on(patient.pk)(day),
            icd10_codes=self.icd10_codes(patient.pk, day),
            clinician=_staff_name(clinician),
        )

    def line(
        self,
        *,
        kind: str,
        claim: _Claim,
        day: datetime.date,
        code: str,
        units: int,
        problem: str = "",
        note: VisitNote | None = None,
    ) -> BillableLine:
        fee = self.fees.get(code)
        patient, terms, medicare = claim.patient, claim.terms, claim.medicare
        return BillableLine(
            kind=kind,
            date_of_service=day,
            patient_id=patient.pk,
            patient_name=patient.full_name,
            mrn=patient.mrn,
            date_of_birth=patient.date_of_birth,
            payer=terms.name,
            member_id=terms.member_id,
            medicare=medicare,
            cpt=code,
            description=DESCRIPTIONS.get(code, ""),
            modifiers=(GP,),
            units=units,
            icd10_codes=claim.icd10_codes,
            rendering_clinician=claim.clinician[0],
            rendering_npi=claim.clinician[1],
            clinic_npi=self.clinic.npi,
            fee=fee,
            charge=_times(fee, units),
            threshold_amount=self.threshold_amount(code, units),
            # The certified plan is Medicare's condition of payment; other payers set
            # their own (a referral, an authorisation) which this system does not hold.
            certification_problem=problem if medicare else "",
            appointment_id=note.appointment_id if note is not None else None,
            note_id=note.pk if note is not None else None,
        )

    def lines(self) -> list[BillableLine]:
        """The period's lines."""
        rtm = [line for line in self._year_rtm_lines if line.date_of_service >= self.since]
        return [*self._visit_lines(), *rtm]

    def earlier_rtm_lines(self) -> list[BillableLine]:
        """The monitoring's lines of the year before the period (few: one episode bills
        a handful a month)."""
        return [line for line in self._year_rtm_lines if line.date_of_service < self.since]

    def _visit_lines(self) -> list[BillableLine]:
        lines: list[BillableLine] = []
        for note in self.notes:
            day = note.visit_on
            plans = self.plans.get(note.patient_id, [])
            plan = _latest_by(plans, day, lambda p: p.starts_on)
            problem = plan_certification_problem(plan=plan, day=day)
            claim = self.claim(note.patient, day, note.therapist)
            line = partial(self.line, kind=VISIT, claim=claim, day=day, problem=problem, note=note)
            procedures = sorted(self.procedures.get(note.pk, ()))
            lines.extend(line(code=code, units=units) for code, units in procedures)
        return lines

    def _rtm_line(
        self,
        patient: Patient,
        day: datetime.date,
        billed: rtm_codes.Billed,
        clinician: StaffMember | None,
    ) -> BillableLine:
        claim = self.claim(patient, day, clinician)
        return self.line(kind=RTM, claim=claim, day=day, code=billed.code, units=billed.units)

    def _in_range(self, day: datetime.date) -> bool:
        return self.year_from <= day <= self.until

    @cached_property
    def _year_rtm_lines(self) -> list[BillableLine]:
        lines = []
        for episode in self.episodes:
            patient = episode.patient
            today = local_today(patient_zone(patient))
            status = rtm_status(
                episode=episode,
                today=today,
                days=self.data_days.get(patient.pk, set()),
                terms_on=self.terms_on(patient.pk),
            )

            line = partial(self._rtm_line, patient)
            onboarded_on = episode.onboarded_on
            if status.set_up is not None and onboarded_on and self._in_range(onboarded_on):
                by = episode.onboarded_by or episode.consent_recorded_by
                lines.append(line(onboarded_on, status.set_up, by))
            for period in status.periods:
                # Billed once the period's last day has passed (or the episode ended):
                # until then more days may still change the code.
                over = period.is_over and (period.ends_on < today or episode.ended_on)
                if period.billed is None or not over or not self._in_range(period.ends_on):
                    continue
                lines.append(line(period.ends_on, period.billed, episode.consent_recorded_by))
            for month in status.months:
                worked_on = month.last_worked_on
                if not month.billed or worked_on is None or not self._in_range(worked_on):
                    continue
                by = _main_clinician(episode, month.month) or episode.consent_recorded_by
                lines.extend(line(worked_on, billed, by) for billed in month.billed)
        return lines


def _main_clinician(episode: RtmEpisode, month: datetime.date) -> StaffMember | None:
    """Who spent the most of the month's time (the first to work it, on a tie)."""
    # Entries come in the order worked, and max() keeps the first of equals.
    minutes: dict[int, int] = defaultdict(int)
    staff: dict[int, StaffMember] = {}
    for entry in episode.time_entries.all():
        if entry.worked_on.replace(day=1) == month:
            minutes[entry.clinician_id] += entry.minutes
            staff.setdefault(entry.clinician_id, entry.clinician)
    if not minutes:
        return None
    return staff[max(minutes, key=minutes.__getitem__)]
