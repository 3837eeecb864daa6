"""Handing the patients whose record a page showed or changed to the access log.

The admin and API base classes live here in the shared core, below audit and patients
in the layers, so they may import neither. The recorder is named by
`settings.PATIENT_ACCESS_RECORDER` (audit's `record_access_log`) and resolved on first
use, and the patient model by `settings.PATIENT_MODEL`. A setting rather than a
registration from audit's AppConfig.ready(): the wiring stays in the one place allowed
to know every app, it does not depend on the order apps load in, and a test can swap
the recorder with override_settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.module_loading import import_string
from rest_framework.request import Request

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

VIEW = "view"
CHANGE = "change"

# An admin page's request, or an API view's (DRF's Request wraps Django's).
AnyRequest = HttpRequest | Request


class Recorder(Protocol):
    def __call__(
        self,
        *,
        user: AbstractBaseUser | AnonymousUser | None,
        patients: Iterable[Any],
        action: str,
        request: AnyRequest | None = None,
    ) -> object: ...


@cache
def _recorder(dotted_path: str) -> Recorder:
    return import_string(dotted_path)


def patient_model() -> type[models.Model]:
    return apps.get_model(settings.PATIENT_MODEL)


def is_patient(obj: object) -> bool:
    return isinstance(obj, patient_model())


def record_patient_access(*, request: AnyRequest, patients: Iterable[Any], action: str) -> None:
    """Log that the request's user read (`VIEW`) or wrote (`CHANGE`) these patients'
    records; `patients` are patients or their ids. The recorder never raises."""
    patients = [p for p in patients if p is not None]
    if patients:
        recorder = _recorder(settings.PATIENT_ACCESS_RECORDER)
        recorder(user=request.user, patients=patients, action=action, request=request)
