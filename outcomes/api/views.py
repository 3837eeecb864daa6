"""Outcome questionnaires: the patient's due list and answers under /me, and a
clinic-scoped read-only list of responses for staff. Writes go through
outcomes.services."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import IdFilter
from core.localtime import local_today, patient_zone
from outcomes import instruments, services
from outcomes.models import Code, Occasion, QuestionnaireResponse
from outcomes.selectors import may_answer_questionnaires, questionnaire_due, questionnaires_due
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import IsPatient, patient_of
from practice.api.viewsets import PatientSelfMixin, StaffViewSet

from . import serializers as s


class IsPatientInCare(IsPatient):
    """Patients who may answer questionnaires (outcomes.selectors.may_answer_questionnaires)."""

    def has_permission(self, request, view) -> bool:
        patient = patient_of(request.user)
        return patient is not None and may_answer_questionnaires(patient=patient)


CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(instruments.CODES),
    description="The questionnaire: odi, nprs, rmdq or startback.",
)


class MyQuestionnairesView(PatientSelfMixin, APIView):
    """The questionnaires the caller has due today, each with its items and options."""

    permission_classes = [IsPatientInCare]

    @extend_schema(
        summary="My questionnaires due now",
        responses={200: s.MyQuestionnairesSerializer},
    )
    def get(self, request):
        patient = self.patient
        today = local_today(patient_zone(patient))
        pending = questionnaires_due(patient=patient, today=today)
        due = []
        for item in pending:
            # Each in the language of its validated wording, never the phone's.
            with translation.override(item.instrument.language):
                due.append(
                    s.DueQuestionnaireSerializer(
                        s.DueQuestionnaireSerializer.shape(item.due, item.instrument)
                    ).data
                )
        self._served = {item.instrument.language for item in pending}
        return Response(s.MyQuestionnairesSerializer({"date": today, "questionnaires": due}).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        served: set[str] = getattr(self, "_served", set())
        if len(served) == 1:
            response.headers["Content-Language"] = served.pop()
        return response


class MyQuestionnaireResponseView(PatientSelfMixin, APIView):
    """Answer a questionnaire that is due."""

    permission_classes = [IsPatientInCare]

    @extend_schema(
        summary="Answer a questionnaire",
        description="Scores the answers as published and stores them. A 400 lists messages "
        "under `answers`, keyed by each item that is wrong or missing; a 404 answers an "
        "unknown questionnaire or one not due for you now (already answered, or not on "
        "your schedule).",
        parameters=[CODE],
        request=s.AnswersSerializer,
        responses={
            201: OpenApiResponse(s.QuestionnaireResponseSerializer, description="Scored."),
        },
    )
    def post(self, request, code: str):
        try:
            # Not due is a 404 whatever the body: nobody learns more by sending one.
            questionnaire_due(patient=self.patient, code=code)
            body = s.AnswersSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            response = services.questionnaire_submit(
                patient=self.patient,
                code=code,
                answers=body.validated_data["answers"],
                actor=request.user,
            )
        except services.UnknownQuestionnaireError:
            raise exceptions.NotFound(gettext("There is no such questionnaire.")) from None
        except services.QuestionnaireNotDueError as exc:
            raise exceptions.NotFound(exc.messages[0]) from None
        except services.AnswersInvalidError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise exceptions.ValidationError({"answers": detail}) from None
        return Response(
            s.QuestionnaireResponseSerializer(response).data, status=status.HTTP_201_CREATED
        )


# ---------------------------------------------------------------- staff


class ResponseFilter(filters.FilterSet):
    patient = IdFilter(field_name="patient_id")
    code = filters.ChoiceFilter(choices=Code.choices)
    occasion = filters.ChoiceFilter(choices=Occasion.choices)

    class Meta:
        model = QuestionnaireResponse
        fields = ["patient", "code", "occasion"]


class QuestionnaireResponseViewSet(PatientAccessLogMixin, mixins.ListModelMixin, StaffViewSet):
    """Questionnaire responses of the caller's clinic, newest first; filter by patient.
    Read-only: patients answer in the app, or a clinician records answers in the clinic
    (the admin), named in `entered_by`."""

    queryset = QuestionnaireResponse.objects.all()
    serializer_class = s.StaffQuestionnaireResponseSerializer
    filterset_class = ResponseFilter
    ordering_fields = ["answered_at", "score", "code", "id"]

    def get_queryset(self):
        return super().get_queryset().order_by("-answered_at", "-id")
