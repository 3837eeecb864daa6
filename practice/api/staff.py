"""Staff reading who they are and which clinicians their clinic books with."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from practice import selectors
from practice.models import Clinic, StaffMember

from .permissions import IsStaff, staff_caller
from .viewsets import ClinicScopedMixin


class StaffClinicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clinic
        fields = [
            "id",
            "name",
            "slug",
            "time_zone",
            "phone",
            "address",
            "opening_hours",
            "cancellation_window_hours",
        ]
        read_only_fields = fields


class StaffMeSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.SerializerMethodField()
    # Not EmailField: its schema format refuses the blank of an account without one.
    email = serializers.CharField(source="user.email", read_only=True)
    clinic = StaffClinicSerializer(read_only=True)

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "user_id",
            "username",
            "full_name",
            "email",
            "role",
            "credentials",
            "licence_number",
            "work_phone",
            "clinic",
        ]
        read_only_fields = fields

    def get_full_name(self, staff: StaffMember) -> str:
        return staff.full_name


class StaffTherapistSerializer(serializers.ModelSerializer):
    full_name = serializers.SerializerMethodField()
    work_phone = serializers.SerializerMethodField(
        help_text="The number to call: their own, or the clinic's when they have none."
    )
    work_phone_is_clinic = serializers.SerializerMethodField(
        help_text="Whether `work_phone` is the clinic's number (they have none of their own)."
    )

    class Meta:
        model = StaffMember
        fields = ["id", "full_name", "role", "credentials", "work_phone", "work_phone_is_clinic"]
        read_only_fields = fields

    def get_full_name(self, staff: StaffMember) -> str:
        return staff.full_name

    def get_work_phone(self, staff: StaffMember) -> str:
        return staff.phone_to_call

    def get_work_phone_is_clinic(self, staff: StaffMember) -> bool:
        return not staff.work_phone


class StaffMeView(APIView):
    """The signed-in staff member and their clinic."""

    permission_classes = [IsStaff]

    @extend_schema(summary="Who am I (staff)", responses={200: StaffMeSerializer})
    def get(self, request: Request) -> Response:
        # IsStaff read the profile with its clinic; nothing more is asked here.
        return Response(StaffMeSerializer(staff_caller(request)).data)


@extend_schema(
    summary="List the clinic's clinicians",
    description="The caller's clinic's clinicians whose login is open (physical "
    "therapists, physiatrists, chiropractors, athletic trainers, osteopathic physicians), "
    "for booking; front desk and clinic admins are not listed.",
)
class TherapistViewSet(ClinicScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = selectors.clinicians_bookable()
    serializer_class = StaffTherapistSerializer
