"""Writing the access log.

Failure policy (documented choice): the log is written inside the request, after the
view has produced its answer, as one statement (in a savepoint of its own when a
transaction is open, see `_insert`). If the write fails, the error is
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
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connections, models, transaction
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


def _insert(rows: list[RecordAccess]) -> list[RecordAccess]:
    """Store the rows: one INSERT statement for the whole page on PostgreSQL.

    Inside a transaction (a service's, or a test's) the rows go in a savepoint of their
    own, so a failed write cannot abort the caller's transaction. Outside one, as an API
    answer is, a single autocommitted INSERT is already atomic: no BEGIN and COMMIT
    round trips, and the page's rows go in together or not at all."""
    connection = connections[RecordAccess.objects.db]
    if connection.in_atomic_block or connection.vendor != "postgresql":
        with transaction.atomic(using=connection.alias):
            return RecordAccess.objects.bulk_create(rows)
    first = rows[0]
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(connection.alias),
            [
                first.user_id,
                first.action,
                first.path,
                first.method,
                first.ip,
                first.at,
                [row.patient_id for row in rows],
                [row.clinic_id for row in rows],
            ],
        )
        ids = {patient_id: pk for pk, patient_id in cursor.fetchall()}
    for row in rows:
        row.pk = ids[row.patient_id]
        row._state.adding = False
        row._state.db = connection.alias
    return rows


@cache
def _insert_sql(alias: str) -> str:
    """The page's rows as one statement: the fields every row shares once, the patient
    and clinic ids as two arrays; the columns named as the model maps them."""
    quote = connections[alias].ops.quote_name
    meta = RecordAccess._meta
    c = {f.name: quote(f.column) for f in meta.concrete_fields if f.column}
    return f"""
        INSERT INTO {quote(meta.db_table)}
            ({c["clinic"]}, {c["user"]}, {c["patient"]}, {c["action"]}, {c["path"]},
             {c["method"]}, {c["ip"]}, {c["at"]})
        SELECT page.clinic_id, %s, page.patient_id, %s, %s, %s, %s::inet, %s
        FROM UNNEST(%s::bigint[], %s::bigint[]) AS page(patient_id, clinic_id)
        RETURNING {c["id"]}, {c["patient"]}
    """  # noqa: S608 (only the model's names are formatted in; values are parameters)


def record_access_log(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    patients: Iterable[Any],
    action: str,
    request: AnyRequest | None = None,
    path: str | None = None,
) -> list[RecordAccess]:
    """Log that `user` read (`view`) or wrote (`change`) each patient's record (patients
    given as ids or as objects with `pk` and `clinic_id`): one row
    per distinct patient, in at most two queries (a clinic lookup for bare ids, then one
    bulk insert) whatever the number of patients. Never raises (see the module doc).

    `path` replaces the request's in the log, for a URL that carries a secret (a calendar
    feed's token) the log must not keep."""
    patient_ids: list[int] = []
    try:
        if user is None or not user.is_authenticated:
            return []
        clinics = _patient_clinics(patients)
        patient_ids = list(clinics)
        if not clinics:
            return []
        if path is None:
            path = request.path if request is not None else ""
        path = path[:_PATH_MAX]
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
        return _insert(rows)
    except Exception:
        logger.exception(
            "Access log write failed: user=%s action=%s path=%s patients=%s",
            getattr(user, "pk", None),
            action,
            path if path is not None else getattr(request, "path", None),
            patient_ids,
        )
        return []
