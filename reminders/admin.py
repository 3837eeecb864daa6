from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from practice.admin_base import ClinicScopedAdmin, ClinicScopedMixin, ServiceForm
from practice.admin_filters import offered_value
from practice.models import Clinic
from practice.tenancy import staff_of

from . import outbox, services
from .models import ClinicReminderSettings, Notification, StaffContact
from .staff_contacts import contact_editable_staff, may_edit_contact


class ClinicFilter(admin.SimpleListFilter):
    """Clinics the user may see: all of them for the operator, one for staff."""

    title = "clinic"
    parameter_name = "clinic"

    def lookups(self, request, model_admin):
        return [(str(c.pk), c.name) for c in Clinic.objects.for_user(request.user)]

    def queryset(self, request, queryset):
        value = offered_value(self)
        return queryset.filter(clinic=value) if value else queryset


@admin.register(Notification)
class NotificationAdmin(ClinicScopedMixin, admin.ModelAdmin):
    """The outbox, read-only: what was sent, to whom, when, and what went wrong."""

    audit_patient_path = "patient"  # empty for alerts to staff, which log nothing
    list_display = [
        "scheduled_for",
        "kind",
        "channel",
        "recipient_name",
        "status",
        "attempts",
        "sent_at",
        "receipt",
        "delivered_at",
        "last_error",
    ]
    list_filter = ["status", "receipt", "kind", "channel", ClinicFilter]
    list_select_related = ["patient", "staff__user"]
    search_fields = ["patient__last_name", "patient__mrn", "staff__user__last_name", "source"]
    date_hierarchy = "scheduled_for"
    actions = ["resend", "cancel"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the outbox is the delivery record

    def has_resend_permission(self, request) -> bool:
        return request.user.has_perm("reminders.change_notification")

    @admin.display(description="recipient")
    def recipient_name(self, obj: Notification) -> str:
        return str(obj.recipient)

    def _each(self, request, queryset, label: str, call) -> None:
        done = 0
        for notification in queryset:
            try:
                call(notification)
                done += 1
            except ValidationError as exc:
                messages.error(request, f"{notification}: {' '.join(exc.messages)}")
        self.message_user(request, f"{done} notification(s) {label}.")

    @admin.action(description="Send the selected failed ones again", permissions=["resend"])
    def resend(self, request, queryset):
        self._each(
            request, queryset, "queued again", lambda n: outbox.notification_resend(notification=n)
        )

    @admin.action(description="Cancel the selected pending notifications", permissions=["resend"])
    def cancel(self, request, queryset):
        reason = f"Cancelled by {request.user.get_username()}."
        self._each(
            request,
            queryset,
            "cancelled",
            lambda n: outbox.notification_cancel(notification=n, reason=reason),
        )


WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class ClinicReminderSettingsForm(forms.ModelForm):
    # Required: a clinic with no working day would hold its routine alerts for ever.
    working_days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one working day: routine alerts wait for one."},
        help_text="Routine alerts and the morning digest wait for these days' opening hours.",
    )

    class Meta:
        model = ClinicReminderSettings
        fields = [
            "clinic",
            "exercise_reminders",
            "appointment_reminders",
            "appointment_lead_hours",
            "nudge_after_days",
            "therapist_alert_after_days",
            "escalation_minutes",
            "working_days",
            "opens_at",
            "closes_at",
        ]


@admin.register(ClinicReminderSettings)
class ClinicReminderSettingsAdmin(ClinicScopedMixin, admin.ModelAdmin):
    form = ClinicReminderSettingsForm
    list_display = [
        "clinic",
        "exercise_reminders",
        "appointment_reminders",
        "nudge_after_days",
        "escalation_minutes",
        "opens_at",
        "closes_at",
    ]


class StaffContactForm(ServiceForm):
    class Meta:
        model = StaffContact
        fields = ["staff", "phone", "consent_email", "consent_sms", "consent_push"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("staff")
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = contact_editable_staff(user=self.actor)
            me = self.staff
            if me is not None and not self.instance.pk:
                self.fields["staff"].initial = me

    def perform(self, data):
        return services.staff_contact_update(
            staff=data.get("staff") or self.instance.staff,
            actor=self.actor,
            phone=str(data["phone"] or ""),
            consent_email=data["consent_email"],
            consent_sms=data["consent_sms"],
            consent_push=data["consent_push"],
        )


@admin.register(StaffContact)
class StaffContactAdmin(ClinicScopedAdmin):
    """How each staff member agrees to be reached about alerts. Everyone sees and edits
    their own; a clinic admin, everyone's at their clinic."""

    form = StaffContactForm
    list_display = ["staff", "phone", "consent_email", "consent_sms", "consent_push", "devices"]
    list_select_related = ["staff__user"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(staff__in=contact_editable_staff(user=request.user)).annotate(
            device_count=Count("staff__devices")
        )

    @admin.display(description="push devices")
    def devices(self, obj: StaffContact) -> int:
        return obj.device_count  # type: ignore[attr-defined]  # annotated by get_queryset

    def get_readonly_fields(self, request, obj=None):
        return ["staff"] if obj is not None else []

    def _is_staff(self, request) -> bool:
        return request.user.is_superuser or staff_of(request.user) is not None

    def has_module_permission(self, request) -> bool:
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_staff(request)

    def has_add_permission(self, request) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return self._is_staff(request)
        return may_edit_contact(user=request.user, staff=obj.staff)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # withdraw consent instead; the history shows who did
