"""Remote therapeutic monitoring: starting an episode with the patient's consent, the
set-up visit, the clinicians' time, and the episode's end."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from core.dates import check_plausible_time, check_record_date
from core.localtime import local_date, local_today, patient_zone, zone_of
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
    zone = patient_zone(patient)
    starts_on = starts_on or local_today(zone)
    check_record_date(starts_on, field="starts_on", label="start of monitoring")
    # Data before consent is not billable, and two episodes must not count a day twice.
    if starts_on < local_date(consent_at, zone):
        raise ValidationError({"starts_on": "Monitoring starts on or after the day of consent."})
    last_end = (
        RtmEpisode.objects.filter(patient=patient, ended_on__isnull=False)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    if last_end is not None and starts_on <= last_end:
        raise ValidationError(
            {"starts_on": f"The last monitoring episode ended on {last_end}: start after it."}
        )
    episode = RtmEpisode(
        patient=patient,
        starts_on=starts_on,
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
    if not episode.starts_on <= onboarded_on <= local_today(patient_zone(episode.patient)):
        raise ValidationError(
            {"onboarded_on": "The set-up is on a day from the episode's start to today."}
        )
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
    # Not ahead of today: an end in the future would bill its last period at once.
    # Not before recorded work: those minutes and the set-up belong to the episode.
    last_work = max(
        [
            d
            for d in (episode.onboarded_on, episode.time_entries.aggregate(m=Max("worked_on"))["m"])
            if d
        ],
        default=episode.starts_on,
    )
    if not last_work <= ended_on <= local_today(patient_zone(episode.patient)):
        raise ValidationError(
            {
                "ended_on": f"An episode ends on a day from {last_work} (its start or last "
                "recorded work) to today."
            }
        )
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
    if worked_on > local_today(zone_of(episode.patient.clinic.time_zone)):
        raise ValidationError({"worked_on": "Time is recorded once it is spent, not ahead."})
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
