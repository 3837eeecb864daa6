"""Writing a visit note: started from the visit, filled in, signed, then only amended.

Every write here is what the admin and the API both call. A signed note is locked: the
services refuse to change it, and what is learnt later is an addendum, kept with its
author, time and reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from appointments.models import Appointment
from core.localtime import local_date, zone_of
from core.records import record_save
from practice.models import StaffMember
from practice.tenancy import ensure_same_clinic

from .note_models import (
    Addendum,
    NoteKind,
    ProcedureLine,
    VisitNote,
    objective_field_names,
)
from .payers import payer_terms_on
from .units import Procedure, visit_units

# What a therapist fills in; the rest of a note is set by these services.
SUBJECTIVE_FIELDS = ("back_pain", "leg_pain", "pain_reach", "eases", "aggravates", "function")
NOTE_FIELDS = ("kind", *SUBJECTIVE_FIELDS, *objective_field_names(), "assessment", "plan")

_KIND_OF_APPOINTMENT: dict[str, str] = {
    Appointment.Kind.EVALUATION: NoteKind.EVALUATION,
    Appointment.Kind.RE_EVALUATION: NoteKind.RE_EVALUATION,
    Appointment.Kind.FOLLOW_UP: NoteKind.DAILY,
}


def _check_clinician(staff: StaffMember, clinic_of: Appointment | VisitNote) -> None:
    patient = clinic_of.patient
    ensure_same_clinic(patient.clinic, staff_member=staff)
    if not staff.is_clinician:
        raise PermissionDenied("Only a clinician documents a visit.")


def _locked_note(note: VisitNote) -> VisitNote:
    return (
        VisitNote.objects.select_for_update(of=("self",))
        .select_related("patient__clinic", "appointment")
        .get(pk=note.pk)
    )


def _refuse_signed(note: VisitNote) -> None:
    if note.signed_at is not None:
        raise ValidationError(
            f"This note was signed on {note.signed_at:%Y-%m-%d}; it cannot change. "
            "Add an addendum instead."
        )


def last_note_before(note: VisitNote) -> VisitNote | None:
    """The patient's note before this one: what the next examination starts from."""
    return (
        VisitNote.objects.filter(patient_id=note.patient_id)
        .exclude(pk=note.pk)
        .filter(visit_on__lte=note.visit_on)
        .order_by("-visit_on", "-id")
        .first()
    )


