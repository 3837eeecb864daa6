"""What the last checks before sending read, loaded for a whole delivery batch at once.

`cancel_rules` and `messages` judge and compose each row in Python over these facts, so
a batch of 100 rows costs the same few queries as a batch of one: one query per kind of
fact the batch needs (none for a fact no row needs), whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, QuerySet

from appointments.models import Appointment
from core.localtime import local_midnight, local_today, patient_zone
from outcomes.models import QuestionnaireResponse
from patients.models import ClinicalAlert, Patient
from practice.models import StaffMember
from programs.models import ExerciseSession, Prescription

from . import selectors
from .models import Channel, Device, Kind, Notification, StaffDevice
from .sources import ALERT_PREFIXES, Source, parse_source

# Staff messages; their recipient is `staff`, and `patient`, when set, is who they are about.
STAFF_KINDS = frozenset(
    {Kind.INACTIVITY_ALERT, Kind.URGENT_ALERT, Kind.ESCALATION, Kind.ROUTINE_ALERT, Kind.DIGEST}
)


@dataclass
class DeliveryFacts:
    """The world as the rules see it at `now`, for the rows it was loaded for."""

    now: datetime.datetime
    sources: dict[int, Source | None] = field(default_factory=dict)  # notification id ->
    prescription_status: dict[int, str] = field(default_factory=dict)  # prescription id ->
    open_program_status: dict[int, str] = field(default_factory=dict)  # patient id ->
    last_session_at: dict[int, datetime.datetime] = field(default_factory=dict)  # patient id ->
    appointments: dict[int, Appointment] = field(default_factory=dict)
    # alert id -> (acknowledged_at, resolved_at)
    alert_state: dict[int, tuple[datetime.datetime | None, datetime.datetime | None]] = field(
        default_factory=dict
    )
    # (patient id, questionnaire code) -> when it was last answered
    answered_at: dict[tuple[int, str], datetime.datetime] = field(default_factory=dict)
    subjects: dict[int, Patient] = field(default_factory=dict)  # inactivity alerts' patients
    patient_tokens: dict[int, str] = field(default_factory=dict)  # newest device per patient
    staff_tokens: dict[int, str] = field(default_factory=dict)  # newest device per staff
    # patient id -> how many SMS they were sent, or other batches started sending to
    # them, since their local midnight
    sms_sent_today: dict[int, int] = field(default_factory=dict)
    digest_alerts: dict[int, list[ClinicalAlert]] = field(default_factory=dict)  # staff id ->

    def source(self, notification: Notification) -> Source | None:
        return self.sources[notification.pk]


def sms_capped(notification: Notification) -> bool:
    """Whether the daily SMS cap applies: texts to patients, but the emergency guidance."""
    return (
        notification.channel == Channel.SMS
        and not notification.staff_id
        and notification.patient_id is not None
        and notification.kind != Kind.HOLD_GUIDANCE
    )


def delivery_facts_load(
    *, notifications: Iterable[Notification], now: datetime.datetime
) -> DeliveryFacts:
    """Every fact the rules and the composer need for these rows (loaded with their
    clinic, patient and staff), one query per kind of fact the rows need."""
    rows = list(notifications)
    facts = DeliveryFacts(now=now, sources={n.pk: parse_source(n.source) for n in rows})
    wanted = _Wanted()
    for notification in rows:
        wanted.add(notification, facts.sources[notification.pk])
    _load_programs(facts, wanted)
    _load_events(facts, wanted)
    _load_reach(facts, wanted, rows, now=now)
    return facts


@dataclass
class _Wanted:
    """Which ids each kind of fact is needed for."""

    prescriptions: set[int] = field(default_factory=set)
    programs_of: set[int] = field(default_factory=set)  # open program and sessions, by patient
    appointments: set[int] = field(default_factory=set)
    alerts: set[int] = field(default_factory=set)
    questionnaires: set[tuple[int, str]] = field(default_factory=set)
    subjects: set[int] = field(default_factory=set)
    patient_devices: set[int] = field(default_factory=set)
    staff_devices: set[int] = field(default_factory=set)
    digests: dict[int, StaffMember] = field(default_factory=dict)  # staff id ->

    def add(self, notification: Notification, source: Source | None) -> None:
        kind, prefix = notification.kind, source.prefix if source else None
        if source is not None and kind == Kind.EXERCISE and prefix == "prescription":
            self.prescriptions.add(source.object_id)
        elif kind == Kind.NUDGE and notification.patient_id is not None:
            self.programs_of.add(notification.patient_id)
        elif source is not None and kind == Kind.APPOINTMENT and prefix == "appointment":
            self.appointments.add(source.object_id)
        elif kind == Kind.QUESTIONNAIRE and source is not None and prefix == "questionnaire":
            if notification.patient_id is not None and source.code:
                self.questionnaires.add((notification.patient_id, source.code))
        elif kind == Kind.INACTIVITY_ALERT and source is not None and prefix == "inactive":
            self.subjects.add(source.object_id)
            self.programs_of.add(source.object_id)
        elif kind == Kind.DIGEST and notification.staff is not None:
            self.digests[notification.staff.pk] = notification.staff
        elif kind in STAFF_KINDS and source is not None and prefix in ALERT_PREFIXES:
            self.alerts.add(source.object_id)
        if notification.channel == Channel.PUSH:
            if notification.staff_id:
                self.staff_devices.add(notification.staff_id)
            elif notification.patient_id is not None:
                self.patient_devices.add(notification.patient_id)


def _load_programs(facts: DeliveryFacts, wanted: _Wanted) -> None:
    if wanted.prescriptions:
        facts.prescription_status = dict(
            Prescription.objects.filter(pk__in=wanted.prescriptions).values_list("pk", "status")
        )
    if wanted.programs_of:
        # A patient has at most one open program; the newest wins if data says otherwise.
        for patient_id, status in (
            Prescription.objects.filter(
                patient_id__in=wanted.programs_of, status__in=Prescription.OPEN_STATUSES
            )
            .order_by("patient_id", "-start_date", "-id")
            .values_list("patient_id", "status")
        ):
            facts.open_program_status.setdefault(patient_id, status)
        facts.last_session_at = dict(
            ExerciseSession.objects.filter(patient_id__in=wanted.programs_of)
            .values("patient_id")
            .annotate(last=Max("created_at"))
            .values_list("patient_id", "last")
        )
    if wanted.subjects:
        facts.subjects = Patient.objects.in_bulk(wanted.subjects)


def _load_events(facts: DeliveryFacts, wanted: _Wanted) -> None:
    if wanted.appointments:
        facts.appointments = Appointment.objects.in_bulk(wanted.appointments)
    if wanted.alerts:
        facts.alert_state = {
            pk: (acknowledged_at, resolved_at)
            for pk, acknowledged_at, resolved_at in ClinicalAlert.objects.filter(
                pk__in=wanted.alerts
            ).values_list("pk", "acknowledged_at", "resolved_at")
        }
    if wanted.questionnaires:
        patients = {patient_id for patient_id, _ in wanted.questionnaires}
        codes = {code for _, code in wanted.questionnaires}
        facts.answered_at = {
            (patient_id, code): last
            for patient_id, code, last in QuestionnaireResponse.objects.filter(
                patient_id__in=patients, code__in=codes
            )
            .values("patient_id", "code")
            .annotate(last=Max("answered_at"))
            .values_list("patient_id", "code", "last")
        }
    if wanted.digests:
        facts.digest_alerts = selectors.open_alerts_by_staff(list(wanted.digests.values()))


def _load_reach(
    facts: DeliveryFacts,
    wanted: _Wanted,
    rows: list[Notification],
    *,
    now: datetime.datetime,
) -> None:
    if wanted.patient_devices:
        facts.patient_tokens = _newest_tokens(
            Device.objects.filter(patient_id__in=wanted.patient_devices).values_list(
                "patient_id", "token"
            )
        )
    if wanted.staff_devices:
        facts.staff_tokens = _newest_tokens(
            StaffDevice.objects.filter(staff_id__in=wanted.staff_devices).values_list(
                "staff_id", "token"
            )
        )
    # The patient's day, as the quiet hours read it; an unknown zone counts as UTC.
    midnights = {
        n.patient.pk: local_midnight(
            local_today(patient_zone(n.patient), now), patient_zone(n.patient)
        )
        for n in rows
        if sms_capped(n) and n.patient is not None
    }
    if midnights:
        facts.sms_sent_today = _texts_today(midnights, exclude=[n.pk for n in rows])


def _texts_today(midnights: dict[int, datetime.datetime], *, exclude: list[int]) -> dict[int, int]:
    """patient id -> texts sent to them since their midnight, and those other batches
    started since (they may be at the provider now: two batches with the same
    patient's texts must not both pass the cap). Texts to staff about them are not theirs."""
    since = min(midnights.values())
    sent, sending = Notification.Status.SENT, Notification.Status.SENDING
    counts: dict[int, int] = dict.fromkeys(midnights, 0)
    for patient_id, status, sent_at, started_at in (
        Notification.objects.filter(
            Q(status=sent, sent_at__gte=since) | Q(status=sending, delivery_started_at__gte=since),
            patient_id__in=midnights,
            staff__isnull=True,
            channel=Channel.SMS,
        )
        .exclude(pk__in=exclude)
        .values_list("patient_id", "status", "sent_at", "delivery_started_at")
    ):
        at = sent_at if status == sent else started_at
        if at is not None and at >= midnights[patient_id]:
            counts[patient_id] += 1
    return counts


def _newest_tokens(pairs: QuerySet[Any, tuple[int, str]]) -> dict[int, str]:
    """owner id -> token of the device seen last."""
    tokens: dict[int, str] = {}
    for owner_id, token in pairs.order_by("-last_seen_at", "-id"):
        tokens.setdefault(owner_id, token)
    return tokens
