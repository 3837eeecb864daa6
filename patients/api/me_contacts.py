"""/me/contacts/: whom the patient calls, their clinic and their therapist, since the
app's stop and hold messages tell them to."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import PatientRecordMixin
from practice.models import StaffMember


class ClinicContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Empty when the clinic has given none.")
    address = serializers.CharField()
    opening_hours = serializers.CharField()
    cancellation_window_hours = serializers.IntegerField(
        help_text="Up to this many hours before a visit the app may cancel it; later, call "
        "the clinic (confirming stays open until the start)."
    )


class TherapistContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    credentials = serializers.CharField()
    phone = serializers.CharField(help_text="The therapist's work phone, else the clinic's.")


class ContactsSerializer(serializers.Serializer):
    clinic = ClinicContactSerializer()
    therapist = TherapistContactSerializer(
        allow_null=True, help_text="The primary therapist; null when the patient has none."
    )


def _therapist(staff: StaffMember | None) -> dict[str, Any] | None:
    # A therapist who has left (their login closed) is no one to call.
    if staff is None or not staff.user.is_active:
        return None
    return {"name": staff.full_name, "credentials": staff.credentials, "phone": staff.phone_to_call}


def contacts_of(patient: Patient) -> dict[str, Any]:
    clinic = patient.clinic
    return {
        "clinic": {
            "name": clinic.name,
            "phone": clinic.phone,
            "address": clinic.address,
            "opening_hours": clinic.opening_hours,
            "cancellation_window_hours": clinic.cancellation_window_hours,
        },
        "therapist": _therapist(patient.primary_therapist),
    }


class MyContactsView(PatientAccessLogMixin, PatientRecordMixin, generics.GenericAPIView):
    """The caller's clinic and primary therapist, with the phone numbers to call."""

    serializer_class = ContactsSerializer

    @extend_schema(summary="Read my clinic's and my therapist's contacts")
    def get(self, request: Request) -> Response:
        patient = Patient.objects.select_related("clinic", "primary_therapist__user").get(
            pk=self.patient.pk
        )
        return Response(ContactsSerializer(contacts_of(patient)).data)
