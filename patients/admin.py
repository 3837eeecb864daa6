"""The patients app's admin, which Django's autodiscovery imports, split by topic:

- admin_patient: the patient list and page, its form and filters;
- admin_inlines: the screening and alert lists on the patient page;
- admin_sections: the registry through which the higher apps add their lists, their
  action links and the weekly charts to that page (programs, appointments and outcomes
  admin_patient);
- admin_records: the diagnosis and red-flag screening pages;
- admin_holds, admin_consent, admin_diagnoses: the hold, referral, consent and
  diagnosis parts those pages use;
- admin_alerts: the clinic's alerts inbox;
- admin_account_closure: the patients' requests to close their accounts.

episodes.admin subclasses PatientAdmin from here.
"""

from __future__ import annotations

# Importing a topic registers its pages.
from . import (  # noqa: F401
    admin_account_closure,
    admin_alerts,
    admin_consent,
    admin_diagnoses,
    admin_holds,
    admin_patient,
    admin_records,
)
from .admin_alerts import ClinicalAlertAdmin
from .admin_patient import PatientAdmin
from .admin_records import DiagnosisAdmin, RedFlagScreeningAdmin

__all__ = ["ClinicalAlertAdmin", "DiagnosisAdmin", "PatientAdmin", "RedFlagScreeningAdmin"]
