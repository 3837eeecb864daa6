"""A factory for every model of the apps, one module per app.

Writes with rules go through the services, so a factory-made record obeys the same
rules as one made in the admin or the API; library content and outbox rows, which have
no such rules, are made directly. Every factory runs with no arguments, making what
the record needs (a patient, a clinician of their clinic, a program); `FACTORIES` maps
each model to one, and tests/config/test_factories.py holds the list complete.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import timezone

from appointments.models import Appointment
from audit.models import RecordAccess
from education.models import Topic
from episodes.models import EpisodeClosure
from interop.models import CalendarFeed
from outcomes.models import QuestionnaireResponse
from patients.models import (
    AccountClosureRequest,
    ClinicalAlert,
    Diagnosis,
    Patient,
    PatientInvite,
    RedFlagScreening,
    ReferralOutcome,
    ScheduleChange,
)
from practice import logins
from practice.models import Clinic, EndedLogin, LoginAccessChange, StaffMember, User
from programs.models import (
    Contraindication,
    Exercise,
    ExerciseMedia,
    PrescribedExercise,
    Prescription,
    ProgramPhase,
    ProgramTemplate,
    TemplateExercise,
)
from programs.session_models import ExerciseSession, SessionExercise
from reminders import delivery, receipts, retention
from reminders.models import (
    ArchivedNotification,
    ClinicReminderSettings,
    DeliveryProgress,
    Device,
    Notification,
    PlannerDue,
    StaffContact,
    StaffDevice,
    WaitingReceipt,
)
from reminders.planner import due as planner_due
from reminders.planner.base import Zones
from visits.models import (
    Addendum,
    Coverage,
    Fee,
    Goal,
    Payer,
    PlanOfCare,
    ProcedureLine,
    RtmEpisode,
    RtmTimeEntry,
    VisitNote,
)

from .appointments import make_appointment
from .audit import make_record_access
from .education import TopicFactory
from .episodes import make_episode_closure
from .interop import issue_calendar_feed, make_calendar_feed
from .outcomes import answers_for, make_questionnaire_response
from .patients import (
    LEGACY_PHONE,
    make_account_closure_request,
    make_alert,
    make_diagnosis,
    make_invite,
    make_patient,
    make_patient_user,
    make_record_invalid,
    make_referral_outcome,
    make_screening,
    patient_and_clinician,
)
from .practice import PASSWORD, ClinicFactory, make_staff, make_user
from .programs import (
    ContraindicationFactory,
    ExerciseFactory,
    ExerciseMediaFactory,
    ProgramPhaseFactory,
    ProgramTemplateFactory,
    TemplateExerciseFactory,
    make_prescribed_exercise,
    make_prescription,
    make_session,
)
from .reminders import (
    make_device,
    make_notification,
    make_reminder_settings,
    make_staff_contact,
    make_staff_device,
)
from .visits import (
    make_addendum,
    make_attended_appointment,
    make_coverage,
    make_fee,
    make_goal,
    make_payer,
    make_plan_of_care,
    make_procedure_line,
    make_rtm_episode,
    make_rtm_time_entry,
    make_visit_note,
)

__all__ = [
    "FACTORIES",
    "LEGACY_PHONE",
    "PASSWORD",
    "ClinicFactory",
    "ContraindicationFactory",
    "ExerciseFactory",
    "ExerciseMediaFactory",
    "ProgramPhaseFactory",
    "ProgramTemplateFactory",
    "TemplateExerciseFactory",
    "TopicFactory",
    "answers_for",
    "issue_calendar_feed",
    "make_account_closure_request",
    "make_addendum",
    "make_alert",
    "make_appointment",
    "make_attended_appointment",
    "make_calendar_feed",
    "make_coverage",
    "make_device",
    "make_diagnosis",
    "make_episode_closure",
    "make_fee",
    "make_goal",
    "make_invite",
    "make_notification",
    "make_patient",
    "make_patient_user",
    "make_payer",
    "make_plan_of_care",
    "make_prescribed_exercise",
    "make_prescription",
    "make_procedure_line",
    "make_questionnaire_response",
    "make_record_access",
    "make_record_invalid",
    "make_referral_outcome",
    "make_reminder_settings",
    "make_rtm_episode",
    "make_rtm_time_entry",
    "make_screening",
    "make_session",
    "make_staff",
    "make_staff_contact",
    "make_staff_device",
    "make_user",
    "make_visit_note",
    "patient_and_clinician",
]


_DAY = datetime.timedelta(days=1)
_receipt_ids = itertools.count(1)


def _session_exercise() -> SessionExercise:
    return make_session().items.get()


def _ended_login() -> EndedLogin:
    """A login ended by logging out with its refresh token."""
    user = make_user()
    logins.login_end(raw=str(logins.login_issue(user=user)))
    return EndedLogin.objects.get(user=user)


def _login_access_change() -> LoginAccessChange:
    """An account's logins closed, as archiving a patient closes them."""
    user = make_user()
    logins.user_set_active(user_id=user.pk, active=False, reason="Archived.")
    return LoginAccessChange.objects.get(user=user)


