"""Closing a patient's app account: the patient asks, staff confirm.

Confirming ends the login and the messages, not the record: the account is made
inactive through `practice.logins.user_set_active` (kept as a `LoginAccessChange` with
the reason), so every token of it is refused, and consent to every channel is withdrawn
(`patient_consent_update`), so no reminder goes out again. The clinical records stay,
as the law requires: the patient's status is a clinical decision (discharge or archive,
episodes.services), which staff make apart from this.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.records import record_save
from practice.logins import user_set_active
from practice.models import StaffMember, User
from practice.tenancy import staff_of

from .consent import ConsentSource, patient_consent_update
from .models import AccountClosureRequest, Patient

Status = AccountClosureRequest.Status


@dataclass(frozen=True)
class ClosureAsked:
    request: AccountClosureRequest
    created: bool  # False: an open request was already there (a retried call)


def account_closure_current(*, patient: Patient) -> AccountClosureRequest | None:
    """The patient's latest request: the open one if there is one (a new request can
    only follow a decided one)."""
    return (
        AccountClosureRequest.objects.filter(patient=patient)
        .order_by("-requested_at", "-pk")
        .first()
    )


@transaction.atomic
def account_closure_request(*, patient: Patient, actor: User, reason: str = "") -> ClosureAsked:
    """Ask to close the account; asking again while a request is open returns it."""
    # The patient's row lock orders two requests sent at once: the second finds the first.
    Patient.objects.select_for_update().only("pk").get(pk=patient.pk)
    open_request = AccountClosureRequest.objects.filter(
        patient=patient, status=Status.REQUESTED
    ).first()
    if open_request is not None:
        return ClosureAsked(request=open_request, created=False)
    request = AccountClosureRequest(patient=patient, reason=reason.strip())
    record_save(request, actor=actor)
    return ClosureAsked(request=request, created=True)


def _locked(request: AccountClosureRequest) -> AccountClosureRequest:
    return AccountClosureRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def account_closure_withdraw(
    *, request: AccountClosureRequest, actor: User
) -> AccountClosureRequest:
    """The patient changed their mind. A withdrawn request stays withdrawn (a retry
    changes nothing); a confirmed one cannot be withdrawn: the login has ended."""
    request = _locked(request)
    if request.status == Status.CONFIRMED:
        raise ValidationError(
            _("Your account was already closed; ask the clinic to open it again.")
        )
    if request.status == Status.WITHDRAWN:
        return request
    request.status = Status.WITHDRAWN
    request.decided_at = timezone.now()
    record_save(request, actor=actor)
    return request


def check_may_confirm_closure(*, by: User, patient: Patient) -> StaffMember | None:
    """Clinicians and clinic admins of the patient's clinic (or the operator), as for
    closing an episode; the front desk may read requests but not decide them. The staff
    member deciding, None for the operator."""
    staff = staff_of(by)
    if staff is not None and staff.clinic_id == patient.clinic_id and staff.may_close_episodes:
        return staff
    if by.is_superuser:
        return None
    raise PermissionDenied("Only a clinician or a clinic admin may close a patient's account.")


@transaction.atomic
def account_closure_confirm(
    *, request: AccountClosureRequest, by: User, note: str = ""
) -> AccountClosureRequest:
    """Close the account as asked: the login ends (its tokens too) and no reminder goes
    out again; the records stay. Refused unless the request is still open."""
    request = _locked(request)
    patient = Patient.objects.select_for_update().get(pk=request.patient_id)
    staff = check_may_confirm_closure(by=by, patient=patient)
    if request.status != Status.REQUESTED:
        raise ValidationError(
            f"This request was already {request.get_status_display().lower()}; nothing was changed."
        )
    if patient.user_id is not None:
        user_set_active(
            user_id=patient.user_id,
            active=False,
            actor=by,
            reason=f"Account closure confirmed (request {request.pk}).",
        )
    patient_consent_update(
        patient=patient,
        source=ConsentSource.STAFF,
        actor=by,
        email=False,
        sms=False,
        push=False,
        reference=f"account closure {request.pk}",
    )
    request.status = Status.CONFIRMED
    request.decided_by = staff
    request.decided_at = timezone.now()
    request.note = note.strip()
    record_save(request, actor=by)
    return request
