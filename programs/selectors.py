"""Reads of the programs with a rule in them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch

from .models import PrescribedExercise, Prescription

if TYPE_CHECKING:
    from patients.models import Patient


def open_prescription(patient: Patient, *, with_exercises: bool = False) -> Prescription | None:
    """The patient's active or paused program, if any (a patient has at most one open).

    `with_exercises` fetches its exercises too, with their library entries, in program
    order (phase, then order), for a page that lists them."""
    programs = patient.prescriptions.filter(status__in=Prescription.OPEN_STATUSES)
    if with_exercises:
        items = PrescribedExercise.objects.select_related("exercise").order_by("phase", "order")
        programs = programs.prefetch_related(Prefetch("exercises", queryset=items))
    return programs.first()
