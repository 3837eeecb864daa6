"""Writing the access log.

Failure policy (documented choice): the log is written inside the request, after the
view has produced its answer, in its own savepoint. If the write fails, the error is
logged with `logger.exception` (so monitoring alerts on it) and the response still goes
out: the project's rule is that logging must never turn a good answer into a 500, and a
clinician being locked out of a patient's chart is itself a patient-safety risk. This
is "fail open"; the error log line names the user, path and patient ids so the missing
rows can be reconstructed from the server logs.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from core.access_log import AnyRequest, is_patient, patient_model

from .models import RecordAccess

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)

VIEW = RecordAccess.Action.VIEW
CHANGE = RecordAccess.Action.CHANGE
_PATH_MAX = RecordAccess._meta.get_field("path").max_length
_METHOD_MAX = RecordAccess._meta.get_field("method").max_length


def client_ip(request: AnyRequest | None) -> str | None:
    """The caller's address as DRF's throttles see it (NUM_PROXIES aware); None when it
    is not a valid IP address."""
    if request is None:
        return None
    # get_ident reads request.META only, which Django's request has as well as DRF's.
    ident = BaseThrottle().get_ident(request)  # type: ignore[arg-type]
    try:
        return str(ipaddress.ip_address((ident or "").strip()))
    except ValueError:
        return None


def _as_patient(item: Any) -> tuple[int, int | None] | None:
    """(patient id, clinic id or None when unknown) for a patient id or an object with
    `pk` and `clinic_id`; None for anything else (a model instance that is no patient
    included, so a row is never logged under another model's id)."""
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return (item, None) if item > 0 else None
    if isinstance(item, models.Model) and not is_patient(item):
        return None
    pk, clinic_id = getattr(item, "pk", None), getattr(item, "clinic_id", None)
    if isinstance(pk, int) and not isinstance(pk, bool):
        return pk, clinic_id if isinstance(clinic_id, int) else None
    return None


def _patient_clinics(patients: Iterable[Any]) -> dict[int, int]:
    """{patient id: clinic id}, deduplicated, in first-seen order; ids given without
    their clinic are looked up in one query (unknown ids are dropped)."""
    found: dict[int, int | None] = {}
    for item in patients:
        patient = _as_patient(item)
        if patient is None:
            continue
        pk, clinic_id = patient
        if clinic_id is not None:
            found[pk] = clinic_id
        else:
            found.setdefault(pk, None)
    missing = [pk for pk, clinic in found.items() if clinic is None]
    if missing:
        rows = patient_model()._default_manager.filter(pk__in=missing)
        known = dict(rows.values_list("pk", "clinic_id"))
        for pk in missing:
            found[pk] = known.get(pk)
    return {pk: clinic for pk, clinic in found.items() if clinic is not None}


def record_access_log(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    patients: Iterable[Any],
    action: str,
    request: AnyRequest | None = None,
) -> list[RecordAccess]:
    """Log that `user` read (`view`) or wrote (`change`) each patient's record (patients
    given as ids or as objects with `pk` and `clinic_id`): one row
    per distinct patient, in at most two queries (a clinic lookup for bare ids, then one
    bulk insert) whatever the number of patients. Never raises (see the module doc)."""
    patient_ids: list[int] = []
    try:
        if user is None or not user.is_authenticated:
            return []
        clinics = _patient_clinics(patients)
        patient_ids = list(clinics)
        if not clinics:
            return []
        path = request.path[:_PATH_MAX] if request is not None else ""
        method = (request.method or "")[:_METHOD_MAX] if request is not None else ""
        ip = client_ip(request)
        now = timezone.now()
        rows = [
            RecordAccess(
                clinic_id=clinic_id,
                user_id=user.pk,
                patient_id=patient_id,
                action=action,
                path=path,
                method=method,
                ip=ip,
                at=now,
            )
            for patient_id, clinic_id in clinics.items()
        ]
        with transaction.atomic():
            return RecordAccess.objects.bulk_create(rows)
    except Exception:
        logger.exception(
            "Access log write failed: user=%s action=%s path=%s patients=%s",
            getattr(user, "pk", None),
            action,
            getattr(request, "path", None),
            patient_ids,
        )
        return []
