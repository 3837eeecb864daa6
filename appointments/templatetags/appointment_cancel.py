"""The change page's "Cancel visit" link, offered only for a visit still to come."""

from __future__ import annotations

from django import template
from django.urls import reverse

from appointments.cancel import cancel_refusal
from appointments.models import Appointment

register = template.Library()


@register.simple_tag
def cancel_visit_url(appointment: Appointment | None) -> str:
    """The cancel page of the visit, or "" when it can no longer be cancelled."""
    if appointment is None or appointment.pk is None or cancel_refusal(appointment):
        return ""
    return reverse("admin:appointments_appointment_cancel", args=[appointment.pk])
