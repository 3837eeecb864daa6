"""The patient's own confirmation and cancellation of an appointment, from the app.

Only an appointment still to come. Confirming is open until it starts, since the
reminders (a day and two hours before, by default) ask the patient to confirm; only
cancelling closes when the clinic's cancellation window opens
(`selectors.patient_change_deadline`), and later the patient calls the clinic. Doing
either twice answers the same, since a phone that lost the first answer retries.

A cancellation keeps the row (cancelled, with when and why), and that stops its
reminders: the planner cancels the pending reminders of an appointment no longer booked,
and delivery checks again before anything goes out. It also raises a routine alert, so
the therapist finds it among the patient's alerts.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.conflicts import ConflictError
from core.localtime import zone_of
from core.records import record_save
from patients.models import ClinicalAlert
from patients.services import alert_raise
from practice.models import Clinic, User

from .models import Appointment
from .selectors import UPCOMING_STATUSES, patient_change_deadline

# Longest reason a patient may give; the app's text box is far shorter.
MAX_REASON_LENGTH = 2000


class PatientChangeError(ConflictError):
    """The app may not confirm or cancel this appointment; `code` says why, for the API."""

    def __init__(self, detail: str, *, code: str) -> None:
        super().__init__(detail, fields={})
        self.code = code


def _call_the_clinic(clinic: Clinic) -> str:
    if clinic.phone:
        return _("Please call the clinic at %(phone)s.") % {"phone": clinic.phone}
    return _("Please call the clinic.")


def _check_patient_may_change(appointment: Appointment, *, cancelling: bool) -> None:
    """Still to come, and for a cancellation also before the clinic's window opens."""
    clinic = appointment.patient.clinic
    call = _call_the_clinic(clinic)
    if appointment.status == Appointment.Status.CANCELLED:
        raise PatientChangeError(
            _("This appointment was cancelled. %(call)s") % {"call": call},
            code="appointment_cancelled",
        )
    if appointment.status not in UPCOMING_STATUSES or timezone.now() >= appointment.starts_at:
        raise PatientChangeError(
            _("This appointment has already started. %(call)s") % {"call": call},
            code="appointment_started",
        )
    if not cancelling:
        return
    deadline = patient_change_deadline(appointment)
    if deadline is not None and timezone.now() > deadline:
        raise PatientChangeError(
            _(
                "Appointments can be cancelled in the app until %(hours)s hours before "
                "they start. %(call)s"
            )
            % {"hours": clinic.cancellation_window_hours, "call": call},
            code="inside_cancellation_window",
        )


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__clinic", "patient__primary_therapist__user", "therapist__user")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def appointment_confirm(*, appointment: Appointment, actor: User) -> Appointment:
    """The patient says they will come, at any time before the start (the cancellation
    window does not apply). Confirming a confirmed appointment changes nothing."""
    appointment = _locked(appointment)
    if appointment.status == Appointment.Status.CONFIRMED:
        return appointment
    _check_patient_may_change(appointment, cancelling=False)
    appointment.status = Appointment.Status.CONFIRMED
    appointment.confirmed_at = timezone.now()
    appointment.sequence += 1
    record_save(
        appointment,
        actor=actor,
        update_fields=["status", "confirmed_at", "sequence", "updated_at"],
    )
    return appointment


def cancellation_store(
    appointment: Appointment, *, reason: str, by_patient: bool, actor: User | None
) -> None:
    """Write one locked visit's cancellation: who asked (the patient or the clinic), when,
    why, and the history row naming `actor`."""
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by_patient = by_patient
    appointment.cancellation_reason = reason
    appointment.sequence += 1
    record_save(
        appointment,
        actor=actor,
        update_fields=[
            "status",
            "cancelled_at",
            "cancelled_by_patient",
            "cancellation_reason",
            "sequence",
            "updated_at",
        ],
    )


@transaction.atomic
def appointment_cancel_by_patient(
    *, appointment: Appointment, actor: User, reason: str = ""
) -> Appointment:
    """The patient cancels. An appointment already cancelled (by them or the clinic) is
    answered as it is, and the therapist is not alerted again."""
    appointment = _locked(appointment)
    if appointment.status == Appointment.Status.CANCELLED:
        return appointment
    _check_patient_may_change(appointment, cancelling=True)
    cancellation_store(
        appointment, reason=reason.strip()[:MAX_REASON_LENGTH], by_patient=True, actor=actor
    )
    alert_raise(
        patient=appointment.patient,
        kind=ClinicalAlert.Kind.APPOINTMENT_CANCELLED,
        severity=ClinicalAlert.Severity.ROUTINE,
        message=_cancellation_message(appointment),
    )
    return appointment


def _cancellation_message(appointment: Appointment) -> str:
    """What the therapist reads (staff see it in English, like every alert).

    An alert has no addressee of its own: it reaches the patient's primary therapist (or,
    with none, every clinician of the clinic; DESIGN.md, alerts). When another clinician
    was booked, the message names them as the one whose visit it was, to pass it on."""
    patient = appointment.patient
    clinic = patient.clinic
    start = appointment.starts_at.astimezone(zone_of(clinic.time_zone))
    message = (
        f"{patient.full_name} cancelled their "
        f"{appointment.get_kind_display().lower()} of {start:%Y-%m-%d %H:%M} "
        f"({clinic.time_zone}) with {appointment.therapist} in the app."
    )
    if appointment.therapist_id != patient.primary_therapist_id:
        primary = patient.primary_therapist
        not_primary = f", not the primary therapist ({primary})" if primary is not None else ""
        message += f" Booked clinician: {appointment.therapist}{not_primary}; please tell them."
    if appointment.cancellation_reason:
        message += f" Reason: {appointment.cancellation_reason}"
    return message
