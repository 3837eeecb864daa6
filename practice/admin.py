from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from practice.tenancy import clinic_of

from . import services
from .admin_base import ClinicScopedAdmin, ReadOnlyInline, ServiceForm
from .models import Clinic, LoginAccessChange, StaffMember, User


class LoginAccessChangeInline(ReadOnlyInline):
    """Who closed or opened the account's logins, and why; never edited."""

    model = LoginAccessChange
    fk_name = "user"
    fields = readonly_fields = ("changed_at", "active", "changed_by", "reason")
    show_change_link = False


@admin.register(User)
class PracticeUserAdmin(UserAdmin):
    """Accounts for the operator; clinic staff are managed as staff members."""

    inlines = [LoginAccessChangeInline]

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
            staff_member=staff, role=data["role"], actor=self.actor
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
