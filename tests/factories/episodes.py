"""The end of an episode of care."""

from __future__ import annotations

from episodes import services as episode_services
from episodes.models import EpisodeClosure
from patients.models import Patient
from practice.models import User

from .patients import patient_and_clinician


def make_episode_closure(
    *,
    patient: Patient | None = None,
    actor: User | None = None,
    note: str = "Goals met, independent with the program.",
    archive: bool = False,
) -> EpisodeClosure:
    """The patient discharged (or archived) by `actor`, a clinician of the clinic."""
    if actor is None:
        patient, clinician = patient_and_clinician(patient, None)
        actor = clinician.user
    patient = patient or patient_and_clinician(None, None)[0]
    close = episode_services.patient_archive if archive else episode_services.patient_discharge
    return close(patient=patient, actor=actor, note=note).closure
