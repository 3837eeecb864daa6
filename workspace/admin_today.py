"""The Today page, the admin's start page for staff who work at a clinic, and its
check-in, attended and no-show buttons.

The page reads through workspace.today and writes the access log for every patient it
shows, in one statement. The buttons post to `appointment_action`, which runs the
appointment services and comes back to the page with what happened as a message; a
refusal is a message too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from appointments import arrivals, services
from appointments.models import Appointment
from core.access_log import CHANGE, VIEW, record_patient_access
from practice.admin_base import admin_user, given_id
from practice.models import StaffMember, User
from practice.tenancy import staff_of

from . import today as reads

_Run = Callable[[Appointment, User], object]

_ACTIONS: dict[str, tuple[_Run, str]] = {
    reads.CHECK_IN: (
        lambda a, actor: arrivals.appointment_check_in(appointment=a, actor=actor),
        "checked in",
    ),
    reads.ATTENDED: (
        lambda a, actor: services.appointment_set_status(
            appointment=a, status=Appointment.Status.ATTENDED, actor=actor
        ),
        "marked attended",
    ),
    reads.NO_SHOW: (
        lambda a, actor: services.appointment_set_status(
            appointment=a, status=Appointment.Status.NO_SHOW, actor=actor
        ),
        "marked a no-show",
    ),
}


def _staff(request: HttpRequest) -> StaffMember:
    staff = staff_of(admin_user(request))
    if staff is None:
        raise PermissionDenied("The Today page is for the staff of a clinic.")
    return staff


def today_url(staff: StaffMember, scope: str) -> str:
    """The Today page in `scope`: the address names only a scope the user switched to."""
    index = reverse("admin:index")
    switched = scope != reads.scope_of(staff, None)
    return f"{index}?scope={scope}" if switched else index


def today_page(site: AdminSite, request: HttpRequest) -> TemplateResponse:
    user = admin_user(request)
    staff = _staff(request)
    today = reads.today_for(user=user, staff=staff, scope=reads.scope_of(staff, _asked(request)))
    record_patient_access(request=request, patients=today.patients, action=VIEW)
    context: dict[str, Any] = {
        **site.each_context(request),
        "title": f"Today, {today.day:%A} {today.day.day} {today.day:%B %Y}",
        "today": today,
        "mine": reads.MINE,
        "clinic_scope": reads.CLINIC,
    }
    return TemplateResponse(request, "admin/workspace/today.html", context)


def _asked(request: HttpRequest) -> str | None:
    value = request.POST.get("scope") if request.method == "POST" else request.GET.get("scope")
    return value if isinstance(value, str) else None


@require_POST
def appointment_action(request: HttpRequest, appointment_id: str, action: str) -> HttpResponse:
    """Check in, or mark attended or a no-show, one appointment of the user's clinic."""
    user = admin_user(request)
    staff = _staff(request)
    back = HttpResponseRedirect(today_url(staff, reads.scope_of(staff, _asked(request))))
    if action not in _ACTIONS:
        raise Http404("No such action.")
    if not user.has_perm(reads.MAY_ACT_ON_APPOINTMENTS):
        raise PermissionDenied("Your role does not change appointments.")
    pk = given_id(appointment_id)
    appointment = (
        Appointment.objects.for_user(user).select_related("patient").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if appointment is None:
        messages.error(request, "That appointment is not one of this clinic's.")
        return back
    run, done = _ACTIONS[action]
    name = appointment.patient.full_name
    when = f"{timezone.localtime(appointment.starts_at):%H:%M}"
    try:
        with transaction.atomic():
            run(appointment, user)
    except ValidationError as exc:
        messages.error(request, f"{name} ({when}): {' '.join(exc.messages)}")
        return back
    record_patient_access(request=request, patients=[appointment.patient], action=CHANGE)
    messages.success(request, f"{name} ({when}) {done}.")
    return back
