"""The handout in the admin: a "Print handout" button on a prescription's page (through
programs.admin_tools) that opens the same PDF as the API's.

Only staff whose role may read programs (`programs.view_prescription`) open it (403
otherwise); another clinic's program, or an id that names none, is a 404. A completed
or stopped program has no handout: said as a 400. Each handout served is in the access
log. The URL is added to the admin site by config.admin_site, which imports this module
and so registers the button.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language

from core.access_log import VIEW, record_patient_access
from practice.admin_base import admin_user, given_id
from practice.tenancy import visible_to
from programs.admin_tools import Button, register_button
from programs.models import Prescription

from .content import NoHandoutError, handout_of, handout_prescriptions
from .pdf import handout_pdf

VIEW_PRESCRIPTION = "programs.view_prescription"
HANDOUT_URL = "admin:interop_prescription_handout"


def prescription_handout(request: HttpRequest, prescription_id: str) -> HttpResponse:
    user = admin_user(request)
    if not user.has_perm(VIEW_PRESCRIPTION):
        raise PermissionDenied("Your role does not include reading programs.")
    pk = given_id(prescription_id)
    prescription = (
        visible_to(handout_prescriptions(), user).filter(pk=pk).first() if pk is not None else None
    )
    if prescription is None:
        raise Http404("No such program in this clinic.")
    try:
        handout = handout_of(prescription=prescription, fallback_language=get_language())
    except NoHandoutError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    record_patient_access(request=request, patients=[prescription.patient_id], action=VIEW)
    return HttpResponse(
        handout_pdf(handout),
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{handout.filename}"'},
    )


def urls(site: AdminSite) -> list[URLPattern]:
    return [
        path(
            "interop/prescriptions/<str:prescription_id>/handout.pdf",
            site.admin_view(prescription_handout),
            name="interop_prescription_handout",
        )
    ]


def _handout_url(prescription: Prescription) -> str:
    return reverse(HANDOUT_URL, args=[prescription.pk])


def _has_handout(prescription: Prescription) -> bool:
    # A completed or stopped program has none: the button would lead to the 400 above.
    return prescription.status in Prescription.OPEN_STATUSES


register_button(
    Button("Print handout", _handout_url, permission=VIEW_PRESCRIPTION, shown_for=_has_handout),
    order=10,
)
