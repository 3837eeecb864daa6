"""Remote therapeutic monitoring: starting an episode with the patient's consent, the
set-up visit, the clinicians' time, and the episode's end."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.dates import check_plausible_time
from core.localtime import local_today, patient_zone
from core.records import record_save
from patients.models import Patient
from practice.models import StaffMember
from practice.tenancy import ensure_same_clinic

from .rtm_models import RtmEpisode, RtmTimeEntry


def _check_clinician(staff: StaffMember, patient: Patient) -> None:
    ensure_same_clinic(patient.clinic, staff_member=staff)
    if not staff.is_clinician:
        raise PermissionDenied("Only a clinician records remote monitoring.")


def open_episode(*, patient: Patient) -> RtmEpisode | None:
    return RtmEpisode.objects.filter(patient=patient, ended_on__isnull=True).first()


def rtm_episode_start(
    *,
    patient: Patient,
    staff_member: StaffMember,
    consent_at: datetime.datetime,
    consent_method: str,
    starts_on: datetime.date | None = None,
) -> RtmEpisode:
    """Begin monitoring a patient who has consented; the first 30-day period starts on
    `starts_on` (their own today when not given)."""
    _check_clinician(staff_member, patient)
    check_plausible_time(consent_at, field="consent_at", label="time of consent")
    episode = RtmEpisode(
        patient=patient,
        starts_on=starts_on or local_today(patient_zone(patient)),
        consent_at=consent_at,
        consent_recorded_by=staff_member,
        consent_method=consent_method,
    )
    try:
        with transaction.atomic():
            record_save(
                episode, actor=staff_member.user, settled=["rtm_one_open_episode_per_patient"]
            )
    except IntegrityError:
        raise ValidationError("This patient is already being monitored.") from None
    return episode


@transaction.atomic
def rtm_episode_onboard(
    *, episode: RtmEpisode, staff_member: StaffMember, onboarded_on: datetime.date
) -> RtmEpisode:
    """The set-up and teaching visit, billed once per episode (98975)."""
    episode = (
        RtmEpisode.objects.select_for_update().select_related("patient__clinic").get(pk=episode.pk)
    )
    _check_clinician(staff_member, episode.patient)
    if episode.onboarded_on is not None:
        raise ValidationError(f"This episode's set-up was recorded on {episode.onboarded_on}.")
    if onboarded_on < episode.starts_on:
        raise ValidationError({"onboarded_on": "The set-up is on or after the episode's start."})
    episode.onboarded_on = onboarded_on
    episode.onboarded_by = staff_member
    record_save(episode, actor=staff_member.user, update_fields=["onboarded_on", "onboarded_by"])
    return episode


@transaction.atomic
def rtm_episode_end(
    *, episode: RtmEpisode, staff_member: StaffMember, ended_on: datetime.date
) -> RtmEpisode:
    episode = (
        RtmEpisode.objects.select_for_update().select_related("patient__clinic").get(pk=episode.pk)
    )
    _check_clinician(staff_member, episode.patient)
    if episode.ended_on is not None:
        raise ValidationError(f"This episode ended on {episode.ended_on}.")
    if ended_on < episode.starts_on:
        raise ValidationError({"ended_on": "An episode ends on or after its start."})
    episode.ended_on = ended_on
    record_save(episode, actor=staff_member.user, update_fields=["ended_on"])
    return episode


@transaction.atomic
def rtm_time_entry_add(
    *,
    episode: RtmEpisode,
    clinician: StaffMember,
    worked_on: datetime.date,
    minutes: int,
    interactive: bool,
    note: str,
) -> RtmTimeEntry:
    episode = RtmEpisode.objects.select_related("patient__clinic").get(pk=episode.pk)
    _check_clinician(clinician, episode.patient)
    if worked_on < episode.starts_on or (episode.ended_on and worked_on > episode.ended_on):
        raise ValidationError({"worked_on": "The day falls outside the monitoring episode."})
    entry = RtmTimeEntry(
        episode=episode,
        clinician=clinician,
        worked_on=worked_on,
        minutes=minutes,
        interactive=interactive,
        note=note.strip(),
    )
    record_save(entry, actor=clinician.user)
    return entry