@transaction.atomic
def visit_note_start(
    *, appointment: Appointment, therapist: StaffMember, kind: str | None = None
) -> VisitNote:
    """The note of an attended (or checked-in) visit, its examination copied from the
    patient's last note so the therapist records what changed. Starting it again returns
    the note already started."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__clinic")
        .get(pk=appointment.pk)
    )
    _check_clinician(therapist, appointment)
    existing = VisitNote.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    attended = appointment.status == Appointment.Status.ATTENDED
    if not attended and (
        appointment.checked_in_at is None or appointment.status not in Appointment.BOOKED_STATUSES
    ):
        raise ValidationError(
            "A visit is documented once the patient has checked in or attended; this one "
            f"is {appointment.get_status_display().lower()}."
        )
    if kind is not None and kind not in NoteKind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(NoteKind.values)}."})
    clinic = appointment.patient.clinic
    note = VisitNote(
        appointment=appointment,
        patient=appointment.patient,
        therapist=therapist,
        kind=kind or _KIND_OF_APPOINTMENT.get(appointment.kind, NoteKind.DAILY),
        visit_on=local_date(appointment.starts_at, zone_of(clinic.time_zone)),
    )
    previous = last_note_before(note)
    if previous is not None:
        for name in objective_field_names():
            setattr(note, name, getattr(previous, name))
    record_save(note, actor=therapist.user)
    return note


@transaction.atomic
def visit_note_update(
    *, note: VisitNote, staff_member: StaffMember, fields: Mapping[str, Any]
) -> VisitNote:
    """Write the sections given in `fields` to a draft note."""
    note = _locked_note(note)
    _check_clinician(staff_member, note)
    _refuse_signed(note)
    unknown = sorted(set(fields) - set(NOTE_FIELDS))
    if unknown:
        raise ValidationError(f"Not sections of a note: {', '.join(unknown)}.")
    for name, value in fields.items():
        setattr(note, name, value)
    record_save(note, actor=staff_member.user, update_fields=[*fields, "updated_at"])
    return note


@transaction.atomic
def visit_note_set_procedures(
    *, note: VisitNote, staff_member: StaffMember, procedures: Sequence[Procedure]
) -> list[ProcedureLine]:
    """Replace a draft note's procedures, each with the units its payer's rule gives on
    the day of service (visits.units)."""
    note = _locked_note(note)
    _check_clinician(staff_member, note)
    _refuse_signed(note)
    _write_procedures(note, procedures, staff_member)
    return list(ProcedureLine.objects.filter(note=note).order_by("code"))


def _write_procedures(
    note: VisitNote, procedures: Sequence[Procedure], staff_member: StaffMember
) -> None:
    """The note's procedures, with the units of its payer's rule on the day of service."""
    terms = payer_terms_on(patient=note.patient, day=note.visit_on)
    try:
        units = visit_units(procedures=procedures, rule=terms.rule, pays_packs=terms.pays_packs)
    except ValueError as error:
        raise ValidationError({"procedures": str(error)}) from None
    ProcedureLine.objects.filter(note=note).delete()
    lines = [
        ProcedureLine(
            note=note,
            code=line.code,
            minutes=line.minutes,
            units=line.units,
            rule=units.rule.value,
            reason=line.reason[:200],
        )
        for line in units.lines
    ]
    bulk_create_with_history(lines, ProcedureLine, default_user=staff_member.user)


@transaction.atomic
def visit_note_sign(*, note: VisitNote, staff_member: StaffMember) -> VisitNote:
    """The note's therapist signs it, and it is locked. A note needs its assessment and
    plan, and the visit marked attended: a visit that did not happen bills nothing."""
    note = _locked_note(note)
    _check_clinician(staff_member, note)
    _refuse_signed(note)
    if staff_member.pk != note.therapist_id:
        raise PermissionDenied("Only the note's own therapist signs it.")
    missing = [name for name in ("assessment", "plan") if not getattr(note, name).strip()]
    if missing:
        raise ValidationError({name: "Write this before signing." for name in missing})
    if note.appointment.status != Appointment.Status.ATTENDED:
        raise ValidationError("Mark the visit attended before signing its note.")
    # What is signed is billed: the day of service as the visit stands now (it may have
    # moved since the note was started at check-in), and the units by the payer of that
    # day (coverage may have been entered since the procedures were).
    note.visit_on = local_date(note.appointment.starts_at, zone_of(note.patient.clinic.time_zone))
    procedures = [Procedure(p.code, p.minutes) for p in note.procedures.all()]
    if procedures:
        _write_procedures(note, procedures, staff_member)
    note.signed_at = timezone.now()
    note.signed_by = staff_member
    record_save(
        note,
        actor=staff_member.user,
        update_fields=["visit_on", "signed_at", "signed_by", "updated_at"],
    )
    return note


@transaction.atomic
def addendum_add(*, note: VisitNote, author: StaffMember, reason: str, text: str) -> Addendum:
    """A later addition to a signed note (a draft is simply edited)."""
    note = _locked_note(note)
    _check_clinician(author, note)
    if note.signed_at is None:
        raise ValidationError("This note is not signed yet: edit it instead.")
    addendum = Addendum(
        note=note,
        author=author,
        written_at=timezone.now(),
        reason=reason.strip(),
        text=text.strip(),
    )
    record_save(addendum, actor=author.user)
    return addendum
