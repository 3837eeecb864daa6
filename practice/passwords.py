"""Passwords: changed by their owner, or reset through a link sent by email.

A new password refuses every token issued before it (practice/logins.py), so a change
and a reset both end every earlier login; a change hands the phone that made it a new
login, so it stays signed in while the others are signed out.

A reset link carries the account's id (base64) and a token of Django's
`PasswordResetTokenGenerator`: signed with SECRET_KEY, expiring after
PASSWORD_RESET_TIMEOUT, and single-use, since it hashes the password (and the last
login) that using it changes. The email goes out from a Celery task after the request's
transaction commits, so neither a slow mail server nor the answer's timing tells the
caller whether an account matched.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from kombu.exceptions import OperationalError as KombuOperationalError

from core.api.fields import MAX_ID, as_id

from . import logins
from .models import User

logger = logging.getLogger(__name__)


class ResetLinkInvalidError(Exception):
    """A reset link that names no active account, or whose token is wrong, used or
    expired. One error for all of them: the caller learns only to ask for a new link."""


def password_check_new(
    *, user: User, password: str, field: str = "new_password", patient: Any = None
) -> None:
    """AUTH_PASSWORD_VALIDATORS against `user`, their messages on `field`. A patient's
    login carries no name (it lives on their record, `patient`, by default the login's):
    the similarity check is given the record's, so "dana whitaker" is refused for Dana
    Whitaker."""
    patient = patient if patient is not None else getattr(user, "patient_profile", None)
    judged = user
    if patient is not None:  # an unsaved copy, for the validators to read
        judged = User(
            username=user.username,
            first_name=user.first_name or patient.first_name,
            last_name=user.last_name or patient.last_name,
            email=user.email or patient.email,
        )
    try:
        validate_password(password, judged)
    except ValidationError as refused:
        raise ValidationError({field: refused.messages}) from None


@transaction.atomic
def password_change(*, user: User, current_password: str, new_password: str) -> logins.TokenPair:
    """The owner's new password, given the current one; a new login for the caller.

    Every token issued before (this phone's, and every other's) is refused from now on."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": _("The current password is not right.")})
    password_check_new(user=user, password=new_password)
    _password_set(user=user, password=new_password)
    refresh = logins.login_issue(user=user)
    return logins.TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def password_reset_accounts(*, email: str) -> QuerySet[User]:
    """The active accounts a reset for `email` reaches: a user's own address or their
    patient record's (through the reverse side of Patient.user, as practice may not
    import patients), ignoring case. An account without a usable password is meant
    not to log in by password, so a reset does not give it one (as Django's form)."""
    address = email.strip()
    if not address:
        return User.objects.none()
    matches = Q(email__iexact=address) | Q(patient_profile__email__iexact=address)
    return (
        User.objects.filter(matches, is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .distinct()
    )


def password_reset_request(*, email: str, language: str | None = None) -> None:
    """Queue the reset emails for `email`, after commit, whoever it reaches.

    The request does the same work whether or not an account has the address: the
    accounts are looked up by the task (`password_reset_emails_send`), so neither the
    answer, its timing nor a broker outage (logged, still answered alike) tells anyone
    whether the address is known. `language` is the request's, for accounts whose own
    setting does not choose one."""
    transaction.on_commit(functools.partial(_enqueue_reset, email.strip(), language))


def _enqueue_reset(email: str, language: str | None) -> None:
    from .tasks import password_reset_emails  # noqa: PLC0415  the task module imports this one

    try:
        password_reset_emails.delay(email, language)
    except KombuOperationalError:
        # Answered like any other request: the person may ask again; operators see this.
        logger.exception("password reset not queued: the broker is unreachable")


def password_reset_emails_send(*, email: str, language: str | None = None) -> int:
    """Send a reset email to each active account `email` reaches; how many went."""
    user_ids = list(password_reset_accounts(email=email).values_list("pk", flat=True))
    return sum(password_reset_email_send(user_id=pk, language=language) for pk in user_ids)


def password_reset_link(*, user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.PASSWORD_RESET_URL.rstrip('/')}/{uidb64}/{token}/"


def password_reset_address(*, user: User) -> str:
    """Where the account's reset link goes: the user's own address, else their patient
    record's. Only addresses on the account: never the one typed, whatever it is."""
    patient = getattr(user, "patient_profile", None)
    return user.email or (getattr(patient, "email", "") if patient is not None else "")


def password_reset_email_send(*, user_id: int, language: str | None = None) -> bool:
    """Send the reset email of an active account; whether one went.

    The token is made now, when the email leaves, so its lifetime starts then. The
    email names the account (one address may hold several) and nothing else: no
    clinic, no diagnosis."""
    user = (
        User.objects.filter(pk=user_id, is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .select_related("patient_profile")
        .first()
    )
    address = password_reset_address(user=user) if user is not None else ""
    if user is None or not address:
        return False
    with translation.override(_language_of(user, language)):
        subject = _("Choose a new password")
        body = _(
            "Someone, we hope you, asked to choose a new password for the account "
            "%(username)s.\n\n"
            "Open this link within %(lifetime)s to choose one:\n\n%(link)s\n\n"
            "The link works once. If you did not ask, ignore this email: your password "
            "stays as it is."
        ) % {
            "username": user.get_username(),
            "lifetime": _lifetime(settings.PASSWORD_RESET_TIMEOUT),
            "link": password_reset_link(user=user),
        }
    send_mail(subject, body, None, [address])
    return True


def password_reset_user(*, uidb64: str) -> User | None:
    """The active account a reset link's `uidb64` names, or None."""
    pk = _uid_pk(uidb64)
    return User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None


@transaction.atomic
def password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> User:
    """Set the password a reset link allows. Raises ResetLinkInvalidError for a link
    that is wrong, used or expired; ValidationError on `new_password`.

    The account's row is locked first, so of two requests racing with one link the
    second sees the new password, which the token no longer matches."""
    pk = _uid_pk(uidb64)
    user = None
    if pk is not None:
        user = User.objects.select_for_update().filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise ResetLinkInvalidError
    password_check_new(user=user, password=new_password)
    _password_set(user=user, password=new_password)
    return user


def _uid_pk(uidb64: str) -> int | None:
    try:
        pk = as_id(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, UnicodeDecodeError):
        return None
    return pk if pk is not None and 0 < pk <= MAX_ID else None


def _password_set(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


def _language_of(user: User, language: str | None) -> str:
    """A patient's own setting first, then the request's, then the site's."""
    patient = getattr(user, "patient_profile", None)
    own = getattr(patient, "language", "") if patient is not None else ""
    return own or language or settings.LANGUAGE_CODE


def _lifetime(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    if hours and not rest:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
