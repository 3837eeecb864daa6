"""Roles and their groups: who is a clinician, who clears holds, who closes episodes."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group

from appointments.services import appointment_book
from patients import services as patient_services
from practice.models import CLINICIAN_ROLES, Role
from practice.roles import ROLE_PERMISSIONS, group_name
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _group_perms(role: str) -> set[str]:
    group = Group.objects.get(name=group_name(role))
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_osteopathic_physician_is_a_clinician_who_may_clear_holds(clinic):
    osteopath = make_staff(clinic=clinic, role=Role.OSTEOPATHIC_PHYSICIAN)
    assert Role.OSTEOPATHIC_PHYSICIAN.label == "Osteopathic physician (DO)"
    assert osteopath.is_clinician
    assert osteopath.may_clear_holds
    assert osteopath.may_close_episodes
    assert osteopath.user.groups.get().name == "Osteopathic physician (DO)"


def test_the_osteopathic_physicians_group_has_a_clinicians_permissions_and_more(clinic):
    perms = _group_perms(Role.OSTEOPATHIC_PHYSICIAN)
    assert perms == _group_perms(Role.PHYSICAL_THERAPIST)
    assert {"patients.clear_medical_hold", "programs.add_prescription"} <= perms
    assert "episodes.close_episode" in perms


def test_an_osteopathic_physician_clears_a_medical_hold(clinic, patient, therapist):
    osteopath = make_staff(clinic=clinic, role=Role.OSTEOPATHIC_PHYSICIAN)
    patient_services.red_flag_screen(
        patient=patient, flags={"foot_drop": True}, screened_by=therapist
    )
    patient_services.medical_hold_clear(
        patient=patient, cleared_by=osteopath, note="Examined; no cauda equina signs."
    )
    patient.refresh_from_db()
    assert not patient.on_medical_hold


def test_an_osteopathic_physician_can_be_booked(clinic, patient):
    osteopath = make_staff(clinic=clinic, role=Role.OSTEOPATHIC_PHYSICIAN)
    starts_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    assert appointment_book(patient=patient, therapist=osteopath, starts_at=starts_at).pk


@pytest.mark.parametrize("role", sorted(CLINICIAN_ROLES | {Role.CLINIC_ADMIN}))
def test_clinicians_and_clinic_admins_may_close_episodes(role):
    assert "episodes.close_episode" in _group_perms(role)


def test_the_front_desk_may_not_close_episodes_or_clear_holds():
    perms = _group_perms(Role.FRONT_DESK)
    assert "episodes.close_episode" not in perms
    assert "patients.clear_medical_hold" not in perms
    assert "patients.change_patient" in perms  # it still reactivates and edits


def test_every_role_has_a_group():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}
