from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from practice.admin_base import ClinicScopedMixin
from practice.models import Clinic

from . import outbox
from .models import ClinicReminderSettings, Notification


class ClinicFilter(admin.SimpleListFilter):
    """Clinics the user may see: all of them for the operator, one for staff."""

    title = "clinic"
    parameter_name = "clinic"

    def lookups(self, request, model_admin):
        return [(c.pk, c.name) for c in Clinic.objects.for_user(request.user)]

    def queryset(self, request, queryset):
        return queryset.filter(clinic=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(ClinicScopedMixin, admin.ModelAdmin):
    """The outbox, read-only: what was sent, to whom, when, and what went wrong."""

    list_display = [
        "scheduled_for",
        "kind",
        "channel",
        "recipient_name",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind", "channel", ClinicFilter]
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


@admin.register(ClinicReminderSettings)
class ClinicReminderSettingsAdmin(ClinicScopedMixin, admin.ModelAdmin):
    list_display = ["clinic", "exercise_reminders", "appointment_reminders", "nudge_after_days"]
