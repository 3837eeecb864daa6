"""Remote therapeutic monitoring in the admin, written through visits.rtm_services.

An episode starts with the patient's consent (who recorded it, when, how); its set-up
visit and its end are recorded on its page; clinicians add their treatment-management
time there. Its status (visits.rtm) is counted from what the app recorded: the days with
data in each 30-day period, the minutes of each month, and what each bills.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from core.localtime import local_today, zone_of
from patients.admin_search import PatientSearchMixin
from practice.admin_base import ClinicScopedAdmin, ReadOnlyInline, ServiceForm
from practice.admin_returns import ReturnToPatientMixin

from .admin_formsets import ServiceFormSet, form_staff, with_request
from .rtm import RtmStatus, rtm_status
from .rtm_codes import Billed
from .rtm_models import RtmEpisode, RtmTimeEntry
from .rtm_services import (
    rtm_episode_end,
    rtm_episode_onboard,
    rtm_episode_start,
    rtm_time_entry_add,
)

START_FIELDS = ["patient", "starts_on", "consent_at", "consent_method"]
# Set when the episode began or by its services, shown on its page.
FIXED_FIELDS = [
    "patient",
    "starts_on",
    "consent_at",
    "consent_recorded_by",
    "consent_method",
    "onboarded_by",
    "ended_on",
    "status",
]


class StartEpisodeForm(ServiceForm):
    class Meta:
        model = RtmEpisode
        fields = START_FIELDS
        help_texts = {
            "starts_on": "The first day of the first 30-day period; the patient's today if blank."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].required = False
        self.fields["consent_at"].label = "consent given at"

    def perform(self, data: dict[str, Any]) -> RtmEpisode:
        try:
            return rtm_episode_start(
                patient=data["patient"],
                staff_member=form_staff(self),
                consent_at=data["consent_at"],
                consent_method=data["consent_method"],
                starts_on=data.get("starts_on"),
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None


class EpisodeForm(ServiceForm):
    """The set-up visit (98975, once) and the episode's end."""

    end_on = forms.DateField(
        label="end monitoring on",
        required=False,
        help_text="The last day monitored; no time or data counts after it.",
    )

    class Meta:
        model = RtmEpisode
        fields = ["onboarded_on"]

    def perform(self, data: dict[str, Any]) -> RtmEpisode:
        episode: RtmEpisode = self.instance
        try:
            if data.get("onboarded_on") and "onboarded_on" in self.changed_data:
                episode = rtm_episode_onboard(
                    episode=episode,
                    staff_member=form_staff(self),
                    onboarded_on=data["onboarded_on"],
                )
            if data.get("end_on"):
                episode = rtm_episode_end(
                    episode=episode, staff_member=form_staff(self), ended_on=data["end_on"]
                )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None
        return episode


class NewTimeEntryFormSet(ServiceFormSet):
    def perform(self, staff: Any, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            rtm_time_entry_add(
                episode=self.instance,
                clinician=staff,
                worked_on=row["worked_on"],
                minutes=row["minutes"],
                interactive=row["interactive"],
                note=row["note"],
            )


class TimeEntryInline(ReadOnlyInline):
    model = RtmTimeEntry
    fields = readonly_fields = ("worked_on", "clinician", "minutes", "interactive", "note")
    show_change_link = False
    verbose_name_plural = "treatment-management time"


class NewTimeEntryInline(admin.TabularInline):
    """Time spent on the patient's monitoring data, recorded as the signed-in clinician."""

    model = RtmTimeEntry
    formset = NewTimeEntryFormSet
    fields = ["worked_on", "minutes", "interactive", "note"]
    extra = 1
    can_delete = False
    verbose_name = "time entry"
    verbose_name_plural = "add treatment-management time"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).none()

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        return with_request(super().get_formset(request, obj, **kwargs), request)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "note":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _codes(billed: tuple[Billed, ...] | list[Billed]) -> str:
    return ", ".join(f"{b.code} x{b.units}" if b.units > 1 else b.code for b in billed)