def _schedule_change() -> ScheduleChange:
    """Registering a patient queues their schedule for the planner."""
    return ScheduleChange.objects.get(patient=make_patient())


def _planner_due() -> PlannerDue:
    """A patient's due instants, as the planner's next pass works them out."""
    patient = make_prescription().patient
    planner_due.refresh(now=timezone.now(), zones=Zones())
    return PlannerDue.objects.get(patient=patient)


def _archived_notification() -> ArchivedNotification:
    """A sent row past the retention, moved out by the daily archive."""
    now = timezone.now()
    row = make_notification(status=Notification.Status.SENT, sent_at=now)
    retention.notifications_archive(now=now + settings.REMINDERS_RETENTION + _DAY)
    return ArchivedNotification.objects.get(pk=row.pk)


def _delivery_progress() -> DeliveryProgress:
    """The progress row, as the first delivery batch leaves it."""
    row = make_notification(
        status=Notification.Status.SENDING, claimed_at=timezone.now(), at=timezone.now()
    )
    delivery.notifications_deliver_batch(notification_ids=[row.pk])
    return DeliveryProgress.objects.get()


def _waiting_receipt() -> WaitingReceipt:
    """A provider's receipt that came before any row carried its message id."""
    receipts.notification_receipt_record(
        provider_message_id=f"SM{next(_receipt_ids):032x}",
        status="delivered",
        at=timezone.now(),
    )
    return WaitingReceipt.objects.latest("created_at")


FACTORIES: dict[type[models.Model], Callable[[], models.Model]] = {
    # practice
    Clinic: ClinicFactory.create,
    StaffMember: make_staff,
    User: make_user,
    EndedLogin: _ended_login,
    LoginAccessChange: _login_access_change,
    # audit
    RecordAccess: make_record_access,
    # patients
    Patient: make_patient,
    Diagnosis: make_diagnosis,
    RedFlagScreening: make_screening,
    ClinicalAlert: make_alert,
    ReferralOutcome: make_referral_outcome,
    PatientInvite: lambda: make_invite().invite,
    AccountClosureRequest: make_account_closure_request,
    ScheduleChange: _schedule_change,
    # education
    Topic: TopicFactory.create,
    # programs
    Exercise: ExerciseFactory.create,
    Contraindication: ContraindicationFactory.create,
    ExerciseMedia: ExerciseMediaFactory.create,
    ProgramTemplate: ProgramTemplateFactory.create,
    ProgramPhase: ProgramPhaseFactory.create,
    TemplateExercise: TemplateExerciseFactory.create,
    Prescription: make_prescription,
    PrescribedExercise: make_prescribed_exercise,
    ExerciseSession: make_session,
    SessionExercise: _session_exercise,
    # outcomes
    QuestionnaireResponse: make_questionnaire_response,
    # appointments
    Appointment: make_appointment,
    # reminders
    Device: make_device,
    StaffDevice: make_staff_device,
    StaffContact: make_staff_contact,
    Notification: make_notification,
    ClinicReminderSettings: make_reminder_settings,
    PlannerDue: _planner_due,
    ArchivedNotification: _archived_notification,
    DeliveryProgress: _delivery_progress,
    WaitingReceipt: _waiting_receipt,
    # visits
    VisitNote: make_visit_note,
    Addendum: make_addendum,
    ProcedureLine: make_procedure_line,
    PlanOfCare: make_plan_of_care,
    Goal: make_goal,
    RtmEpisode: make_rtm_episode,
    RtmTimeEntry: make_rtm_time_entry,
    Payer: make_payer,
    Coverage: make_coverage,
    Fee: make_fee,
    # episodes
    EpisodeClosure: make_episode_closure,
    # interop
    CalendarFeed: make_calendar_feed,
}
