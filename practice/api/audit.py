"""`PatientAccessLogMixin`: log which patients' records a successful API answer carried.

Add it first in a view's bases. After a 2xx answer (in `finalize_response`) it writes
one `audit.RecordAccess` row per distinct patient through the recorder the settings
name (see `core.access_log`): `audit.services.record_access_log`, one bulk insert
(plus at most one clinic lookup) whatever the page size, which never breaks the
response.

Which patients a view returned is collected generically:
- objects the view fetched with `get_object()` (detail views and actions on one record);
- the rows of the page (`self.paginator.page.object_list`) for paginated lists;
- instances handed to `get_serializer()` (incl. `many=True`), and a create's
  `serializer.instance` or validated `patient`;
- a `patient_id` URL argument (e.g. /patients/{patient_id}/progress/ and /sessions/),
  which the view has already resolved within the caller's clinic when it answers 2xx;
- for patient self-service views (`PatientSelfMixin`, the /me endpoints) the caller's
  own patient. Self-access is logged too (documented choice): the audit control covers
  every read of a record, and a patient's token used by someone else shows up here.
- as a last resort, when nothing above applied, an integer `patient` in the answer.

`audit_patient_of(obj)` maps one object to its patient; override it for models whose
patient is elsewhere. Reads (GET/HEAD) are logged as "view", writes as "change";
OPTIONS and failed answers (4xx/5xx, e.g. another clinic's 404) log nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.status import is_success

from core.access_log import CHANGE, VIEW, is_patient, record_patient_access
from core.api.fields import as_id

from .viewsets import PatientSelfMixin

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    # What the mixin below extends: typed as the generic view it is always mixed into.
    _ViewBase = GenericAPIView[Any]
else:
    _ViewBase = object

logger = logging.getLogger(__name__)

AUDIT_ACTIONS = {
    "GET": VIEW,
    "HEAD": VIEW,
    "POST": CHANGE,
    "PUT": CHANGE,
    "PATCH": CHANGE,
    "DELETE": CHANGE,
}


def _as_int(value: object) -> int | None:
    """A patient id read from a URL argument or an answer; None for anything else."""
    pk = as_id(value)
    return pk if pk is not None and pk > 0 else None


class PatientAccessLogMixin(_ViewBase):
    """Logs the patients whose records a successful answer returned (see module doc)."""

    def _audit_seen(self) -> list[Any]:
        seen: list[Any] | None = self.__dict__.get("_audit_objects")
        if seen is None:
            seen = self.__dict__["_audit_objects"] = []
        return seen

    def get_object(self) -> Any:
        obj = super().get_object()
        self._audit_seen().append(obj)
        return obj

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        self._audit_seen().append(serializer)
        return serializer

    def audit_patient_of(self, obj: Any) -> Any:
        """The patient (or patient id) `obj` belongs to; None when it has none.

        Uses the cached related patient or `patient_id`, so a page of rows costs no
        query per row."""
        if is_patient(obj):
            return obj
        cache = getattr(getattr(obj, "_state", None), "fields_cache", {})
        if is_patient(cache.get("patient")):
            return cache["patient"]
        patient_id = getattr(obj, "patient_id", None)
        if patient_id is not None:
            return patient_id
        patient = getattr(obj, "patient", None)
        return patient if is_patient(patient) or isinstance(patient, int) else None

    def _audit_instances(self, item: Any) -> list[Any]:
        if hasattr(item, "is_valid") and hasattr(item, "instance"):  # a serializer
            instance = item.instance
            if instance is None:
                validated = getattr(item, "_validated_data", None)
                patient = validated.get("patient") if isinstance(validated, dict) else None
                return [patient] if patient is not None else []
            item = instance
        if isinstance(item, QuerySet):
            # Only rows already fetched for the answer; never a new query here.
            return list(item._result_cache) if item._result_cache is not None else []
        if isinstance(item, list | tuple):
            return list(item)
        return [item]

    def audit_patients(self, request: Request, response: Response) -> list[Any]:
        patients: list[Any] = []
        for item in self.__dict__.get("_audit_objects", []):
            patients.extend(self.audit_patient_of(obj) for obj in self._audit_instances(item))
        page = getattr(self.__dict__.get("_paginator"), "page", None)
        if page is not None:
            patients.extend(self.audit_patient_of(obj) for obj in page.object_list)
        patient_id = _as_int(getattr(self, "kwargs", {}).get("patient_id"))
        if patient_id is not None:
            patients.append(patient_id)
        if isinstance(self, PatientSelfMixin):
            patients.append(self.patient)
        found = [p for p in patients if p is not None]
        if not found and isinstance(getattr(response, "data", None), dict):
            data_patient = _as_int(response.data.get("patient"))
            if data_patient is not None:
                found.append(data_patient)
        return found

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        action = AUDIT_ACTIONS.get(request.method or "")
        if action is None or not is_success(response.status_code):
            return response
        try:
            patients = self.audit_patients(request, response)
        except Exception:
            # Same policy as the service: never turn a good answer into a 500.
            logger.exception("Access log: could not tell whose record %s returned", request.path)
            return response
        if patients:
            record_patient_access(request=request, patients=patients, action=action)
        return response
