"""Calendar feeds."""

from __future__ import annotations

from interop.ical import services as ical_services
from interop.ical.services import IssuedFeed
from interop.models import CalendarFeed
from patients.models import Patient
from practice.models import StaffMember

from .patients import patient_and_clinician


def issue_calendar_feed(
    *, patient: Patient | None = None, staff: StaffMember | None = None
) -> IssuedFeed:
    """A live feed and its raw token: a clinician's schedule when `staff` is given, else
    the patient's appointments, issued by a clinician of their clinic."""
    if staff is not None:
        return ical_services.calendar_feed_issue(staff=staff, actor=staff.user)
    patient, clinician = patient_and_clinician(patient, None)
    return ical_services.calendar_feed_issue(patient=patient, actor=clinician.user)


def make_calendar_feed(
    *, patient: Patient | None = None, staff: StaffMember | None = None
) -> CalendarFeed:
    return issue_calendar_feed(patient=patient, staff=staff).feed
