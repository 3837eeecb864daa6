"""Which parts of a patient's record a staff role reads, beyond the model permissions
that guard each page and endpoint of their own.

A patient's record shows the cause of the sciatica in several places (the API's patient
read, the admin's patient list and its filters); each asks here, so the front desk,
which registers and books but reads no diagnosis, sees it nowhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practice.models import User


def may_read_diagnoses(user: User | AnonymousUser) -> bool:
    return user.has_perm("patients.view_diagnosis")
