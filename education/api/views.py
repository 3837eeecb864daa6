"""Education endpoints: the patient's own topics under /me/education/, and the library
read-only for staff. Topics are the same for every clinic; which ones a patient reads
and in what order comes from education.selectors."""

from __future__ import annotations

from typing import Any

from django.core.validators import slug_re
from django.db.models import QuerySet
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.ordering import StrictOrderingFilter
from education import selectors
from education.models import Topic
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import RolePermissions
from practice.api.viewsets import PatientSelfMixin

from . import serializers as s

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The topic's slug.")


class MyTopicsMixin(PatientAccessLogMixin, PatientSelfMixin):
    # The order is the selector's (fitting topics first); clients may not re-sort it,
    # and an `ordering` is refused rather than ignored.
    filter_backends = [StrictOrderingFilter]


class MyTopicListView(MyTopicsMixin, generics.ListAPIView):
    serializer_class = s.MyTopicSerializer

    def get_queryset(self) -> QuerySet[Topic]:
        # Only the schema asks: the answer is the selector's list (see `list`).
        return Topic.objects.none()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Only for what the filters refuse: the answer is the selector's list.
        self.filter_queryset(self.get_queryset())
        # The selector's order and each topic's `matches`: a list, paged as it is.
        topics = selectors.topics_for_patient(patient=self.patient)
        page = self.paginate_queryset(topics)
        if page is None:
            return Response(self.get_serializer(topics, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="My education topics",
        description="Short reads on sciatica. Topics written for your cause and phase "
        "(from your latest diagnosis) come first, then those for everyone. Each links to "
        "its full text.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class MyTopicDetailView(MyTopicsMixin, generics.RetrieveAPIView):
    serializer_class = s.MyTopicDetailSerializer

    def get_object(self) -> Topic:
        topic = selectors.topic_for_patient(patient=self.patient, slug=self.kwargs["slug"])
        if topic is None:
            raise exceptions.NotFound(gettext("No such education topic."))
        return topic

    @extend_schema(
        summary="One of my education topics, in full",
        description="404 for a slug that is not among your topics.",
        parameters=[SLUG],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class TopicFilter(filters.FilterSet):
    is_active = filters.BooleanFilter()

    class Meta:
        model = Topic
        fields = ["is_active"]


class ReadOnlyRolePermissions(RolePermissions):
    """Reads need the role's view permission; any write is a 405, as nobody writes here."""

    perms_map = {
        method: perms
        for method, perms in RolePermissions.perms_map.items()
        if method in ("GET", "HEAD", "OPTIONS")
    }


@extend_schema_view(
    list=extend_schema(summary="The education library"),
    retrieve=extend_schema(summary="An education topic", parameters=[SLUG]),
)
class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    """Every topic, active or not, with the causes and phases it is written for."""

    permission_classes = [ReadOnlyRolePermissions]
    queryset = Topic.objects.all()
    serializer_class = s.TopicSerializer
    lookup_field = "slug"
    # Any segment reaches the view, so a malformed slug is the API's JSON 404.
    lookup_value_regex = r"[^/]+"
    filterset_class = TopicFilter
    ordering_fields = ["order", "title", "slug"]

    def get_object(self) -> Topic:
        # Not a slug (e.g. a NUL byte, which PostgreSQL refuses in a query): no such topic.
        if not slug_re.match(self.kwargs["slug"]):
            raise exceptions.NotFound(gettext("No such education topic."))
        return super().get_object()
