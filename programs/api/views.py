"""Program endpoints: the exercise library, and the pieces the other program views share
(prescriptions in .prescriptions, sessions and the patient's /me/ views in
.session_views).

Views are thin: they validate the body, call a service from programs.services and
render the result; the clinic scope comes from the shared base classes.
"""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import exceptions, viewsets

from patients.models import Cause
from practice.api.fields import MAX_ID, as_id
from practice.api.pagination import Pagination
from practice.api.permissions import RolePermissions
from programs.models import (
    Category,
    Exercise,
    ExerciseSession,
    ProgramKind,
    ProgramPhase,
    ProgramTemplate,
    SessionExercise,
    TemplateExercise,
)

from . import serializers as s

# ---------------------------------------------------------------- shared bits


class IntegerFilter(filters.NumberFilter):
    """An id filter: whole numbers only (a decimal would be rounded to someone's id)."""

    field_class = forms.IntegerField


# Any path segment reaches the view, so a malformed id is the API's JSON 404, not the
# URL resolver's HTML page.
ANY_SEGMENT = r"[^/]+"


def path_id(value) -> int:
    pk = as_id(value)
    if pk is None or not 0 < pk <= MAX_ID:
        raise exceptions.NotFound("Not found.")
    return pk


class RoutedMethodsOnly:
    """A method the view does not serve (e.g. DELETE) is a 405, not a 403 from the
    role's missing delete permission."""

    def check_permissions(self, request):
        method = request.method.lower()
        if method not in self.http_method_names or getattr(self, method, None) is None:
            raise exceptions.MethodNotAllowed(request.method)
        super().check_permissions(request)


class SessionPagination(Pagination):
    """Pages of sessions with the patient's adherence summary alongside."""

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        window = {
            "type": "object",
            "properties": {
                "days": {"type": "integer"},
                "sessions": {"type": "integer"},
                "days_with_session": {"type": "integer"},
                "scheduled_days": {"type": "integer", "nullable": True},
                "adherence_percent": {"type": "integer", "nullable": True},
            },
            "required": [
                "days",
                "sessions",
                "days_with_session",
                "scheduled_days",
                "adherence_percent",
            ],
        }
        paginated["properties"]["adherence"] = {
            "type": "object",
            "description": "Sessions logged in the patient's last 7 and 28 local days.",
            "properties": {
                "today": {"type": "string", "format": "date"},
                "last_7_days": window,
                "last_28_days": window,
            },
            "required": ["today", "last_7_days", "last_28_days"],
        }
        paginated["required"] = [*paginated.get("required", []), "adherence"]
        return paginated


def session_queryset():
    items = SessionExercise.objects.select_related("prescribed_exercise__exercise").order_by("id")
    return ExerciseSession.objects.prefetch_related(Prefetch("items", queryset=items))


class SessionFilter(filters.FilterSet):
    date_from = filters.DateFilter(
        field_name="performed_at", lookup_expr="date__gte", label="Performed on or after (UTC)"
    )
    date_to = filters.DateFilter(
        field_name="performed_at", lookup_expr="date__lte", label="Performed on or before (UTC)"
    )

    class Meta:
        model = ExerciseSession
        fields = ["date_from", "date_to"]


# ---------------------------------------------------------------- the library


class ExerciseFilter(filters.FilterSet):
    category = filters.ChoiceFilter(choices=Category.choices)
    method = filters.CharFilter(method="filter_method", max_length=50, label="Method tag")
    contraindicated_for = filters.ChoiceFilter(
        choices=Cause.choices, method="filter_contraindicated_for"
    )
    safe_for = filters.ChoiceFilter(choices=Cause.choices, method="filter_safe_for")
    search = filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, label="Name contains"
    )
    is_active = filters.BooleanFilter()

    class Meta:
        model = Exercise
        fields = ["category", "method", "contraindicated_for", "safe_for", "search", "is_active"]

    def filter_method(self, queryset, name, value):
        return queryset.filter(methods__contains=[value])

    def filter_contraindicated_for(self, queryset, name, value):
        return queryset.filter(contraindications__cause=value).distinct()

    def filter_safe_for(self, queryset, name, value):
        return queryset.exclude(contraindications__cause=value)


class LibraryViewSet(RoutedMethodsOnly, viewsets.ReadOnlyModelViewSet):
    """The shared exercise library: the same for every clinic, read-only over the API."""

    permission_classes = [RolePermissions]
    lookup_value_regex = ANY_SEGMENT


class ExerciseViewSet(LibraryViewSet):
    """Exercises with their steps, default dosage and contraindications."""

    queryset = Exercise.objects.prefetch_related("contraindications")
    serializer_class = s.ExerciseSerializer
    filterset_class = ExerciseFilter
    ordering_fields = ["name", "category", "id"]


class TemplateFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ProgramKind.choices)
    is_active = filters.BooleanFilter()

    class Meta:
        model = ProgramTemplate
        fields = ["kind", "is_active"]


class ProgramTemplateViewSet(LibraryViewSet):
    """Program templates with their phases and each phase's dosed exercises."""

    queryset = ProgramTemplate.objects.prefetch_related(
        Prefetch(
            "phases",
            queryset=ProgramPhase.objects.order_by("number").prefetch_related(
                Prefetch(
                    "exercises",
                    queryset=TemplateExercise.objects.order_by("order")
                    .select_related("exercise")
                    .prefetch_related("exercise__contraindications"),
                )
            ),
        )
    )
    serializer_class = s.ProgramTemplateSerializer
    filterset_class = TemplateFilter
    ordering_fields = ["name", "kind", "id"]
