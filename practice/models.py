from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from .tenancy import ClinicScopedQuerySet
from .validators import validate_time_zone


class User(AbstractUser):
    """Staff and patients both log in as users; their profile says which they are."""

    class Meta:
        db_table = "practice_user"


class Clinic(models.Model):
    clinic_path = "pk"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    phone = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PHYSICAL_THERAPIST = "physical_therapist", "Physical therapist"
    PHYSIATRIST = "physiatrist", "Physiatrist"
    CHIROPRACTOR = "chiropractor", "Chiropractor"
    ATHLETIC_TRAINER = "athletic_trainer", "Athletic trainer"
    FRONT_DESK = "front_desk", "Front desk"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


CLINICIAN_ROLES = frozenset(
    {Role.PHYSICAL_THERAPIST, Role.PHYSIATRIST, Role.CHIROPRACTOR, Role.ATHLETIC_TRAINER}
)


# Lifting an emergency (red-flag) hold needs a licensed clinician's judgement.
HOLD_CLEARING_ROLES = frozenset({Role.PHYSICAL_THERAPIST, Role.PHYSIATRIST, Role.CHIROPRACTOR})


class StaffMember(models.Model):
    clinic_path = "clinic"

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="staff_profile")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=32, choices=Role.choices)
    credentials = models.CharField(
        max_length=100, blank=True, help_text="Post-nominal letters, e.g. PT, DPT, OCS."
    )
    licence_number = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["clinic", "role"])]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.username
        return f"{name}, {self.credentials}" if self.credentials else name

    @property
    def is_clinician(self) -> bool:
        return self.role in CLINICIAN_ROLES

    @property
    def may_clear_holds(self) -> bool:
        return self.role in HOLD_CLEARING_ROLES


class Appointment(models.Model):
    clinic_path = "patient__clinic"

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", "Evaluation"
        FOLLOW_UP = "follow_up", "Follow-up"
        RE_EVALUATION = "re_evaluation", "Re-evaluation"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CONFIRMED = "confirmed", "Confirmed"
        ATTENDED = "attended", "Attended"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    # Statuses that hold the therapist's time; the others free the slot.
    BOOKED_STATUSES = (Status.SCHEDULED, Status.CONFIRMED, Status.ATTENDED)

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    therapist = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    # Stored beside the duration so overlap checks are one indexed range query.
    ends_at = models.DateTimeField(editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FOLLOW_UP)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["therapist", "starts_at"]),
            models.Index(fields=["patient", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="appointment_duration_5_to_480_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M} UTC"
