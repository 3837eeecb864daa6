"""The query filters of the appointment lists (staff and /me/appointments/)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField

from appointments.models import Appointment
from core.api.booleans import StrictBooleanFilter
from core.api.filters import ChangedSinceFilter
from patients.models import Patient
from practice.api.viewsets import clinic_choices
from practice.models import StaffMember


class _UTCDateTimeField(IsoDateTimeField):
    """ISO 8601, turned into UTC here: PostgreSQL refuses offsets beyond +/-16 hours."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Enter a date and time between the years 1 and 9999 (UTC)."), code="invalid"
            ) from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UTCDateTimeField


class SinceFilter(ChangedSinceFilter):
    """`?since=`: the rows changed after that moment (and in the minute before it),
    cancellations included."""

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gt")
        kwargs.setdefault(
            "label",
            "Only appointments changed after this moment (ISO 8601 with its UTC offset), "
            "and in the minute before it so a change committed late is not missed (keep "
            "them by id), cancelled ones included: send the largest `updated_at` already "
            "received.",
        )
        super().__init__(**kwargs)


_staff_of_clinic = clinic_choices(StaffMember)
_patients_of_clinic = clinic_choices(Patient)


class _WhenFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Appointment.Kind.choices)
    starts_after = UTCDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label="Starts at or after (ISO 8601)."
    )
    starts_before = UTCDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", label="Starts before (ISO 8601)."
    )
    since = SinceFilter()


class AppointmentFilter(_WhenFilter):
    therapist = django_filters.ModelChoiceFilter(queryset=_staff_of_clinic)
    patient = django_filters.ModelChoiceFilter(queryset=_patients_of_clinic)

    class Meta:
        model = Appointment
        fields = [
            "therapist",
            "patient",
            "status",
            "kind",
            "starts_after",
            "starts_before",
            "since",
        ]


class MyAppointmentFilter(_WhenFilter):
    upcoming = StrictBooleanFilter(
        method="filter_upcoming", label="Only appointments still to come (true) or past (false)."
    )

    class Meta:
        model = Appointment
        fields = ["upcoming", "status", "kind", "starts_after", "starts_before", "since"]

    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(ends_at__gt=now) if value else queryset.filter(ends_at__lte=now)
