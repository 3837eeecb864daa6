"""What each staff role may do, as Django groups kept in step with this map.

The role on StaffMember is the source of truth; `staff_member_create` puts the user
in the matching group, and `sync_role_groups` (run after every migrate) rewrites each
group's permissions from ROLE_PERMISSIONS.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from .models import CLINICIAN_ROLES, EPISODE_CLOSING_ROLES, HOLD_CLEARING_ROLES, Role


def _crud(model: str, *actions: str) -> list[str]:
    app, name = model.split(".")
    return [f"{app}.{action}_{name}" for action in actions]


_VIEW_LIBRARY = [
    *_crud("programs.exercise", "view"),
    *_crud("programs.contraindication", "view"),
    *_crud("programs.exercisemedia", "view"),
    *_crud("programs.programtemplate", "view"),
    *_crud("programs.programphase", "view"),
    *_crud("programs.templateexercise", "view"),
    *_crud("education.topic", "view"),
]

_CLINICIAN = [
    *_crud("patients.patient", "view", "add", "change"),
    *_crud("patients.diagnosis", "view", "add", "change"),
    *_crud("patients.redflagscreening", "view", "add"),
    *_crud("patients.clinicalalert", "view", "change"),
    *_crud("patients.referraloutcome", "view"),
    *_crud("patients.accountclosurerequest", "view"),
    *_crud("programs.prescription", "view", "add", "change"),
    *_crud("programs.prescribedexercise", "view", "add", "change"),
    *_crud("appointments.appointment", "view", "add", "change"),
    *_crud("practice.staffmember", "view"),
    *_crud("patients.patientinvite", "add"),
    *_crud("programs.exercisesession", "view"),
    *_crud("reminders.notification", "view", "change"),
    # Patients answer questionnaires in the app; clinicians read the responses, and
    # record one in the clinic on the patient's behalf (outcomes.in_clinic).
    *_crud("outcomes.questionnaireresponse", "view", "add"),
    # Visits: the note, its procedures and addenda, the plan of care, remote monitoring.
    *_crud("visits.visitnote", "view", "add", "change"),
    *_crud("visits.procedureline", "view", "add", "change"),
    *_crud("visits.addendum", "view", "add"),
    *_crud("visits.planofcare", "view", "add", "change"),
    *_crud("visits.goal", "view", "add", "change"),
    *_crud("visits.rtmepisode", "view", "add", "change"),
    *_crud("visits.rtmtimeentry", "view", "add"),
    *_crud("visits.coverage", "view"),
    *_crud("visits.payer", "view"),
    *_VIEW_LIBRARY,
]

# Front desk keeps the schedule and demographics; it neither diagnoses nor prescribes.
_FRONT_DESK = [
    *_crud("patients.patient", "view", "add", "change"),
    *_crud("patients.accountclosurerequest", "view"),
    *_crud("patients.patientinvite", "add"),
    *_crud("appointments.appointment", "view", "add", "change"),
    *_crud("practice.staffmember", "view"),
    # The desk takes the patient's insurance card; it sees no clinical note.
    *_crud("visits.coverage", "view", "add", "change"),
    *_crud("visits.payer", "view"),
]


def _with_role_rules(role: str, perms: list[str]) -> list[str]:
    """The permissions that follow the role sets in practice.models, so the groups and
    the services' own role checks cannot drift apart."""
    extra: list[str] = []
    if role in HOLD_CLEARING_ROLES:
        extra.append("patients.clear_medical_hold")
        extra.append("patients.add_referraloutcome")
    if role in EPISODE_CLOSING_ROLES:
        extra += ["episodes.close_episode", "episodes.view_episodeclosure"]
        # Confirming a patient's request to close their account ends their login.
        extra.append("patients.change_accountclosurerequest")
    return [*perms, *extra]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    **{
        role: _with_role_rules(role, _CLINICIAN)
        for role in sorted(CLINICIAN_ROLES)  # sorted: groups sync in a stable order
    },
    Role.FRONT_DESK: _with_role_rules(Role.FRONT_DESK, _FRONT_DESK),
    Role.CLINIC_ADMIN: _with_role_rules(
        Role.CLINIC_ADMIN,
        [
            *_FRONT_DESK,
            *_crud("practice.staffmember", "add", "change"),
            *_crud("practice.clinic", "view", "change"),
            *_crud("patients.diagnosis", "view"),
            *_crud("programs.prescription", "view"),
            *_crud("programs.exercisesession", "view"),
            *_crud("reminders.notification", "view", "change"),
            *_crud("reminders.clinicremindersettings", "view", "add", "change"),
            # HIPAA audit controls: the clinic admin reviews who read which record.
            *_crud("audit.recordaccess", "view"),
            # Billing: the payers and fees, and what visits and monitoring bill.
            *_crud("visits.payer", "add", "change"),
            *_crud("visits.fee", "view", "add", "change"),
            "visits.view_billing",
            *_VIEW_LIBRARY,
        ],
    ),
}


def group_name(role: str) -> str:
    return Role(role).label


def sync_role_groups(sender: Any = None, **kwargs: Any) -> None:
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name: dict[str, Permission] = {}
    for perm in Permission.objects.select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    if not wanted <= by_name.keys():
        return  # an app's permissions are not created yet; a later post_migrate syncs
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        group.permissions.set([by_name[p] for p in perms])
