"""Every clinical query is scoped to the user's clinic; clinical records are never deleted."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from appointments.models import Appointment
from appointments.services import appointment_book
from core.records import HardDeleteRefused
from patients.models import ClinicalAlert, Diagnosis, Patient, RedFlagScreening
from patients.services import red_flag_screen
from practice.models import StaffMember, User
from practice.tenancy import clinic_of
from programs.models import PrescribedExercise, Prescription
from tests.factories import make_diagnosis, make_prescription

pytestmark = pytest.mark.django_db

START = datetime.datetime(2030, 5, 6, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def two_clinics(clinic, other_clinic, therapist, other_therapist, patient, other_patient):
    """A full clinical record in each clinic."""
    rows = {}
    for owner, staff, person in (
        (clinic, therapist, patient),
        (other_clinic, other_therapist, other_patient),
    ):
        diagnosis = make_diagnosis(patient=person, diagnosed_by=staff)
        prescription = make_prescription(diagnosis=diagnosis, prescribed_by=staff)
        appointment = appointment_book(patient=person, therapist=staff, starts_at=START)
        red_flag_screen(patient=person, flags={"foot_drop": True}, screened_by=staff)
        rows[owner.pk] = {
            Patient: {person.pk},
            Diagnosis: {diagnosis.pk},
            Prescription: {prescription.pk},
            Appointment: {appointment.pk},
            PrescribedExercise: set(prescription.exercises.values_list("pk", flat=True)),
            RedFlagScreening: set(person.screenings.values_list("pk", flat=True)),
            ClinicalAlert: set(person.alerts.values_list("pk", flat=True)),
            StaffMember: {staff.pk},
        }
    return rows


SCOPED_MODELS = [
    Patient,
    Diagnosis,
    Prescription,
    Appointment,
    PrescribedExercise,
    RedFlagScreening,
    ClinicalAlert,
]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_for_user_returns_only_the_users_clinics_rows(two_clinics, clinic, therapist, model):
    own = two_clinics[clinic.pk][model]
    assert own
    assert set(model.objects.for_user(therapist.user).values_list("pk", flat=True)) == own


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_the_other_clinic_sees_only_its_own_rows(two_clinics, other_clinic, other_therapist, model):
    own = two_clinics[other_clinic.pk][model]
    assert set(model.objects.for_user(other_therapist.user).values_list("pk", flat=True)) == own


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_for_clinic_returns_only_that_clinics_rows(two_clinics, clinic, model):
    own = two_clinics[clinic.pk][model]
    assert set(model.objects.for_clinic(clinic).values_list("pk", flat=True)) == own


def test_front_desk_sees_its_clinics_patients_too(two_clinics, clinic, front_desk):
    assert (
        set(Patient.objects.for_user(front_desk.user).values_list("pk", flat=True))
        == (two_clinics[clinic.pk][Patient])
    )


def test_staff_are_scoped_to_their_clinic(two_clinics, clinic, therapist, front_desk):
    visible = set(StaffMember.objects.for_user(therapist.user))
    assert visible == {therapist, front_desk}


@pytest.mark.parametrize("model", [*SCOPED_MODELS, StaffMember], ids=lambda m: m.__name__)
def test_a_user_without_a_staff_profile_sees_nothing(two_clinics, model):
    user = User.objects.create_user(username="walk-in", password="x" * 20)
    assert clinic_of(user) is None
    assert not model.objects.for_user(user).exists()


def test_a_patients_own_login_sees_no_staff_data(two_clinics, clinic):
    user = User.objects.create_user(username="patient-login", password="x" * 20)
    Patient.objects.filter(clinic=clinic).update(user=user)
    assert not Patient.objects.for_user(user).exists()
    assert not Diagnosis.objects.for_user(user).exists()


def test_an_anonymous_user_sees_nothing(two_clinics):
    anonymous = AnonymousUser()
    assert clinic_of(anonymous) is None
    for model in SCOPED_MODELS:
        assert not model.objects.for_user(anonymous).exists()


def test_the_operator_superuser_sees_every_clinic(two_clinics):
    operator = User.objects.create_superuser(username="operator", password="x" * 20)
    assert Patient.objects.for_user(operator).count() == 2
    assert Prescription.objects.for_user(operator).count() == 2


def test_for_user_composes_with_other_filters(two_clinics, clinic, therapist):
    own = two_clinics[clinic.pk][Patient]
    chained = Patient.objects.filter(medical_hold_since__isnull=False).for_user(therapist.user)
    assert set(chained.values_list("pk", flat=True)) == own
    assert (
        not Patient.objects.filter(status=Patient.Status.ARCHIVED).for_user(therapist.user).exists()
    )
    related = therapist.clinic.patients.for_user(therapist.user)
    assert set(related.values_list("pk", flat=True)) == own


def test_moving_a_staff_member_changes_what_they_see(two_clinics, other_clinic, therapist):
    StaffMember.objects.filter(pk=therapist.pk).update(clinic=other_clinic)
    user = User.objects.get(pk=therapist.user.pk)
    assert (
        set(Patient.objects.for_user(user).values_list("pk", flat=True))
        == (two_clinics[other_clinic.pk][Patient])
    )


@pytest.mark.parametrize(
    "model",
    [
        Patient,
        Diagnosis,
        Prescription,
        PrescribedExercise,
        RedFlagScreening,
        ClinicalAlert,
    ],
    ids=lambda m: m.__name__,
)
def test_clinical_records_are_never_deleted(two_clinics, model):
    count = model.objects.count()
    row = model.objects.first()
    with pytest.raises(HardDeleteRefused):
        row.delete()
    with pytest.raises(HardDeleteRefused):
        model.objects.all().delete()
    assert model.objects.count() == count
