"""The patient summary in the admin: the header of the patient page and the matching
columns of the patient list (patients.admin_sections), both from workspace.summary.

Each user sees the parts their permissions allow (`summary.parts_for`): a therapist
all of them, the front desk the hold and the next appointment only. The list's columns
read their values for the whole page at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from django.contrib import admin
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.localtime import patient_zone
from patients.admin_sections import Column, Panel, register_column, register_panel
from patients.diagnoses import codes_as_list
from patients.models import Diagnosis, Patient
from programs.models import Prescription
from programs.selectors import CurrentProgram, PainTrend

from . import summary
from .summary import AdherenceWindow, Part, PatientSummary

if TYPE_CHECKING:
    from appointments.models import Appointment
    from outcomes.selectors import MeasureSummary
    from patients.selectors import OpenAlerts
    from practice.models import User

NONE = "-"
_ALERT_ICON = "admin/img/icon-alert.svg"
_OK_ICON = "admin/img/icon-yes.svg"


def _icon(path: str, text: str) -> SafeString:
    return format_html('<img src="{}" alt=""> {}', static(path), text)


def _local(moment: datetime.datetime) -> datetime.datetime:
    """`moment` in the admin's zone (the clinic's); in UTC at the ends of the calendar
    (a bad date stored as year 1 or 9999), where the shift would leave the range."""
    try:
        return timezone.localtime(moment)
    except OverflowError:
        return moment.astimezone(datetime.UTC)


def _signed(value: object) -> str:
    """A change written with its sign: +2, -1.5, 0."""
    text = f"{value}"
    return text if text.startswith("-") or text in ("0", "0.0") else f"+{text}"


def _number(value: object) -> str:
    return f"{value.normalize():f}" if isinstance(value, Decimal) else f"{value}"


# --- each part in words ---------------------------------------------------------------


def diagnosis_text(diagnosis: Diagnosis) -> str:
    codes = ", ".join([diagnosis.icd10_code, *codes_as_list(diagnosis.secondary_icd10_codes)])
    return f"{diagnosis.get_cause_display()}, {diagnosis.get_side_display().lower()} ({codes})"


def hold_html(patient: Patient) -> SafeString:
    # A warning for a hold, a tick for none: a held patient must never look "all good".
    # Each hold is named: clearing the medical one leaves the referral one standing.
    holds = [
        f"On {name} hold since {_local(since):%Y-%m-%d}"
        for name, since in (
            ("medical", patient.medical_hold_since),
            ("referral", patient.referral_hold_since),
        )
        if since is not None
    ]
    if not holds:
        return _icon(_OK_ICON, "Not on hold")
    return _icon(_ALERT_ICON, "; ".join(holds))


def program_text(program: CurrentProgram, week: int | None, *, long: bool = False) -> str:
    """The program and, while it is open, its phase and the phase's week (of the
    template's planned weeks)."""
    prescription = program.prescription
    status = prescription.get_status_display().lower()
    # The list names a status only when it is not the usual "active".
    active = prescription.status == Prescription.Status.ACTIVE
    name = f"{prescription.name} ({status})" if long or not active else prescription.name
    if week is None:  # closed: no phase running
        return name
    # The template's plan, said as a plan: a phase may well run past it.
    of = f" (planned {program.phase_weeks})" if program.phase_weeks else ""
    phase = f"phase {prescription.current_phase}"
    if long:
        phase += f": {prescription.current_phase_name}"
    return f"{name}, {phase}, week {week}{of}"


def pain_text(trend: PainTrend) -> str | None:
    if trend.latest is None:
        return None
    change = "" if trend.change is None else f" ({_signed(trend.change)} since the first)"
    return f"{trend.latest}/10{change}"


def pains_text(program: CurrentProgram) -> str:
    found = [
        f"{label} {text}"
        for label, trend in (("leg", program.leg_pain), ("back", program.back_pain))
        if (text := pain_text(trend)) is not None
    ]
    return "; ".join(found) or NONE


def adherence_text(windows: Sequence[AdherenceWindow], *, long: bool = False) -> str:
    def one(window: AdherenceWindow) -> str:
        if window.percent is None:
            return f"{window.days} days: {NONE}"
        if not long:
            return f"{window.days} days: {window.percent}%"
        return (
            f"{window.days} days: {window.percent}% ({window.days_with_session} of "
            f"{window.scheduled_days} scheduled days)"
        )

    return "; ".join(one(w) for w in windows)


def appointment_text(appointment: Appointment, *, long: bool = False) -> str:
    """When, in the admin's zone (the clinic's), with the patient's own time beside it
    where their zone differs."""
    start = _local(appointment.starts_at)
    text = f"{start:%a %Y-%m-%d %H:%M}"
    if not long:
        return text
    text += f" {timezone.get_current_timezone_name()}"
    try:
        own = appointment.starts_at.astimezone(patient_zone(appointment.patient))
    except OverflowError:
        own = start
    if own.utcoffset() != start.utcoffset():
        text += f" ({own:%H:%M} the patient's time, {own.tzinfo})"
    return f"{text}, {appointment.get_kind_display().lower()} with {appointment.therapist}"


def alerts_text(alerts: OpenAlerts, *, long: bool = False) -> str:
    urgent = f", {alerts.urgent} urgent" if alerts.urgent else ""
    text = f"{alerts.count} open{urgent}"
    return f"{text}: {', '.join(alerts.kinds)}" if long else text


