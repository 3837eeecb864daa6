"""The calendar feed from the API: the patient's own (/me/calendar-feed/), a clinician's
own schedule (/staff/me/calendar-feed/), and staff managing a patient's
(/patients/{id}/calendar-feed/, with patients.change_patient).

POST issues a feed, or renews it (the old URL stops working), and answers its URL this
once: only the token's hash is kept, so no later read can show it. GET says whether a
feed is live and since when, never the URL. DELETE revokes it (204, also when none was
live, as a retried request expects).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.routing import path_id
from patients.models import Patient
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import IsStaff, caller, staff_caller
from practice.api.viewsets import PatientRecordMixin, StaffViewSet

from ..models import CalendarFeed
from . import selectors, services


class CalendarFeedStateSerializer(serializers.Serializer):
    live = serializers.BooleanField(help_text="Whether a feed URL works now.")
    since = serializers.DateTimeField(
        allow_null=True, help_text="When the live feed was issued; null without one."
    )


class CalendarFeedIssuedSerializer(serializers.Serializer):
    url = serializers.CharField(
        help_text="The feed's address, to subscribe to in a calendar app. Shown only in "
        "this answer: keep it private, and renew the feed if it was shared."
    )
    since = serializers.DateTimeField(help_text="When this feed was issued.")


def feed_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("ical-feed", kwargs={"token": token})


def _state(feed: CalendarFeed | None) -> dict[str, Any]:
    return {"live": feed is not None, "since": feed.created_at if feed is not None else None}


def _issued(issued: services.IssuedFeed) -> Response:
    body = {"url": feed_url(issued.token), "since": issued.feed.created_at}
    response = Response(CalendarFeedIssuedSerializer(body).data, status=status.HTTP_201_CREATED)
    # The one answer holding the secret URL: no cache, not even the browser's, keeps it
    # (no-cache would still store it, only revalidating before use).
    response["Cache-Control"] = "no-store"
    return response


_READ = extend_schema(
    summary="Read whether a calendar feed is live", responses=CalendarFeedStateSerializer
)
_ISSUE = extend_schema(
    summary="Issue or renew the calendar feed",
    request=None,
    responses={201: CalendarFeedIssuedSerializer},
)
_REVOKE = extend_schema(
    summary="Revoke the calendar feed", responses={204: OpenApiResponse(description="Revoked.")}
)


class MyCalendarFeedView(PatientAccessLogMixin, PatientRecordMixin, generics.GenericAPIView):
    """The patient's own appointments as a calendar feed."""

    serializer_class = CalendarFeedStateSerializer

    @_READ
    def get(self, request: Request) -> Response:
        feed = selectors.calendar_feed_live_for(patient=self.patient)
        return Response(CalendarFeedStateSerializer(_state(feed)).data)

    @_ISSUE
    def post(self, request: Request) -> Response:
        return _issued(services.calendar_feed_issue(patient=self.patient, actor=caller(request)))

    @_REVOKE
    def delete(self, request: Request) -> Response:
        services.calendar_feed_revoke(patient=self.patient, actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffCalendarFeedView(generics.GenericAPIView):
    """The signed-in clinician's own schedule as a calendar feed."""

    permission_classes = [IsStaff]
    serializer_class = CalendarFeedStateSerializer

    @_READ
    def get(self, request: Request) -> Response:
        feed = selectors.calendar_feed_live_for(staff=staff_caller(request))
        return Response(CalendarFeedStateSerializer(_state(feed)).data)

    @_ISSUE
    def post(self, request: Request) -> Response:
        issued = services.calendar_feed_issue(staff=staff_caller(request), actor=caller(request))
        return _issued(issued)

    @_REVOKE
    def delete(self, request: Request) -> Response:
        services.calendar_feed_revoke(staff=staff_caller(request), actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PatientCalendarFeedViewSet(PatientAccessLogMixin, StaffViewSet):
    """A patient's calendar feed, managed by staff of their clinic who may change the
    patient (another clinic's patient: 404)."""

    queryset = Patient.objects.all()
    serializer_class = CalendarFeedStateSerializer
    action_permissions = {
        "state": "patients.change_patient",
        "issue": "patients.change_patient",
        "revoke": "patients.change_patient",
    }

    def get_object(self) -> Patient:
        path_id(self.kwargs["pk"])  # an id no row can have: the JSON 404, not the database's
        return super().get_object()

    @_READ
    def state(self, request: Request, pk: str | None = None) -> Response:
        feed = selectors.calendar_feed_live_for(patient=self.get_object())
        return Response(CalendarFeedStateSerializer(_state(feed)).data)

    @_ISSUE
    def issue(self, request: Request, pk: str | None = None) -> Response:
        issued = services.calendar_feed_issue(patient=self.get_object(), actor=caller(request))
        return _issued(issued)

    @_REVOKE
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        services.calendar_feed_revoke(patient=self.get_object(), actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
