"""The admin's billing page: a month's billable lines (visits.billing) with their totals,
a month picker and the CSV download, and each signed visit's superbill as a page to
print or a PDF.

Only staff whose role has `visits.view_billing` open these pages (403 otherwise); they
show the clinic's own lines only. A month in the URL that is not one is said in a
message and the current month shown, never a 500. Every patient shown is in the access
log, in one insert. The URLs are added to the admin site by config.admin_site.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.access_log import VIEW, record_patient_access
from core.localtime import local_today
from practice.admin_base import admin_user, given_id
from practice.models import Clinic
from practice.tenancy import clinic_of

from .billing import billable_lines, parse_month
from .export import csv_filename, lines_csv
from .note_models import VisitNote
from .superbill import NoSuperbillError, superbill_html, superbill_of, superbill_pdf

BILLING = "visits.view_billing"
PAGE_URL = "admin:visits_billing"
CSV_URL = "admin:visits_billing_csv"
SUPERBILL_URL = "admin:visits_superbill"
SUPERBILL_PDF_URL = "admin:visits_superbill_pdf"


def may_bill(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_perm(BILLING)


def _billing_clinic(request: HttpRequest) -> Clinic | None:
    if not may_bill(request):
        raise PermissionDenied("Your role does not include billing.")
    return clinic_of(admin_user(request))


def _asked_month(request: HttpRequest, clinic: Clinic) -> datetime.date:
    this_month = local_today(clinic.time_zone).replace(day=1)
    value = request.GET.get("month")
    if not value:
        return this_month
    try:
        return parse_month(value)
    except ValidationError as exc:
        messages.warning(request, f"{' '.join(exc.messages)} Showing {this_month:%B %Y}.")
        return this_month


def _month_link(url_name: str, month: datetime.date) -> str:
    return f"{reverse(url_name)}?{urlencode({'month': month.strftime('%Y-%m')})}"


def superbill_links(note: VisitNote) -> SafeString:
    """The 'Superbill' and 'PDF' links of a signed note ("" for a draft), for a page
    that shows the note to someone who may bill."""
    if not note.is_signed:
        return SafeString("")
    return format_html(
        '<a href="{}" target="_blank">Superbill</a> (<a href="{}">PDF</a>)',
        reverse(SUPERBILL_URL, args=[note.pk]),
        reverse(SUPERBILL_PDF_URL, args=[note.pk]),
    )


def billing_page(site: AdminSite, request: HttpRequest) -> TemplateResponse:
    clinic = _billing_clinic(request)
    context: dict[str, Any] = {**site.each_context(request), "title": "Billing", "billing": None}
    if clinic is None:
        messages.info(request, "Billing is a clinic's: sign in as one of its staff.")
        return TemplateResponse(request, "admin/visits/billing.html", context)
    month = _asked_month(request, clinic)
    billing = billable_lines(clinic=clinic, month=month)
    record_patient_access(request=request, patients=billing.patient_ids, action=VIEW)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = billing.last_day + datetime.timedelta(days=1)
    context.update(
        title=f"Billing: {month:%B %Y}",
        billing=billing,
        month_value=month.strftime("%Y-%m"),
        csv_url=_month_link(CSV_URL, month),
        previous_url=_month_link(PAGE_URL, previous),
        next_url=_month_link(PAGE_URL, following),
        rows=[
            {
                "line": line,
                "superbill": reverse(SUPERBILL_URL, args=[line.note_id]) if line.note_id else "",
                "superbill_pdf": (
                    reverse(SUPERBILL_PDF_URL, args=[line.note_id]) if line.note_id else ""
                ),
                "patient_url": reverse("admin:patients_patient_change", args=[line.patient_id]),
            }
            for line in billing.lines
        ],
    )
    return TemplateResponse(request, "admin/visits/billing.html", context)


def billing_csv(request: HttpRequest) -> HttpResponse:
    clinic = _billing_clinic(request)
    if clinic is None:
        raise PermissionDenied("Billing is a clinic's: sign in as one of its staff.")
    try:
        month = parse_month(request.GET.get("month"))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    billing = billable_lines(clinic=clinic, month=month)
    record_patient_access(request=request, patients=billing.patient_ids, action=VIEW)
    name = csv_filename(clinic_slug=clinic.slug, month=month)
    return HttpResponse(
        lines_csv(billing.lines),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _superbill(request: HttpRequest, note_id: str, *, pdf: bool) -> HttpResponse:
    _billing_clinic(request)
    pk = given_id(note_id)
    note = (
        VisitNote.objects.for_user(request.user)
        .select_related("patient__clinic", "therapist__user", "signed_by__user")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if note is None:
        raise Http404("No such visit note in this clinic.")
    try:
        bill = superbill_of(note=note)
    except NoSuperbillError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    record_patient_access(request=request, patients=[note.patient], action=VIEW)
    if pdf:
        return HttpResponse(
            superbill_pdf(bill),
            content_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{bill.filename}.pdf"'},
        )
    return HttpResponse(superbill_html(bill), content_type="text/html; charset=utf-8")


def urls(site: AdminSite) -> list[URLPattern]:
    def page(request: HttpRequest) -> HttpResponse:
        return billing_page(site, request)

    def superbill(request: HttpRequest, note_id: str) -> HttpResponse:
        return _superbill(request, note_id, pdf=False)

    def superbill_as_pdf(request: HttpRequest, note_id: str) -> HttpResponse:
        return _superbill(request, note_id, pdf=True)

    return [
        path("visits/billing/", site.admin_view(page), name="visits_billing"),
        path("visits/billing/export.csv", site.admin_view(billing_csv), name="visits_billing_csv"),
        path(
            "visits/billing/superbill/<str:note_id>/",
            site.admin_view(superbill),
            name="visits_superbill",
        ),
        path(
            "visits/billing/superbill/<str:note_id>/pdf/",
            site.admin_view(superbill_as_pdf),
            name="visits_superbill_pdf",
        ),
    ]
