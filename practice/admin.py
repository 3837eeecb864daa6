from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import services
from .admin_base import ClinicFilter, ClinicScopedAdmin, ServiceForm
from .models import Appointment, Clinic, StaffMember, User
from .tenancy import clinic_of


@admin.register(User)
class PracticeUserAdmin(UserAdmin):
    """Accounts for the operator; clinic staff are managed as staff members."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedAdmin):
    list_display = ["name", "slug", "time_zone", "phone"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser


class StaffMemberForm(ServiceForm):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(
        widget=forms.PasswordInput, required=False, help_text="Leave empty to set it later."
    )

    class Meta:
        model = StaffMember
        fields = ["clinic", "role", "credentials", "licence_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clinic = clinic_of(self.request.user)
        if clinic is not None:
            self.fields["clinic"].initial = clinic
            self.fields["clinic"].disabled = True

    def perform(self, data):
        return services.staff_member_create(
            clinic=data["clinic"],
            username=data["username"],
            password=data["password"] or None,
            role=data["role"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            credentials=data["credentials"],
            licence_number=data["licence_number"],
        )


class StaffMemberChangeForm(ServiceForm):
    class Meta:
        model = StaffMember
        fields = ["role", "credentials", "licence_number"]

    def perform(self, data):
        staff = self.instance
        staff.credentials = data["credentials"]
        staff.licence_number = data["licence_number"]
        return services.staff_member_change_role(
            staff_member=staff, role=data["role"], actor=self.request.user
        )


@admin.register(StaffMember)
class StaffMemberAdmin(ClinicScopedAdmin):
    list_display = ["__str__", "role", "licence_number", "clinic"]
    list_filter = ["role"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "licence_number"]
    list_select_related = ["user", "clinic"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = StaffMemberChangeForm if obj else StaffMemberForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        form = self.get_form(request, obj)
        return [(None, {"fields": list(form.base_fields)})]


class AppointmentForm(ServiceForm):
    class Meta:
        model = Appointment
        fields = ["patient", "therapist", "starts_at", "duration_minutes", "kind", "notes"]

    def perform(self, data):
        if self.instance.pk is None:
            return services.appointment_book(
                patient=data["patient"],
                therapist=data["therapist"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                kind=data["kind"],
                notes=data["notes"],
                actor=self.request.user,
            )
        appointment = self.instance
        if {"kind", "notes"} & set(self.changed_data):
            appointment = services.appointment_change_details(
                appointment=appointment,
                kind=data["kind"],
                notes=data["notes"],
                actor=self.request.user,
            )
        if {"starts_at", "duration_minutes", "therapist"} & set(self.changed_data):
            appointment = services.appointment_reschedule(
                appointment=appointment,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                therapist=data["therapist"],
                actor=self.request.user,
            )
        return appointment


class PastVisitForm(ServiceForm):
    """A visit that already happened, entered afterwards (Appointments > Record a past
    visit): its outcome and the reason it is entered late."""

    status = forms.ChoiceField(
        label="outcome",
        choices=[(s.value, s.label) for s in services.PAST_VISIT_STATUSES],
        initial=Appointment.Status.ATTENDED,
    )
    late_entry_reason = forms.CharField(
        label="reason for recording a past visit",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this visit was not booked beforehand, e.g. a walk-in.",
    )

    class Meta:
        model = Appointment
        fields = [
            "patient",
            "therapist",
            "starts_at",
            "duration_minutes",
            "kind",
            "status",
            "late_entry_reason",
            "notes",
        ]

    def perform(self, data):
        return services.appointment_record_past(
            patient=data["patient"],
            therapist=data["therapist"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            kind=data["kind"],
            status=data["status"],
            reason=data["late_entry_reason"],
            notes=data["notes"],
            actor=self.request.user,
        )


def _recording_past_visit(request) -> bool:
    return request.GET.get("past") == "1"


def _status_action(status: str, label: str):
    def action(modeladmin, request, queryset):
        done = 0
        for appointment in queryset:
            done += modeladmin.run_service(
                request,
                str(appointment),
                lambda a=appointment: services.appointment_set_status(
                    appointment=a, status=status, actor=request.user
                ),
            )
        modeladmin.message_user(request, f"{done} appointment(s) marked {label.lower()}.")

    action.__name__ = f"mark_{status}"
    action.short_description = f"Mark selected as {label.lower()}"
    action.allowed_permissions = ("change",)
    return action


@admin.register(Appointment)
class AppointmentAdmin(ClinicScopedAdmin):
    form = AppointmentForm
    audit_patient_path = "patient"
    list_display = ["starts_at", "patient", "therapist", "kind", "status", "duration_minutes"]
    list_filter = ["status", "kind", ClinicFilter, ("starts_at", admin.DateFieldListFilter)]
    list_select_related = ["patient", "therapist__user"]
    search_fields = ["patient__last_name", "patient__first_name", "patient__mrn"]
    date_hierarchy = "starts_at"
    actions = [
        _status_action(status, label)
        for status, label in Appointment.Status.choices
        if status != Appointment.Status.SCHEDULED
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None and _recording_past_visit(request):
            kwargs["form"] = PastVisitForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return [] if _recording_past_visit(request) else ["status"]
        # An appointment stays the patient's it was booked for: another patient's visit
        # is a booking of its own, with its own overlap checks.
        return ["patient", "status", "late_entry_reason"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop("past", None)
        staff = getattr(request.user, "staff_profile", None)
        if staff is not None and staff.is_clinician:
            initial.setdefault("therapist", staff.pk)
        return initial
