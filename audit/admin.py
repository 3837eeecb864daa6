from __future__ import annotations

from django.contrib import admin

from practice.admin_base import ClinicScopedMixin

from .models import RecordAccess


@admin.register(RecordAccess)
class RecordAccessAdmin(ClinicScopedMixin, admin.ModelAdmin):
    """The clinic's access log: read-only, nothing added, changed or deleted here."""

    list_display = ["at", "user", "action", "patient", "method", "path", "ip"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    search_fields = ["patient__last_name", "patient__mrn", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["user", "patient"]
    fields = readonly_fields = ("at", "clinic", "user", "patient", "action", "method", "path", "ip")
    actions = None
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
