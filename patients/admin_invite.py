"""The patient page's "Invite to the app": a one-time code the patient types into the app
to set up their login, made by `services.patient_invite` (the rule the API obeys).

The code is shown once, on the page that answers the button: only its hash is stored,
so no page can show it again; a lost code is replaced by inviting again, which stops the
earlier one. For a patient who already has a login the code re-keys it (the app asks for
that login's username), as through the API. The service refuses a patient who is not
active (discharged, archived), and the page says why. patients.admin_patient wires the
URL; the patient page shows the button to holders of the invite permission.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.access_log import CHANGE, VIEW
from practice.admin_base import ClinicScopedAdmin
from practice.tenancy import staff_of

from . import services
from .models import Patient

INVITE_PERMISSION = "patients.add_patientinvite"
INVITE_URL = "admin:patients_patient_invite"
REFUSED = "Your role cannot invite patients to the app."


def invite_url(request: HttpRequest, patient: Patient) -> str:
    """The button's address on the patient page, or "" when it is not offered: the user
    may not invite, or the patient is not active (the service would refuse)."""
    if not request.user.has_perm(INVITE_PERMISSION) or patient.status != Patient.Status.ACTIVE:
        return ""
    return reverse(INVITE_URL, args=[patient.pk])


def invite_view(
    model_admin: ClinicScopedAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """GET: what inviting does, with the button; POST: the new code, shown this once."""
    patient: Patient = model_admin.get_object(request, unquote(object_id))  # another's: 404
    if not request.user.has_perm(INVITE_PERMISSION):
        raise PermissionDenied(REFUSED)  # said on the admin's 403 page
    back = reverse("admin:patients_patient_change", args=[patient.pk])
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Invite {patient.full_name} to the app",
        "patient": patient,
        "has_login": patient.user_id is not None,
        "opts": model_admin.model._meta,
    }
    if request.method != "POST":
        model_admin.log_patient_access(request, [patient], VIEW)
        return TemplateResponse(request, "admin/patients/invite.html", context)
    staff = staff_of(request.user)
    if staff is None:
        messages.error(request, "Only clinic staff invite patients to the app.")
        return HttpResponseRedirect(back)
    try:
        invitation = services.patient_invite(patient=patient, invited_by=staff)
    except ValidationError as exc:
        messages.error(request, f"No invitation: {' '.join(exc.messages)}")
        return HttpResponseRedirect(back)
    model_admin.log_patient_access(request, [patient], CHANGE)
    # The admin's views are never cached (no-store): no browser keeps the code to show again.
    return TemplateResponse(
        request,
        "admin/patients/invite_code.html",
        {**context, "code": invitation.code, "expires_at": invitation.invite.expires_at},
    )
