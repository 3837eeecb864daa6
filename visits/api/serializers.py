"""Shapes of the plan-of-care and remote-monitoring API: what a patient's plan and
monitoring read as, and the bodies that write them. The rules are the services' and
selectors' (visits.plans, visits.plan_status, visits.rtm_services, visits.rtm); these
only check shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api.fields import StaffNameField
from visits.plan_models import MAX_WEEKS, Goal, PlanOfCare
from visits.rtm_models import ConsentMethod, RtmEpisode, RtmTimeEntry

from .bodies import MAX_TEXT, ClosedBodyMixin, RecordDateField, RecordTimeField

# ---------------------------------------------------------------- the plan of care


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "term", "description", "measure", "target_date", "status"]
        read_only_fields = fields


class PlanOfCareSerializer(serializers.ModelSerializer):
    therapist_name = StaffNameField(source="therapist")
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = PlanOfCare
        fields = [
            "id",
            "therapist",
            "therapist_name",
            "starts_on",
            "ends_on",
            "visits_per_week",
            "weeks",
            "physician_name",
            "physician_npi",
            "signature_status",
            "certified_on",
            "goals",
            "created_at",
        ]
        read_only_fields = fields


class PatientPlanSerializer(serializers.Serializer):
    """The plan in force and where it stands; `plan` is null while the patient has none
    (the progress-report count still runs from the last evaluation)."""

    today = serializers.DateField(help_text="The clinic's local date.")
    plan = PlanOfCareSerializer(allow_null=True)
    covered_until = serializers.DateField(
        allow_null=True,
        help_text="The certification's last day: the 90th day from the plan's first "
        "treatment or the plan's end, whichever first; null until certified.",
    )
    days_to_recertification = serializers.IntegerField(
        allow_null=True, help_text="Calendar days left; negative once lapsed."
    )
    lapsed = serializers.BooleanField()
    last_report_on = serializers.DateField(
        allow_null=True, help_text="The last evaluation, re-evaluation or progress note."
    )
    treatment_days_since_report = serializers.IntegerField(
        help_text="Attended days since the last report, that day included."
    )
    progress_report_due_in = serializers.IntegerField(
        allow_null=True,
        help_text="Treatment days that may pass before a progress note is needed; 0: at the "
        "next visit. Null with no report yet.",
    )
    progress_report_overdue = serializers.BooleanField(
        help_text="The 10th treatment day since the last report has passed."
    )


class GoalInputSerializer(ClosedBodyMixin, serializers.Serializer):
    term = serializers.ChoiceField(choices=Goal.Term.choices)
    description = serializers.CharField(max_length=MAX_TEXT)
    measure = serializers.CharField(max_length=200)
    target_date = RecordDateField()


class PlanInputSerializer(ClosedBodyMixin, serializers.Serializer):
    starts_on = RecordDateField()
    visits_per_week = serializers.IntegerField(min_value=1, max_value=7)
    weeks = serializers.IntegerField(min_value=1, max_value=MAX_WEEKS)
    physician_name = serializers.CharField(max_length=200)
    physician_npi = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default=""
    )
    goals: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=GoalInputSerializer(), required=False, default=list, max_length=50
    )


class CertifyInputSerializer(ClosedBodyMixin, serializers.Serializer):
    certified_on = RecordDateField(help_text="The day the physician signed the plan.")


class GoalStatusInputSerializer(ClosedBodyMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=Goal.Status.choices)


# ---------------------------------------------------------------- remote monitoring


class BilledSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The CPT code.")
    units = serializers.IntegerField()
    reason = serializers.CharField()


class RtmPeriodSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    days_with_data = serializers.IntegerField(
        help_text="The patient's own days with a session, symptom report or questionnaire."
    )
    days_left = serializers.IntegerField(help_text="Days after today; 0 once it is over.")
    days_needed = serializers.IntegerField(help_text="Days still short of 16.")
    at_risk = serializers.BooleanField(
        help_text="Short of 16 days with little or no room left to reach them."
    )
    billed = BilledSerializer(
        allow_null=True, help_text="98977 (16+ days) or 98985 (2-15, where the payer takes it)."
    )


class RtmMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Its first day.")
    minutes = serializers.IntegerField(help_text="Treatment-management minutes logged.")
    interactive = serializers.BooleanField(
        help_text="At least one real-time communication with the patient that month."
    )
    last_worked_on = serializers.DateField(allow_null=True)
    billed = BilledSerializer(many=True, help_text="98979, 98980, 98981; empty: nothing.")


class RtmEpisodeSerializer(serializers.ModelSerializer):
    consent_recorded_by_name = StaffNameField(source="consent_recorded_by")
    onboarded_by_name = StaffNameField(source="onboarded_by")

    class Meta:
        model = RtmEpisode
        fields = [
            "id",
            "starts_on",
            "ended_on",
            "consent_at",
            "consent_method",
            "consent_recorded_by",
            "consent_recorded_by_name",
            "onboarded_on",
            "onboarded_by",
            "onboarded_by_name",
        ]
        read_only_fields = fields


class PatientRtmSerializer(serializers.Serializer):
    """The open monitoring episode, else the latest; every field empty with none."""

    episode = RtmEpisodeSerializer(allow_null=True)
    set_up = BilledSerializer(
        allow_null=True, help_text="98975, once the patient was set up and taught."
    )
    current_period = RtmPeriodSerializer(allow_null=True)
    periods = RtmPeriodSerializer(many=True, help_text="30-day periods from the start.")
    months = RtmMonthSerializer(many=True, help_text="Calendar months with time logged.")


class RtmStartInputSerializer(ClosedBodyMixin, serializers.Serializer):
    consent_at = RecordTimeField(help_text="When the patient consented.")
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices)
    starts_on = RecordDateField(
        required=False, help_text="The first period's first day; by default the patient's today."
    )


class RtmOnboardInputSerializer(ClosedBodyMixin, serializers.Serializer):
    onboarded_on = RecordDateField(help_text="The day of the set-up and teaching (98975).")


class RtmTimeEntrySerializer(serializers.ModelSerializer):
    clinician_name = StaffNameField(source="clinician")

    class Meta:
        model = RtmTimeEntry
        fields = [
            "id",
            "episode",
            "clinician",
            "clinician_name",
            "worked_on",
            "minutes",
            "interactive",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class RtmTimeEntryInputSerializer(ClosedBodyMixin, serializers.Serializer):
    worked_on = RecordDateField(help_text="The clinic's day the time was spent.")
    minutes = serializers.IntegerField(min_value=1, max_value=240)
    interactive = serializers.BooleanField(
        help_text="A real-time call or video visit with the patient (or caregiver)."
    )
    note = serializers.CharField(max_length=MAX_TEXT, help_text="What was reviewed or decided.")
