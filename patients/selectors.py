"""Reads of patients' records that the admin and the API share."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from .models import Diagnosis


def latest_diagnosis_cause() -> Subquery:
    """The cause of each patient's latest diagnosis (None without one), to annotate a
    patient queryset with: the cause a list shows and filters by."""
    latest = Diagnosis.objects.filter(patient=OuterRef("pk")).order_by("-diagnosed_on", "-id")
    return Subquery(latest.values("cause")[:1])
