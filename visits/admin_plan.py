"""The plan of care in the admin, written through visits.plans.

A plan is created with `plan_of_care_create` (a newer plan supersedes the patient's
current one); its frequency, duration and physician are then the service's and shown
read-only. What changes afterwards is the physician's signature (sent, then certified
on a day: `plan_of_care_mark_sent`, `plan_of_care_certify`) and each goal's status
(`goal_set_status`); goals are added with `goal_add`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from patients.admin_search import PatientSearchMixin
from practice.admin_base import ClinicFilter, ClinicScopedAdmin, ServiceForm
from practice.admin_returns import ReturnToPatientMixin

from .admin_formsets import ServiceFormSet, form_staff, with_request
from .plan_models import Goal, PlanOfCare, SignatureStatus
from .plan_status import plan_status
from .plans import (
    GoalInput,
    goal_add,
    goal_set_status,
    plan_of_care_certify,
    plan_of_care_create,
    plan_of_care_mark_sent,
)

PLAN_FIELDS = [
    "patient",
    "starts_on",
    "visits_per_week",
    "weeks",
    "physician_name",
    "physician_npi",
]
# What the service set when the plan was written, shown on its page.
FIXED_FIELDS = [
    "patient",
    "therapist",
    "starts_on",
    "visits_per_week",
    "weeks",
    "ends_on",
    "physician_name",
    "physician_npi",
    "superseded_by",
    "status_summary",
]


class PlanOfCareForm(ServiceForm):
    class Meta:
        model = PlanOfCare
        fields = PLAN_FIELDS

    def perform(self, data: dict[str, Any]) -> PlanOfCare:
        try:
            plan = plan_of_care_create(
                therapist=form_staff(self), **{name: data[name] for name in PLAN_FIELDS}
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None
        # The page's goal inline was built on the form's first, blank instance and
        # validates after this form: made the plan just written, it adds the goals to it.
        vars(self.instance).update(vars(plan))
        return self.instance


class SignatureForm(ServiceForm):
    """The physician's signature: "sent", or the day they signed (which certifies)."""

    class Meta:
        model = PlanOfCare
        fields = ["signature_status", "certified_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("signature_status")
        if isinstance(field, forms.ChoiceField):
            # Signed is recorded by its date; a plan sent stays sent until then.
            wanted = [SignatureStatus.SENT]
            if self.instance.signature_status == SignatureStatus.PENDING:
                wanted.insert(0, SignatureStatus.PENDING)
            field.choices = [(s.value, s.label) for s in SignatureStatus if s in wanted]
            field.help_text = "Enter the day the physician signed below to certify the plan."

    def perform(self, data: dict[str, Any]) -> PlanOfCare:
        plan: PlanOfCare = self.instance
        staff = form_staff(self)
        if data.get("certified_on") and "certified_on" in self.changed_data:
            return plan_of_care_certify(
                plan=plan, staff_member=staff, certified_on=data["certified_on"]
            )
        if "signature_status" in self.changed_data and data["signature_status"] == "sent":
            return plan_of_care_mark_sent(plan=plan, staff_member=staff)
        return plan


class GoalFormSet(ServiceFormSet):
    """The plan's goals: only their status changes."""

    def perform(self, staff: Any, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if "status" in row["_changed"]:
                goal_set_status(goal=row["_instance"], therapist=staff, status=row["status"])


class NewGoalFormSet(ServiceFormSet):
    def perform(self, staff: Any, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            goal = GoalInput(
                term=row["term"],
                description=row["description"],
                measure=row["measure"],
                target_date=row["target_date"],
            )
            goal_add(plan=self.instance, therapist=staff, goal=goal)


class _GoalInlineBase(admin.TabularInline):
    model = Goal
    can_delete = False

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        return with_request(super().get_formset(request, obj, **kwargs), request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GoalInline(_GoalInlineBase):
    formset = GoalFormSet
    fields = ["term", "description", "measure", "target_date", "status"]
    readonly_fields = ["term", "description", "measure", "target_date"]
    extra = 0
    verbose_name_plural = "goals"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NewGoalInline(_GoalInlineBase):
    """Goals to add: short- and long-term, measurable, with a target date."""

    formset = NewGoalFormSet
    fields = ["term", "description", "measure", "target_date"]
    extra = 1
    verbose_name = "new goal"
    verbose_name_plural = "add goals"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).none()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "description":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def status_lines(plan: PlanOfCare) -> list[str]:
    """The plan's standing as the therapist reads it (visits.plan_status): what its
    certification covers, and when the next progress report is due."""
    if plan.superseded_by is not None:
        return [f"Superseded by the plan from {plan.superseded_by.starts_on.isoformat()}."]
    status = plan_status(patient=plan.patient)
    lines: list[str] = []
    if status.covered_until is None:
        lines.append(f"Not certified yet ({plan.get_signature_status_display().lower()}).")
    elif status.lapsed:
        lines.append(f"Certification lapsed after {status.covered_until.isoformat()}: recertify.")
    else:
        days = status.days_to_recertification
        lines.append(
            f"Covered until {status.covered_until.isoformat()}: recertification due in "
            f"{days} day{'s' if days != 1 else ''}."
        )
    if status.last_report_on is None:
        lines.append("No evaluation or progress note yet.")
    else:
        lines.append(
            f"{status.treatment_days_since_report} treatment day(s) since the report of "
            f"{status.last_report_on.isoformat()}."
        )
        if status.progress_report_overdue:
            lines.append("Progress report overdue: write one at the next visit.")
        else:
            due_in = status.progress_report_due_in
            lines.append(
                "Progress report due at the next visit."
                if due_in == 0
                else f"Next progress report due within {due_in} more treatment day(s)."
            )
    return lines


@admin.register(PlanOfCare)
class PlanOfCareAdmin(ReturnToPatientMixin, PatientSearchMixin, ClinicScopedAdmin):
    audit_patient_path = "patient"
    list_display = [
        "patient",
        "starts_on",
        "ends_on",
        "frequency",
        "signature_status",
        "certified_on",
        "therapist",
    ]
    list_filter = ["signature_status", ClinicFilter]
    list_select_related = ["patient", "therapist__user"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    patient_search_prefix = "patient__"

    @admin.display(description="frequency")
    def frequency(self, obj: PlanOfCare) -> str:
        return f"{obj.visits_per_week}x a week for {obj.weeks} weeks"

    @admin.display(description="status")
    def status_summary(self, obj: PlanOfCare) -> str:
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in status_lines(obj)))

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = SignatureForm if obj is not None else PlanOfCareForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return list(PLAN_FIELDS)
        return [*FIXED_FIELDS, "signature_status", "certified_on"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return []
        if obj.signature_status == SignatureStatus.SIGNED:
            return [*FIXED_FIELDS, "signature_status", "certified_on"]
        return list(FIXED_FIELDS)

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return [GoalInline, NewGoalInline] if obj is not None else [NewGoalInline]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        if "patient" in initial:
            initial.setdefault("visits_per_week", 2)
            initial.setdefault("weeks", 6)
        return initial
