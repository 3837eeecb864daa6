"""The patient's notifications inbox under /api/v1/me/notifications/: what was sent to
them, newest first, and their read marks (reminders.inbox). Patients only: staff
messages never show here, and staff callers are refused."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.booleans import StrictBooleanFilter
from core.api.routing import ANY_SEGMENT, RoutedMethodsOnly, path_id
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import PatientRecordMixin
from reminders import inbox, messages, services
from reminders.models import Channel, Kind, Notification


class InboxNotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "channel", "sent_at", "title", "body", "read_at"]
        read_only_fields = fields

    def get_title(self, obj: Notification) -> str:
        """The message's title, in the language it was sent in (yours)."""
        return self._text(obj)[0]

    def get_body(self, obj: Notification) -> str:
        """What the message said, in the language it was sent in (without the link into
        the app)."""
        return self._text(obj)[1]

    def _text(self, obj: Notification) -> tuple[str, str]:
        with translation.override(messages.patient_language(self.context["patient"])):
            return messages.patient_text(obj.kind)


class MarkedAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread and are now read.")


class InboxFilter(filters.FilterSet):
    unread = StrictBooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label="true: only those not read yet (the answer's count is the badge); false: read",
    )

    class Meta:
        model = Notification
        fields = ["unread"]


NOTIFICATION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="My notifications inbox",
        description="The reminders and messages sent to you, newest first, with when each "
        "was sent and whether you read it; `?unread=true` for those not read yet. Messages "
        "older than the outbox's retention (REMINDERS_RETENTION_DAYS) are archived and not "
        "listed.",
    )
)
class MyNotificationViewSet(
    PatientAccessLogMixin,
    PatientRecordMixin,
    RoutedMethodsOnly,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own sent notifications."""

    lookup_value_regex = ANY_SEGMENT
    serializer_class = InboxNotificationSerializer
    filterset_class = InboxFilter
    ordering_fields = ["sent_at"]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "patient": self.patient}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return inbox.patient_inbox(patient=self.patient)

    @extend_schema(
        summary="Mark a notification read",
        description="Idempotent: one already read keeps the time it was first read. "
        "Another patient's notification, or one not sent, is a 404.",
        parameters=[NOTIFICATION_ID],
        request=None,
        responses={200: InboxNotificationSerializer},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk: str):
        try:
            notification = services.notification_mark_read(
                patient=self.patient, notification_id=path_id(pk)
            )
        except Notification.DoesNotExist:
            raise exceptions.NotFound(_("Not found.")) from None
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        summary="Mark all my notifications read",
        request=None,
        responses={200: MarkedAllSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = services.notifications_mark_all_read(patient=self.patient)
        return Response(MarkedAllSerializer({"marked": marked}).data)
