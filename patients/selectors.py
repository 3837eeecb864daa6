"""Reads of patients' records that the admin and the API share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery

from .alerts import OPEN_ALERT
from .models import ClinicalAlert, Diagnosis, Patient

_LATEST_FIRST = ("-diagnosed_on", "-id")


def latest_diagnosis_cause() -> Subquery:
    """The cause of each patient's latest diagnosis (None without one), to annotate a
    patient queryset with: the cause a list shows and filters by."""
    return latest_diagnosis_field("cause")


def latest_diagnosis_field(name: str, *, patient: str = "pk") -> Subquery:
    """One field of the latest diagnosis of the patient at `patient` (a reference to the
    outer row's patient id), to annotate a queryset with."""
    latest = Diagnosis.objects.filter(patient=OuterRef(patient)).order_by(*_LATEST_FIRST)
    return Subquery(latest.values(name)[:1])


def latest_diagnoses(*, patients: Iterable[Patient]) -> dict[int, Diagnosis]:
    """Each patient's latest diagnosis, by patient id (none for the undiagnosed). One
    query however many patients: each patient's latest row only, not their history."""
    return {
        diagnosis.patient_id: diagnosis
        for diagnosis in Diagnosis.objects.filter(patient__in=[p.pk for p in patients])
        .annotate(latest_id=latest_diagnosis_field("pk", patient="patient"))
        .filter(pk=F("latest_id"))
        .order_by()
    }


@dataclass(frozen=True)
class OpenAlerts:
    """A patient's alerts waiting for staff: how many, how many urgent, and their kinds
    (labels, those of urgent alerts first)."""

    count: int
    urgent: int
    kinds: tuple[str, ...]


_KIND_LABELS = dict(ClinicalAlert.Kind.choices)


def open_alerts(*, patients: Iterable[Patient]) -> dict[int, OpenAlerts]:
    """The open alerts of each patient that has some, by patient id. One query."""
    found: dict[int, list[tuple[str, str]]] = {}
    for patient_id, severity, kind in (
        ClinicalAlert.objects.filter(OPEN_ALERT, patient__in=[p.pk for p in patients])
        .order_by("-severity", "created_at", "pk")  # "urgent" sorts after "routine"
        .values_list("patient_id", "severity", "kind")
    ):
        found.setdefault(patient_id, []).append((severity, kind))
    return {
        patient_id: OpenAlerts(
            count=len(rows),
            urgent=sum(severity == ClinicalAlert.Severity.URGENT for severity, _ in rows),
            kinds=tuple(_KIND_LABELS.get(k, k) for k in dict.fromkeys(k for _, k in rows)),
        )
        for patient_id, rows in found.items()
    }


def has_app_login(patient: Patient) -> bool:
    """Whether the patient can log in to the app: a login that is not closed (an archive
    or a confirmed account closure ends it). Select `user` with the patients."""
    return patient.user is not None and patient.user.is_active
