"""The admin site: the Today page is the start page of staff who work at a clinic.

Django's own index (every model the user may open) stays at "All records"; an operator
who works at no clinic has no Today and starts there, as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path

from interop.handouts import admin as admin_handouts
from interop.ical import admin as admin_calendar_feeds
from practice.tenancy import clinic_of
from visits import admin_billing
from workspace import admin_today


class PracticeAdminSite(admin.AdminSite):
    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [
            path("records/", self.admin_view(self.records), name="records"),
            path(
                "today/appointments/<str:appointment_id>/<slug:action>/",
                self.admin_view(admin_today.appointment_action),
                name="today_appointment_action",
            ),
            *admin_billing.urls(self),
            *admin_handouts.urls(self),
            *admin_calendar_feeds.urls(self),
            *super().get_urls(),
        ]

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        if clinic_of(request.user) is not None:
            return admin_today.today_page(self, request)
        return super().index(request, extra_context)

    def records(self, request: HttpRequest) -> TemplateResponse:
        """Django's index: the apps and models the user may open."""
        return super().index(request, {"title": "All records"})
