"""Base views: the clinic scope is applied here once, so no endpoint filters by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from practice.tenancy import visible_to

from .permissions import IsPatient, IsPatientWithLogin, RolePermissions, patient_of

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView
    from rest_framework.serializers import BaseSerializer

    # What the mixins below extend: typed as the generic view they are always mixed into.
    _ViewBase = GenericAPIView[Any]
else:
    _ViewBase = object

_M = TypeVar("_M", bound=models.Model)


class ClinicScopedMixin(_ViewBase):
    """Staff endpoints: rows of the caller's clinic only; others answer 404."""

    permission_classes = [RolePermissions]

    def get_queryset(self) -> QuerySet[Any]:
        return visible_to(super().get_queryset(), self.request.user)


class FreshResponseMixin(_ViewBase):
    """Answers a write with the row as a read shows it: read again through the view's
    queryset (its related rows and annotations as the list has them), not the instance
    the service returned."""

    def fresh_response(
        self,
        obj: models.Model,
        code: int = status.HTTP_200_OK,
        *,
        serializer_class: type[BaseSerializer[Any]] | None = None,
    ) -> Response:
        """`obj` serialized with `serializer_class`, by default the view's."""
        fresh = self.get_queryset().get(pk=obj.pk)
        serializer = (serializer_class or self.get_serializer_class())(
            fresh, context=self.get_serializer_context()
        )
        return Response(serializer.data, status=code)


class StaffReadOnlyViewSet(ClinicScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class StaffViewSet(ClinicScopedMixin, FreshResponseMixin, viewsets.GenericViewSet):
    pass


class CallerLanguageMixin(_ViewBase):
    """Answers a signed-in patient in their own language setting when they chose one,
    else in the phone's Accept-Language (which LocaleMiddleware has already activated),
    else English: from the moment the token is read, so a refusal of the permissions or
    the throttles (a 429) is in it too."""

    def perform_authentication(self, request: Request) -> None:
        # The patient is known only once DRF has read the token; the profile is the one
        # the permissions load next, so choosing the language asks the database nothing.
        self._language_before = translation.get_language()
        super().perform_authentication(request)
        patient = patient_of(request.user)
        chosen = getattr(patient, "language", "") if patient is not None else ""
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        before = getattr(self, "_language_before", None)
        language = translation.get_language()
        if before is not None and language != before:
            # Lazy texts become words when the body is rendered: render it in the
            # patient's language, then give back the one LocaleMiddleware chose, so
            # nothing after this answer runs in it.
            response.headers["Content-Language"] = language
            if hasattr(response, "render"):
                response.render()
            translation.activate(before)
        return response


class PatientSelfMixin(CallerLanguageMixin):
    """Patient endpoints: the caller's own records only, answered in the patient's
    language (`CallerLanguageMixin`)."""

    permission_classes = [IsPatient]

    @property
    def patient(self) -> Any:
        """The caller's patients.Patient (see `patient_of`)."""
        return patient_of(self.request.user)


class PatientRecordMixin(PatientSelfMixin):
    """Patient endpoints that stay open after discharge (`IsPatientWithLogin`)."""

    permission_classes = [IsPatientWithLogin]


def clinic_choices(model: type[_M]) -> Callable[[HttpRequest | None], QuerySet[_M]]:
    """For django-filter's `queryset=`: the caller's clinic's rows of `model`, so a
    filter never accepts (or lists) another clinic's ids."""

    def choices(request: HttpRequest | None) -> QuerySet[_M]:
        if request is None:
            return model._default_manager.none()
        return visible_to(model._default_manager.all(), request.user)

    return choices
