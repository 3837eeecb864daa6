"""The visits app's admin: each part registers itself when imported here.

- admin_note: the visit note, its procedures and units, signing and addenda;
- admin_appointment: "Document visit" on the appointment's page;
- admin_plan: the plan of care with its goals and certification;
- admin_rtm: remote monitoring episodes, their status and time entries;
- admin_payers: payers, coverage and fees;
- admin_patient: the plan, monitoring, notes and coverage on the patient page.
"""

from __future__ import annotations

from . import (  # noqa: F401  (each registers its admin)
    admin_appointment,
    admin_note,
    admin_patient,
    admin_payers,
    admin_plan,
    admin_rtm,
)
