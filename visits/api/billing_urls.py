"""Billing routes: the month's billable lines and a visit's superbill."""

from django.urls import path

from . import billing_views

_VISIT = "appointments/<str:appointment_id>/visit/"

urlpatterns = [
    path("billing/lines/", billing_views.BillingLinesView.as_view(), name="billing-lines"),
    path(
        f"{_VISIT}superbill.pdf",
        billing_views.SuperbillPdfView.as_view(),
        name="visit-superbill-pdf",
    ),
    path(
        f"{_VISIT}superbill.html",
        billing_views.SuperbillHtmlView.as_view(),
        name="visit-superbill-html",
    ),
]
