"""The access log."""

from __future__ import annotations

from django.test import RequestFactory

from audit.models import RecordAccess
from audit.services import record_access_log
from patients.models import Patient
from practice.models import User

from .patients import patient_and_clinician


def make_record_access(
    *,
    user: User | None = None,
    patient: Patient | None = None,
    action: str = RecordAccess.Action.VIEW,
) -> RecordAccess:
    """One access-log row: `user` (a clinician of the patient's clinic unless given)
    opened the patient's admin page."""
    if user is None:
        patient, clinician = patient_and_clinician(patient, None)
        user = clinician.user
    patient = patient or patient_and_clinician(None, None)[0]
    page = f"/admin/patients/patient/{patient.pk}/change/"
    requests = RequestFactory()
    request = requests.get(page) if action == RecordAccess.Action.VIEW else requests.post(page)
    (row,) = record_access_log(user=user, patients=[patient], action=action, request=request)
    return row
