"""API routes of this app, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import account_closure, me_contacts, screening_views, views

router = SimpleRouter()
router.register("patients", views.PatientViewSet, basename="patient")
router.register("diagnoses", views.DiagnosisViewSet, basename="diagnosis")
router.register("screenings", screening_views.ScreeningViewSet, basename="screening")
router.register("alerts", screening_views.AlertViewSet, basename="alert")
router.register("me/symptoms", screening_views.SymptomReportViewSet, basename="me-symptoms")

# /me/ (the patient's profile with the program's reminder times) is in programs.api.
urlpatterns = [
    path("me/contacts/", me_contacts.MyContactsView.as_view(), name="me-contacts"),
    path(
        "me/account-closure/",
        account_closure.MyAccountClosureView.as_view(),
        name="me-account-closure",
    ),
    path(
        "me/account-closure/withdraw/",
        account_closure.MyAccountClosureWithdrawView.as_view(),
        name="me-account-closure-withdraw",
    ),
    *router.urls,
]
