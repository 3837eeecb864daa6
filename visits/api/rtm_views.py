"""A patient's remote therapeutic monitoring: /api/v1/patients/{patient_id}/rtm/.

GET answers the open episode (else the latest) with its 30-day periods (the patient's
own days with data, what each bills), its calendar months of clinicians' time (and what
they bill) and the set-up code (visits.rtm). A POST starts an episode with the
patient's consent; /onboard/ records the set-up visit (98975); /time-entries/ lists and
logs treatment-management time, which needs an open episode. Clinicians of the
patient's clinic only; the writes are visits.rtm_services' services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.ordering import StrictOrderingFilter
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import staff_caller
from visits import rtm_services
from visits.clinical_reads import shown_rtm_episode
from visits.rtm import rtm_status
from visits.rtm_models import RtmEpisode, RtmTimeEntry

from . import serializers as s
from .base import PatientScopedView

NO_OPEN_EPISODE = "This patient has no open monitoring episode: start one first."


class RtmView(PatientScopedView):
    queryset = RtmEpisode.objects.none()
    serializer_class = s.PatientRtmSerializer

    def rtm_response(self, code: int = status.HTTP_200_OK) -> Response:
        episode = shown_rtm_episode(patient=self.get_patient())
        shown: Any = {"episode": None, "set_up": None, "current_period": None}
        if episode is None:
            shown.update(periods=[], months=[])
        else:
            shown = rtm_status(episode=episode)
        return Response(s.PatientRtmSerializer(shown).data, status=code)

    def open_episode(self) -> RtmEpisode:
        episode = rtm_services.open_episode(patient=self.get_patient())
        if episode is None:
            raise exceptions.ValidationError(NO_OPEN_EPISODE)
        return episode


class PatientRtmView(PatientAccessLogMixin, RtmView):
    method_permissions = {"GET": "visits.view_rtmepisode", "POST": "visits.add_rtmepisode"}

    @extend_schema(
        summary="A patient's remote monitoring and what it bills",
        description="Periods of 30 days from the episode's start, each with the patient's "
        "own days with data (a session, a symptom report or a questionnaire answered in "
        "the app) and the supply code it bills; calendar months of clinicians' time with "
        "the management codes. With no episode, `episode` is null and the lists empty.",
        responses={200: s.PatientRtmSerializer},
    )
    def get(self, request: Request, patient_id: str) -> Response:
        return self.rtm_response()

    @extend_schema(
        summary="Start monitoring a patient who consented",
        description="A 400 when the patient is already being monitored.",
        request=s.RtmStartInputSerializer,
        responses={201: s.PatientRtmSerializer},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        patient = self.get_patient()
        body = s.RtmStartInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rtm_services.rtm_episode_start(
            patient=patient, staff_member=staff_caller(request), **body.validated_data
        )
        return self.rtm_response(status.HTTP_201_CREATED)


class RtmOnboardView(PatientAccessLogMixin, RtmView):
    method_permissions = {"POST": "visits.change_rtmepisode"}

    @extend_schema(
        summary="Record the monitoring set-up visit (98975)",
        description="Once per episode. A 400 with no open episode.",
        request=s.RtmOnboardInputSerializer,
        responses={200: s.PatientRtmSerializer},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        episode = self.open_episode()
        body = s.RtmOnboardInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rtm_services.rtm_episode_onboard(
            episode=episode,
            staff_member=staff_caller(request),
            onboarded_on=body.validated_data["onboarded_on"],
        )
        return self.rtm_response()


class RtmTimeEntriesView(PatientAccessLogMixin, RtmView):
    serializer_class = s.RtmTimeEntrySerializer  # type: ignore[assignment]
    method_permissions = {"GET": "visits.view_rtmtimeentry", "POST": "visits.add_rtmtimeentry"}
    filter_backends = [StrictOrderingFilter]
    ordering_fields = ["worked_on", "minutes"]
    ordering = ["-worked_on", "-id"]

    def entries(self) -> QuerySet[RtmTimeEntry]:
        return (
            RtmTimeEntry.objects.for_user(self.request.user)
            .filter(episode__patient=self.get_patient())
            .select_related("clinician__user")
            .order_by("-worked_on", "-id")
        )

    @extend_schema(
        summary="List a patient's monitoring time",
        description="Every episode's entries, by default the latest day first.",
        responses={200: s.RtmTimeEntrySerializer(many=True)},
    )
    def get(self, request: Request, patient_id: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.entries()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Log treatment-management time",
        description="On the open episode; a 400 when there is none, or the day falls "
        "outside it. Interactive: a real-time call or video visit with the patient.",
        request=s.RtmTimeEntryInputSerializer,
        responses={201: s.RtmTimeEntrySerializer},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        episode = self.open_episode()
        body = s.RtmTimeEntryInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = rtm_services.rtm_time_entry_add(
            episode=episode, clinician=staff_caller(request), **body.validated_data
        )
        fresh = self.entries().get(pk=entry.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
