"""Paths and bodies the staff /patients/ tests share."""

from __future__ import annotations

from patients import services as patient_services

PATIENTS = "/api/v1/patients/"


def detail(patient) -> str:
    return f"{PATIENTS}{patient.pk}/"


def new_patient(**overrides) -> dict:
    return {
        "mrn": "MRN-7001",
        "first_name": "Dana",
        "last_name": "Okafor",
        "date_of_birth": "1975-03-02",
        "email": "dana@example.com",
        "phone": "+12025550143",
        "time_zone": "America/Chicago",
        **overrides,
    }


def put_on_hold(patient) -> None:
    patient_services.red_flag_screen(patient=patient, flags={"foot_drop": True})
