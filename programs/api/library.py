"""The exercise library: exercises and program templates, the same for every clinic and
read-only over the API."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import viewsets

from core.api.routing import ANY_SEGMENT, RoutedMethodsOnly
from patients.models import Cause
from practice.api.permissions import RolePermissions
from programs.models import (
    Category,
    Exercise,
    ProgramKind,
    ProgramPhase,
    ProgramTemplate,
    TemplateExercise,
)

from . import library_serializers as s


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

    queryset = Exercise.objects.prefetch_related("contraindications", "media")
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
