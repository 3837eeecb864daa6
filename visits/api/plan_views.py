"""A patient's plan of care: /api/v1/patients/{patient_id}/plan-of-care/.

GET answers the plan in force (null while there is none) with where it stands: how long
its certification covers and how many treatment days remain before Medicare's next
progress report (visits.plan_status). A POST writes a new plan, which replaces the one
in force (kept, marked superseded); /certify/ records the physician's signature, /sent/
that the plan went out for it, and a goal's status changes at /goals/{goal_id}/.
Clinicians of the patient's clinic only; the writes are visits.plans' services.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.routing import path_id
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import staff_caller
from visits import plans
from visits.plan_models import Goal, PlanOfCare
from visits.plan_status import plan_status

from . import serializers as s
from .base import PatientScopedView

PLAN_CHANGE = "visits.change_planofcare"


class PlanView(PatientScopedView):
    queryset = PlanOfCare.objects.none()
    serializer_class = s.PatientPlanSerializer

    def plan_response(self, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            s.PatientPlanSerializer(plan_status(patient=self.get_patient())).data, status=code
        )

    def plan_in_force(self) -> PlanOfCare:
        plan = plans.current_plan(patient=self.get_patient())
        if plan is None:
            raise exceptions.ValidationError("This patient has no plan of care yet.")
        return plan


class PatientPlanView(PatientAccessLogMixin, PlanView):
    method_permissions = {"GET": "visits.view_planofcare", "POST": "visits.add_planofcare"}

    @extend_schema(
        summary="A patient's plan of care and its deadlines",
        description="`plan` is null while the patient has none; the progress-report count "
        "still runs from the last evaluation, re-evaluation or progress note.",
        responses={200: s.PatientPlanSerializer},
    )
    def get(self, request: Request, patient_id: str) -> Response:
        return self.plan_response()

    @extend_schema(
        summary="Write a patient's plan of care",
        description="Frequency and duration, the certifying physician, and the goals. It "
        "replaces the plan in force, which is kept (superseded). Certify it afterwards.",
        request=s.PlanInputSerializer,
        responses={201: s.PatientPlanSerializer},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        patient = self.get_patient()
        body = s.PlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        goals = [plans.GoalInput(**goal) for goal in data.pop("goals")]
        plans.plan_of_care_create(
            patient=patient, therapist=staff_caller(request), goals=goals, **data
        )
        return self.plan_response(status.HTTP_201_CREATED)


class PlanCertifyView(PatientAccessLogMixin, PlanView):
    method_permissions = {"POST": PLAN_CHANGE}

    @extend_schema(
        summary="Record the physician's certification of the plan in force",
        description="The 90 days run from the plan's first treatment; the day signed "
        "says whether the certification was timely. A 400 when the "
        "patient has no plan, or it is certified already.",
        request=s.CertifyInputSerializer,
        responses={200: s.PatientPlanSerializer},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        plan = self.plan_in_force()
        body = s.CertifyInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plans.plan_of_care_certify(
            plan=plan,
            staff_member=staff_caller(request),
            certified_on=body.validated_data["certified_on"],
        )
        return self.plan_response()


class PlanSentView(PatientAccessLogMixin, PlanView):
    method_permissions = {"POST": PLAN_CHANGE}

    @extend_schema(
        summary="Record that the plan in force went to the physician for signature",
        request=None,
        responses={200: s.PatientPlanSerializer},
    )
    def post(self, request: Request, patient_id: str) -> Response:
        plans.plan_of_care_mark_sent(plan=self.plan_in_force(), staff_member=staff_caller(request))
        return self.plan_response()


class PlanGoalView(PatientAccessLogMixin, PlanView):
    serializer_class = s.GoalSerializer  # type: ignore[assignment]
    method_permissions = {"PATCH": "visits.change_goal"}

    @extend_schema(
        summary="Set a goal's status",
        description="Any goal of the patient's plans, the superseded ones included.",
        request=s.GoalStatusInputSerializer,
        responses={200: s.GoalSerializer},
    )
    def patch(self, request: Request, patient_id: str, goal_id: str) -> Response:
        goal = (
            Goal.objects.for_user(request.user)
            .filter(plan__patient=self.get_patient(), pk=path_id(goal_id))
            .first()
        )
        if goal is None:
            raise exceptions.NotFound("Not found.")
        body = s.GoalStatusInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        goal = plans.goal_set_status(
            goal=goal, therapist=staff_caller(request), status=body.validated_data["status"]
        )
        return Response(s.GoalSerializer(goal).data)
