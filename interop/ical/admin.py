"""Calendar feeds in the admin: a "Calendar feed" panel on the patient's page, and a
clinician's own feed at "My calendar feed" (in the user tools).

The panel's Issue/Renew and Revoke buttons post the patient page's own form (its CSRF
token) to the views here, through `formaction`: a form cannot sit inside that form. Both
need patients.change_patient, the permission the API asks. An issue answers a page with
the URL, shown this once (only the token's hash is kept, and admin pages are never
cached). The URLs are added to the admin site by config.admin_site, which imports this
module and so registers the panel.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.access_log import CHANGE, record_patient_access
from core.localtime import moment_text
from patients.admin_sections import Panel, register_panel
from patients.models import Patient
from practice.admin_base import admin_user, given_id
from practice.models import StaffMember
from practice.tenancy import staff_of

from . import selectors, services
from .api import feed_url

CHANGE_PATIENT = "patients.change_patient"
_TEMPLATE = "admin/interop/calendar_feed.html"


def _state_text(since: object) -> str:
    if since is None:
        return "No calendar feed: nothing is shared."
    return f"A calendar feed is live since {moment_text(since)}."  # type: ignore[arg-type]


@admin.display(description="calendar feed")
def calendar_feed_panel(patient: Patient) -> str:
    feed = selectors.calendar_feed_live_for(patient=patient)
    issue = reverse("admin:interop_patient_calendar_feed_issue", args=[patient.pk])
    revoke = reverse("admin:interop_patient_calendar_feed_revoke", args=[patient.pk])
    button = (
        '<button type="submit" class="button" formaction="{}" formmethod="post" '
        'formnovalidate name="_calendar_feed" value="{}">{}</button> '
    )
    html = format_html(
        "<p>{}</p>" + button,
        _state_text(feed.created_at if feed else None),
        issue,
        "issue",
        "Renew (the old URL stops working)" if feed else "Issue",
    )
    if feed is not None:
        html += format_html(button, revoke, "revoke", "Revoke")
    return html


# After the progress charts (10) and the summary's panels.
register_panel(
    Panel(
        title="Calendar feed",
        field=calendar_feed_panel,
        # The admin puts a fieldset's description in the page as HTML: no angle brackets.
        description="The patient's appointments in their phone's calendar, by a private "
        'URL. Events say only "Appointment" with the clinic\'s name, and where.',
        permission=CHANGE_PATIENT,
    ),
    order=90,
)


def _patient(request: HttpRequest, patient_id: str) -> Patient:
    user = admin_user(request)
    if not user.has_perm(CHANGE_PATIENT):
        raise PermissionDenied("Your role cannot change patients.")
    pk = given_id(patient_id)
    patient = Patient.objects.for_user(user).filter(pk=pk).first() if pk is not None else None
    if patient is None:
        raise Http404("No such patient in this clinic.")
    return patient


def _issued_page(
    site: AdminSite,
    request: HttpRequest,
    issued: services.IssuedFeed,
    *,
    title: str,
    **extra: object,
) -> TemplateResponse:
    context = {
        **site.each_context(request),
        "title": title,
        "url": feed_url(issued.token),
        "since": issued.feed.created_at,
        **extra,
    }
    return TemplateResponse(request, "admin/interop/calendar_feed_issued.html", context)


def patient_feed_issue(site: AdminSite, request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = _patient(request, patient_id)
    back = reverse("admin:patients_patient_change", args=[patient.pk])
    try:
        issued = services.calendar_feed_issue(patient=patient, actor=admin_user(request))
    except ValidationError as exc:
        messages.error(request, f"No calendar feed: {' '.join(exc.messages)}")
        return HttpResponseRedirect(back)
    record_patient_access(request=request, patients=[patient], action=CHANGE)
    return _issued_page(
        site, request, issued, title=f"Calendar feed of {patient.full_name}", patient=patient
    )


def patient_feed_revoke(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = _patient(request, patient_id)
    revoked = services.calendar_feed_revoke(patient=patient, actor=admin_user(request))
    record_patient_access(request=request, patients=[patient], action=CHANGE)
    if revoked is None:
        messages.info(request, "No calendar feed was live.")
    else:
        messages.success(request, "Calendar feed revoked: its URL no longer works.")
    return HttpResponseRedirect(reverse("admin:patients_patient_change", args=[patient.pk]))


def _clinician(request: HttpRequest) -> StaffMember:
    staff = staff_of(admin_user(request))
    if staff is None or not staff.is_clinician:
        raise PermissionDenied("Only clinicians have a schedule to subscribe to.")
    return staff


def my_feed(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """GET: the clinician's feed, live or not, with the buttons; POST: issue or revoke."""
    staff = _clinician(request)
    here = reverse("admin:interop_my_calendar_feed")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            issued = services.calendar_feed_issue(staff=staff, actor=admin_user(request))
            return _issued_page(site, request, issued, title="My calendar feed", back=here)
        if action == "revoke":
            revoked = services.calendar_feed_revoke(staff=staff, actor=admin_user(request))
            if revoked is not None:
                messages.success(request, "Calendar feed revoked: its URL no longer works.")
        return HttpResponseRedirect(here)
    feed = selectors.calendar_feed_live_for(staff=staff)
    context = {
        **site.each_context(request),
        "title": "My calendar feed",
        "feed": feed,
        "state": _state_text(feed.created_at if feed else None),
    }
    return TemplateResponse(request, _TEMPLATE, context)


def urls(site: AdminSite) -> list[URLPattern]:
    @require_POST
    def issue(request: HttpRequest, patient_id: str) -> HttpResponse:
        return patient_feed_issue(site, request, patient_id)

    def mine(request: HttpRequest) -> HttpResponse:
        return my_feed(site, request)

    return [
        path(
            "interop/calendar-feed/patient/<str:patient_id>/issue/",
            site.admin_view(issue),
            name="interop_patient_calendar_feed_issue",
        ),
        path(
            "interop/calendar-feed/patient/<str:patient_id>/revoke/",
            site.admin_view(require_POST(patient_feed_revoke)),
            name="interop_patient_calendar_feed_revoke",
        ),
        path("interop/calendar-feed/mine/", site.admin_view(mine), name="interop_my_calendar_feed"),
    ]
