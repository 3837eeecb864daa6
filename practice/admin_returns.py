"""After saving a patient's record (a diagnosis, a screening, a prescription) the admin
returns to the patient's page, where the therapist was working, not to the record list."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# The buttons that say where to go next themselves: stay on the record, add another,
# save as a new one; and a popup answers its opener.
_OWN_DESTINATION = ("_continue", "_addanother", "_saveasnew", IS_POPUP_VAR)


class ReturnToPatientMixin:
    """Put before the admin class: `class XAdmin(ReturnToPatientMixin, ClinicScopedAdmin)`.
    The saved object names its patient by `patient_id`. Django's own success message
    stays; only the redirect changes, and only for a user who may open the patient."""

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        response = super().response_add(request, obj, post_url_continue)  # type: ignore[misc]
        return self._to_patient(request, obj, response)

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        response = super().response_change(request, obj)  # type: ignore[misc]
        return self._to_patient(request, obj, response)

    def _to_patient(self, request: HttpRequest, obj: Any, response: HttpResponse) -> HttpResponse:
        patient_id = getattr(obj, "patient_id", None)
        if (
            patient_id is None
            or not isinstance(response, HttpResponseRedirect)
            or any(key in request.POST for key in _OWN_DESTINATION)
            or not request.user.has_perm("patients.view_patient")
        ):
            return response
        return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[patient_id]))


def came_from(request: HttpRequest) -> str | None:
    """The page an admin page was opened from (`?next=`, e.g. the patient page), to
    return to when done; None for an address off this site."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
