"""Reads of patients' records that the admin and the API share."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from .models import Diagnosis, Patient


def latest_diagnosis_cause() -> Subquery:
    """The cause of each patient's latest diagnosis (None without one), to annotate a
    patient queryset with: the cause a list shows and filters by."""
    latest = Diagnosis.objects.filter(patient=OuterRef("pk")).order_by("-diagnosed_on", "-id")
    return Subquery(latest.values("cause")[:1])


def has_app_login(patient: Patient) -> bool:
    """Whether the patient can log in to the app: a login that is not closed (an archive
    or a confirmed account closure ends it). Select `user` with the patients."""
    return patient.user is not None and patient.user.is_active
