"""POST /me/sessions/batch/: the sessions a phone kept while offline, up to 50 at once.

Each session is judged on its own, through the same `session_log` (and pain rules) as a
single upload and in its own transaction, so one bad session does not refuse the others:
the answer lists, in the order sent, what became of each. A retried batch answers
"existing" for the sessions already stored; a `client_id` stored with another body, or
sent twice in one batch, is refused with the fields that differ.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import exception_handler
from core.conflicts import ConflictError
from practice.api.audit import PatientAccessLogMixin
from practice.api.viewsets import PatientSelfMixin
from programs import services
from programs.models import ExerciseSession

from . import session_serializers as s
from .sessions import with_items

MAX_BATCH = 50


class _BatchShape(serializers.Serializer):
    """The request as a whole: each session is checked on its own afterwards."""

    # allow_null: a null entry is refused on its own, as any other entry that is no session.
    sessions = serializers.ListField(
        child=serializers.JSONField(allow_null=True), min_length=1, max_length=MAX_BATCH
    )


class SessionBatchSerializer(serializers.Serializer):
    sessions: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=s.SessionLogSerializer(),
        min_length=1,
        max_length=MAX_BATCH,
        help_text=f"1 to {MAX_BATCH} sessions, each as POST /me/sessions/ takes it.",
    )


class SessionBatchResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The session's place in the request, from 0.")
    client_id = serializers.CharField(
        allow_null=True, help_text="As sent; null when the session had none (or not a string)."
    )
    status = serializers.ChoiceField(
        choices=["created", "existing", "refused"],
        help_text="created: logged now; existing: logged before (a retry), nothing new; "
        "refused: not logged, see `errors`.",
    )
    session = s.SessionSerializer(
        allow_null=True, help_text="As POST /me/sessions/ answers it; null when refused."
    )
    code = serializers.CharField(
        allow_null=True, help_text="invalid or conflict when refused; null otherwise."
    )
    detail = serializers.CharField(
        allow_null=True, help_text="One message to show when refused; null otherwise."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # Added here: declared on the class, `errors` would hide the serializer's own.
        fields = super().get_fields()
        fields["errors"] = serializers.DictField(
            allow_null=True,
            help_text="The messages per field, as an error answer's `errors`; null unless refused.",
        )
        return fields


class SessionBatchAnswerSerializer(serializers.Serializer):
    results = SessionBatchResultSerializer(many=True)


def _client_id(body: Any) -> str | None:
    value = body.get("client_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


class MySessionBatchView(PatientAccessLogMixin, PatientSelfMixin, generics.GenericAPIView):
    """Log up to 50 sessions, each accepted or refused on its own."""

    # What OPTIONS describes; the items are judged one by one in `post`.
    serializer_class = SessionBatchSerializer

    @extend_schema(
        summary="Log sessions in a batch",
        description=f"Up to {MAX_BATCH} sessions, each as POST /me/sessions/ takes it, each "
        "judged on its own (the same rules, its own transaction): the answer is 200 with one "
        "result per session in the order sent, `created`, `existing` (already logged under "
        "that `client_id`: a retried batch) or `refused` with the errors of the error "
        "envelope (a `client_id` logged with another body gets the conflict's fields; one "
        "sent twice in the batch is refused the second time). A body that is not a list of "
        f"1 to {MAX_BATCH} sessions is a 400 for the whole request.",
        request=SessionBatchSerializer,
        responses={200: SessionBatchAnswerSerializer},
    )
    def post(self, request: Request) -> Response:
        shape = _BatchShape(data=request.data)
        shape.is_valid(raise_exception=True)
        seen: set[uuid.UUID] = set()
        results = [
            self._one(request, index, body, seen)
            for index, body in enumerate(shape.validated_data["sessions"])
        ]
        return Response({"results": results})

    def _log(self, body: Any, seen: set[uuid.UUID]) -> tuple[ExerciseSession, bool]:
        upload = s.SessionLogSerializer(data=body)
        upload.is_valid(raise_exception=True)
        data = dict(upload.validated_data)
        if data["client_id"] in seen:
            raise exceptions.ValidationError(
                {"client_id": [_("This client_id comes earlier in the same batch.")]}
            )
        data["exercises"] = [services.ExerciseDone(**item) for item in data["exercises"]]
        logged = services.session_log(patient=self.patient, **data)
        # Only once stored: a corrected copy after a refused one is judged afresh.
        seen.add(data["client_id"])
        return logged

    def _one(self, request: Request, index: int, body: Any, seen: set[uuid.UUID]) -> dict:
        result: dict[str, Any] = {
            "index": index,
            "client_id": _client_id(body),
            "status": "refused",
            "session": None,
            "code": None,
            "detail": None,
            "errors": None,
        }
        try:
            session, created = self._log(body, seen)
        except (exceptions.APIException, DjangoValidationError, ConflictError) as exc:
            # The single upload's error answer, as the result of this one session.
            answer = exception_handler(exc, {"request": request, "view": self})
            if answer is None:
                raise
            envelope = answer.data
            result.update(
                code=envelope["code"], detail=envelope["detail"], errors=envelope["errors"]
            )
            return result
        if not created:
            # As the single upload answers a retry: the stored session, read again.
            session = with_items(ExerciseSession.objects.filter(pk=session.pk)).get()
        result.update(
            status="created" if created else "existing", session=s.SessionSerializer(session).data
        )
        return result