def mcid_verdict(odi: MeasureSummary) -> str:
    if odi.meets_mcid is None:
        return "no follow-up yet"
    return "MCID met" if odi.meets_mcid else "MCID not met"


def odi_text(odi: MeasureSummary, *, long: bool = False) -> str:
    if odi.latest is None:  # summary.odi_of leaves these out
        return NONE
    text = _number(odi.latest.score)
    if odi.change is not None:
        text += f" ({_signed(_number(odi.change))})"
    text += f", {mcid_verdict(odi)}"
    if long and odi.followed_up:
        text += f" (baseline {_number(odi.baseline.score) if odi.baseline else NONE}; "
        text += f"meaningful is {odi.mcid.text} less)"
    return text


# --- the header -----------------------------------------------------------------------


def header_rows(found: PatientSummary) -> list[tuple[str, str | SafeString]]:
    """The header's rows, each a label and its value, for the parts `found` holds."""
    rows: list[tuple[str, str | SafeString]] = []
    if found.shows(Part.DIAGNOSIS):
        diagnosis = found.diagnosis
        rows.append(("Diagnosis", NONE if diagnosis is None else diagnosis_text(diagnosis)))
        if found.chronicity is not None:
            rows.append(("Chronicity", found.chronicity.label))
    if found.shows(Part.HOLD):
        rows.append(("Hold", hold_html(found.patient)))
    program = found.program
    if found.shows(Part.PROGRAM):
        program_line = (
            None if program is None else program_text(program, found.phase_week, long=True)
        )
        rows.append(("Program", program_line or NONE))
    if found.shows(Part.PAIN):
        rows.append(("Pain after sessions", NONE if program is None else pains_text(program)))
    if found.shows(Part.ADHERENCE):
        windows = found.adherence
        rows.append(("Adherence", adherence_text(windows, long=True) if windows else NONE))
    if found.shows(Part.NEXT_APPOINTMENT):
        visit = found.next_appointment
        when = NONE if visit is None else appointment_text(visit, long=True)
        rows.append(("Next appointment", when))
    if found.shows(Part.ALERTS):
        alerts = found.alerts
        rows.append(("Open alerts", "None" if alerts is None else _alerts_link(alerts)))
    if found.shows(Part.ODI):
        odi = found.odi
        rows.append(("Latest ODI", NONE if odi is None else odi_text(odi, long=True)))
    return rows


def _alerts_link(alerts: OpenAlerts) -> SafeString:
    # The page lists the alerts further down (patients.admin_inlines.AlertInline).
    return format_html('<a href="#alerts-group">{}</a>', alerts_text(alerts, long=True))


def header_html(found: PatientSummary) -> SafeString:
    return format_html(
        '<dl class="patient-summary">{}</dl>',
        format_html_join("", "<div><dt>{}</dt><dd>{}</dd></div>", header_rows(found)),
    )


@cache  # one field per set of parts, so the page names the same field twice (Panel)
def header_field(parts: frozenset[Part]) -> Callable[[Patient], str]:
    @admin.display(description="summary")
    def patient_summary(patient: Patient) -> str:
        return header_html(summary.patient_summary(patient=patient, parts=parts))

    return patient_summary


def header_for(user: User) -> Callable[[Patient], str]:
    return header_field(summary.parts_for(user))


# --- the list's columns ---------------------------------------------------------------


def _cell_program(found: PatientSummary) -> str | None:
    return None if found.program is None else program_text(found.program, found.phase_week)


def _cell_pain(found: PatientSummary) -> str | None:
    return None if found.program is None else pains_text(found.program)


def _cell_adherence(found: PatientSummary) -> str | None:
    return None if found.adherence is None else adherence_text(found.adherence)


def _cell_next_appointment(found: PatientSummary) -> str | None:
    visit = found.next_appointment
    return None if visit is None else appointment_text(visit)


def _cell_alerts(found: PatientSummary) -> str | None:
    return None if found.alerts is None else alerts_text(found.alerts)


def _cell_odi(found: PatientSummary) -> str | None:
    return None if found.odi is None else odi_text(found.odi)


def summary_column(part: Part, title: str, cell: Callable[[PatientSummary], str | None]) -> Column:
    """A list column showing one part of the summary, read for the whole page at once
    and only for users who may see that part."""

    def load(patients: Sequence[Patient]) -> dict[int, str]:
        found = summary.patient_summaries(patients=patients, parts={part})
        cells = {pk: cell(each) for pk, each in found.items()}
        return {pk: text for pk, text in cells.items() if text is not None}

    return Column(
        name=f"summary_{part}", title=title, load=load, permission=summary.PERMISSIONS[part]
    )


COLUMNS = (
    summary_column(Part.PROGRAM, "program", _cell_program),
    summary_column(Part.PAIN, "pain after sessions", _cell_pain),
    summary_column(Part.ADHERENCE, "adherence", _cell_adherence),
    summary_column(Part.NEXT_APPOINTMENT, "next appointment", _cell_next_appointment),
    summary_column(Part.ALERTS, "open alerts", _cell_alerts),
    summary_column(Part.ODI, "latest ODI", _cell_odi),
)

# The patients app's own columns come first (its cause column shows the diagnosis).
for order, column in enumerate(COLUMNS, start=1):
    register_column(column, order=order * 10)

# Before every other section (the Progress charts are 10).
register_panel(
    Panel(
        title="Summary",
        field=header_field(frozenset(Part)),
        field_for_user=header_for,
        description="The patient at a glance; times in the clinic's zone.",
    ),
    order=0,
)
