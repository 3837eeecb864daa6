from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.forms import STORABLE_JSON_OVERRIDES
from patients.models import Cause, Chronicity

from .models import Topic

CAUSE_LABELS = dict(Cause.choices)
PHASE_LABELS = dict(Chronicity.choices)


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    """Clinicians read the library here; only superusers edit it, since every clinic's
    patients read the same text."""

    list_display = ["title", "slug", "fits_causes", "fits_phases", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "summary", "body", "slug"]
    ordering = ["order", "slug"]
    formfield_overrides = STORABLE_JSON_OVERRIDES

    @admin.display(description="causes")
    def fits_causes(self, obj: Topic) -> str:
        return ", ".join(CAUSE_LABELS.get(c, str(c)) for c in obj.causes) or "all"

    @admin.display(description="phases")
    def fits_phases(self, obj: Topic) -> str:
        return ", ".join(PHASE_LABELS.get(p, str(p)) for p in obj.phases) or "all"

    # The app and today's plan link to a topic by its slug, so it is set once.
    def get_readonly_fields(self, request: HttpRequest, obj: Topic | None = None) -> list[str]:
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: Topic | None = None
    ) -> dict[str, list[str]]:
        return {} if obj is not None else {"slug": ["title"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Topic | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Topic | None = None) -> bool:
        return False  # the app links to slugs: a topic is deactivated, never deleted
