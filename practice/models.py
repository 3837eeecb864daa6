from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from core.validators import validate_npi, validate_time_zone
from practice.tenancy import ClinicScopedQuerySet


class CaseInsensitiveUserManager(UserManager["User"]):
    """Logins find the account whatever the case typed: "Sam.One" is "sam.one".

    Names are compared as LOWER(username), the expression the unique constraint below
    indexes, so a lookup uses that index and agrees with the constraint on every
    database. `__iexact` compares UPPER instead, which folds some names the constraint
    keeps apart (the Greek final and medial sigma), and a login would then find two
    accounts."""

    def with_username(self, username: str | None) -> models.QuerySet[User]:
        typed = Lower(models.Value(username, output_field=models.CharField()))
        return self.alias(username_lower=Lower(self.model.USERNAME_FIELD)).filter(
            username_lower=typed
        )

    def get_by_natural_key(self, username: str | None) -> User:
        return self.with_username(username).get()


# One wording wherever a username clashes; it never names the account holding it.
USERNAME_TAKEN = gettext_lazy("That username is taken; choose another.")


class User(AbstractUser):
    """Staff and patients both log in as users; their profile says which they are."""

    # AbstractUser's field, with the clash worded as everywhere else.
    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
        validators=[AbstractUser.username_validator],
        error_messages={"unique": USERNAME_TAKEN},
    )

    objects: ClassVar[CaseInsensitiveUserManager] = CaseInsensitiveUserManager()

    class Meta:
        db_table = "practice_user"
        constraints = [
            # Two accounts differing only in case would make a case-insensitive login
            # ambiguous; the database refuses them even when two sign-ups race.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ignoring_case",
                violation_error_message=USERNAME_TAKEN,
            ),
        ]


class Clinic(models.Model):
    clinic_path = "pk"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(blank=True, help_text="As patients should read it.")
    opening_hours = models.TextField(
        blank=True, help_text="As patients should read it, e.g. Mon-Fri 8:00-18:00."
    )
    npi = models.CharField(
        "NPI",
        max_length=10,
        blank=True,
        validators=[validate_npi],
        help_text="The clinic's organisational (type 2) NPI, the billing provider on claims.",
    )
    tax_id = models.CharField("tax ID (EIN)", max_length=10, blank=True)
    cancellation_window_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="A patient may cancel in the app until this many hours before the "
        "visit; later, they call. Confirming stays open until the visit starts.",
    )
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
    OSTEOPATHIC_PHYSICIAN = "osteopathic_physician", "Osteopathic physician (DO)"
    FRONT_DESK = "front_desk", "Front desk"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


CLINICIAN_ROLES = frozenset(
    {
        Role.PHYSICAL_THERAPIST,
        Role.PHYSIATRIST,
        Role.CHIROPRACTOR,
        Role.ATHLETIC_TRAINER,
        Role.OSTEOPATHIC_PHYSICIAN,
    }
)


# Lifting an emergency (red-flag) hold needs a licensed clinician's judgement.
HOLD_CLEARING_ROLES = frozenset(
    {Role.PHYSICAL_THERAPIST, Role.PHYSIATRIST, Role.CHIROPRACTOR, Role.OSTEOPATHIC_PHYSICIAN}
)

# Closing a patient's episode of care (discharge, archive) is a clinical or
# administrative decision; the front desk keeps the schedule but does not make it.
EPISODE_CLOSING_ROLES = CLINICIAN_ROLES | {Role.CLINIC_ADMIN}


class StaffMember(models.Model):
    clinic_path = "clinic"

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="staff_profile")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=32, choices=Role.choices)
    credentials = models.CharField(
        max_length=100, blank=True, help_text="Post-nominal letters, e.g. PT, DPT, OCS."
    )
    licence_number = models.CharField(max_length=64, blank=True)
    npi = models.CharField(
        "NPI",
        max_length=10,
        blank=True,
        validators=[validate_npi],
        help_text="The clinician's own (type 1) NPI, printed on claims as rendering provider.",
    )
    work_phone = models.CharField(
        max_length=32, blank=True, help_text="Shown to patients. Blank: the clinic's phone."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["clinic", "role"])]

    def __str__(self) -> str:
        name = self.full_name
        return f"{name}, {self.credentials}" if self.credentials else name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def phone_to_call(self) -> str:
        """Their work phone, else the clinic's: where a patient reaches them."""
        return self.work_phone or self.clinic.phone

    @property
    def is_clinician(self) -> bool:
        return self.role in CLINICIAN_ROLES

    @property
    def may_clear_holds(self) -> bool:
        return self.role in HOLD_CLEARING_ROLES

    @property
    def may_close_episodes(self) -> bool:
        return self.role in EPISODE_CLOSING_ROLES


class EndedLogin(models.Model):
    """A login ended by logging out: every token of it is refused from then on.

    A login is the chain of tokens one username-and-password login starts; rotation
    hands each new pair the chain's id (the `sid` claim). Blacklisting the refresh token
    alone would leave the access tokens already handed out working until they expire.
    A row is of no use once the last refresh token of its login has expired
    (`REFRESH_TOKEN_LIFETIME` after it ended), and is pruned then."""

    sid = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="ended_logins")
    ended_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"login {self.sid} of user {self.user_id}, ended {self.ended_at:%Y-%m-%d %H:%M}"


class LoginAccessChange(models.Model):
    """An account's logins closed or opened again, by whom and why.

    `User.is_active` keeps no history of its own, and a reopened login is a patient's
    record readable from a phone again, so each change is kept here, never edited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_changes")
    active = models.BooleanField(help_text="Whether the account may log in after this change.")
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        verb = "opened" if self.active else "closed"
        return f"logins of user {self.user_id} {verb} {self.changed_at:%Y-%m-%d %H:%M}"
