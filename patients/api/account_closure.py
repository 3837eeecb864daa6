"""/me/account-closure/: the patient asks to close their app account, reads where the
request stands, or withdraws it. Staff confirm in the admin (patients.account_closure)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from patients import account_closure
from patients.models import AccountClosureRequest
from practice.api.audit import PatientAccessLogMixin
from practice.api.permissions import caller
from practice.api.viewsets import PatientRecordMixin


class AccountClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountClosureRequest
        fields = ["id", "status", "requested_at", "reason", "decided_at"]
        read_only_fields = ["id", "status", "requested_at", "decided_at"]
        extra_kwargs = {"reason": {"max_length": 2000}}


class _ClosureView(PatientAccessLogMixin, PatientRecordMixin, generics.GenericAPIView):
    serializer_class = AccountClosureSerializer

    def current(self) -> AccountClosureRequest:
        request = account_closure.account_closure_current(patient=self.patient)
        if request is None:
            raise exceptions.NotFound(_("You have not asked to close your account."))
        return request


class MyAccountClosureView(_ClosureView):
    """Closing the account ends the app's login once the clinic confirms; the clinic
    keeps the records as the law requires. Asking again while a request is open returns
    it unchanged."""

    @extend_schema(summary="Read my request to close my account")
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(self.current()).data)

    @extend_schema(
        summary="Ask to close my account",
        responses={201: AccountClosureSerializer, 200: AccountClosureSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asked = account_closure.account_closure_request(
            patient=self.patient,
            actor=caller(request),
            reason=serializer.validated_data.get("reason", ""),
        )
        code = status.HTTP_201_CREATED if asked.created else status.HTTP_200_OK
        return Response(self.get_serializer(asked.request).data, status=code)


class MyAccountClosureWithdrawView(_ClosureView):
    """Withdraw the open request; a request already withdrawn is answered as it is."""

    @extend_schema(summary="Withdraw my request to close my account", request=None)
    def post(self, request: Request) -> Response:
        withdrawn = account_closure.account_closure_withdraw(
            request=self.current(), actor=caller(request)
        )
        return Response(self.get_serializer(withdrawn).data)
