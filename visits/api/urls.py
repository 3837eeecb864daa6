"""The visits app's routes: the clinical record (notes, plans, monitoring) and billing."""

from django.urls import include, path

urlpatterns = [
    path("", include("visits.api.clinical_urls")),
    path("", include("visits.api.billing_urls")),
]
