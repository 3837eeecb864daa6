"""The clinical record's routes: a visit's note under its appointment, and a patient's
plan of care and remote monitoring."""

from django.urls import path

from . import note_views, plan_views, rtm_views

_VISIT = "appointments/<str:appointment_id>/visit/"
_PATIENT = "patients/<str:patient_id>/"

urlpatterns = [
    path(_VISIT, note_views.VisitNoteView.as_view(), name="visit-note"),
    path(
        f"{_VISIT}procedures/",
        note_views.VisitProceduresView.as_view(),
        name="visit-note-procedures",
    ),
    path(f"{_VISIT}sign/", note_views.VisitSignView.as_view(), name="visit-note-sign"),
    path(f"{_VISIT}addenda/", note_views.VisitAddendaView.as_view(), name="visit-note-addenda"),
    path(f"{_PATIENT}plan-of-care/", plan_views.PatientPlanView.as_view(), name="plan-of-care"),
    path(
        f"{_PATIENT}plan-of-care/certify/",
        plan_views.PlanCertifyView.as_view(),
        name="plan-of-care-certify",
    ),
    path(
        f"{_PATIENT}plan-of-care/sent/",
        plan_views.PlanSentView.as_view(),
        name="plan-of-care-sent",
    ),
    path(
        f"{_PATIENT}plan-of-care/goals/<str:goal_id>/",
        plan_views.PlanGoalView.as_view(),
        name="plan-of-care-goal",
    ),
    path(f"{_PATIENT}rtm/", rtm_views.PatientRtmView.as_view(), name="rtm"),
    path(f"{_PATIENT}rtm/onboard/", rtm_views.RtmOnboardView.as_view(), name="rtm-onboard"),
    path(
        f"{_PATIENT}rtm/time-entries/",
        rtm_views.RtmTimeEntriesView.as_view(),
        name="rtm-time-entries",
    ),
]