def status_html(status: RtmStatus, *, month: datetime.date) -> str:
    """The episode's current period, this month's minutes, and what it all bills."""
    episode = status.episode
    rows: list[tuple[str, str]] = [
        (
            "consent",
            f"{episode.get_consent_method_display()}, {episode.consent_at:%Y-%m-%d}, "
            f"recorded by {episode.consent_recorded_by}",
        ),
        (
            "set-up (98975)",
            f"{episode.onboarded_on.isoformat()}, billed once"
            if episode.onboarded_on
            else "Not recorded yet",
        ),
    ]
    period = status.current_period
    if period is not None:
        rows.append(
            (
                "this period",
                f"{period.starts_on.isoformat()} to {period.ends_on.isoformat()}: "
                f"{period.days_with_data} day(s) with data, {period.days_needed} more needed "
                f"for 98977, {period.days_left} day(s) left"
                + (" (at risk)" if period.at_risk else ""),
            )
        )
    elif episode.ended_on:
        rows.append(("ended", episode.ended_on.isoformat()))
    this_month = next((m for m in status.months if m.month == month), None)
    rows.append(
        (
            "minutes this month",
            "None recorded"
            if this_month is None
            else f"{this_month.minutes}"
            + ("" if this_month.interactive else " (no interactive communication yet)"),
        )
    )
    billable = [
        *([status.set_up] if status.set_up else []),
        *(p.billed for p in status.periods if p.billed is not None),
        *(b for m in status.months for b in m.billed),
    ]
    rows.append(("billable so far", _codes(billable) or "Nothing yet"))
    periods = format_html_join(
        "",
        "<tr><td>{} to {}</td><td>{}</td><td>{}</td></tr>",
        (
            (p.starts_on, p.ends_on, p.days_with_data, p.billed.code if p.billed else "-")
            for p in status.periods
        ),
    )
    months = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                f"{m.month:%Y-%m}",
                m.minutes,
                "yes" if m.interactive else "no",
                _codes(m.billed) or "-",
            )
            for m in status.months
        ),
    )
    return format_html(
        '<table class="rtm-status"><tbody>{}</tbody></table>'
        "<h4>Periods</h4><table><thead><tr><th>period</th><th>days with data</th>"
        "<th>bills</th></tr></thead><tbody>{}</tbody></table>"
        "<h4>Months</h4><table><thead><tr><th>month</th><th>minutes</th>"
        "<th>interactive</th><th>bills</th></tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        periods,
        months or format_html("<tr><td colspan=4>No time recorded.</td></tr>"),
    )


def episode_status(episode: RtmEpisode) -> str:
    month = local_today(zone_of(episode.patient.clinic.time_zone)).replace(day=1)
    return status_html(rtm_status(episode=episode), month=month)


@admin.register(RtmEpisode)
class RtmEpisodeAdmin(ReturnToPatientMixin, PatientSearchMixin, ClinicScopedAdmin):
    audit_patient_path = "patient"
    list_display = ["patient", "starts_on", "consent_method", "onboarded_on", "ended_on"]
    list_filter = ["consent_method", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["patient"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    patient_search_prefix = "patient__"

    @admin.display(description="status")
    def status(self, obj: RtmEpisode) -> str:
        return episode_status(obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = EpisodeForm if obj is not None else StartEpisodeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return list(START_FIELDS)
        return [*FIXED_FIELDS[:5], "onboarded_on", *FIXED_FIELDS[5:], "end_on"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return []
        fixed = list(FIXED_FIELDS)
        if obj.onboarded_on is not None:
            fixed.append("onboarded_on")
        if obj.ended_on is not None:
            fixed.append("end_on")
        return fixed

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        # Time is added to an episode already begun, on its own page.
        return [TimeEntryInline, NewTimeEntryInline] if obj is not None else []

    @admin.display(description="end monitoring on")
    def end_on(self, obj: RtmEpisode) -> str:
        return obj.ended_on.isoformat() if obj.ended_on else "-"
