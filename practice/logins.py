"""Logins by token: issuing, rotating and ending them, and what makes a token refused.

A login (one username and password given) starts a chain of refresh tokens; each
rotation blacklists the one presented and hands out the next, all carrying the chain's
id in the `sid` claim, as do the access tokens issued with them. A token is refused when:

- its refresh token was already rotated or logged out (simplejwt's blacklist); of
  several requests racing with one refresh token exactly one gets a new pair. A rotated
  token presented again later than `JWT_REUSE_GRACE` after its rotation was copied (the
  owner or a thief rotated it first, and one of them now holds a dead copy): the whole
  login ends, so a stolen refresh token is good only until its owner next refreshes;
- its login has ended (`login_end`, logout): an `EndedLogin` row for its `sid`;
- the password changed after it was issued, however it changed (admin, API, a
  management command): simplejwt's `CHECK_REVOKE_TOKEN` claim, a digest of the stored
  password hash, no longer matches;
- it carries no such digest at all (issued before tokens had one): outdated, so the
  caller is asked to log in again without being told the password changed;
- the account is inactive (`user_set_active`; an archived patient's is).

Each of these is read with the user row itself, so an authenticated request still runs a
single query for its user. Access tokens and refresh tokens answer the same code for the
same refusal: the refresh call is where an app decides between "log in again" and "ask
the clinic".
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from .models import EndedLogin, LoginAccessChange, User

LOGIN_ID_CLAIM = "sid"


@dataclass(frozen=True)
class Refusal:
    """Why a token is refused: the message for the caller and a stable code."""

    text: str | Promise
    code: str

    @property
    def detail(self) -> str:
        """The message in the active language (the caller's)."""
        return str(self.text)


INACTIVE = Refusal(gettext_lazy("This account is inactive; ask the clinic."), "user_inactive")
PASSWORD_CHANGED = Refusal(
    gettext_lazy("The password has changed since this token was issued; log in again."),
    "password_changed",
)
LOGIN_ENDED = Refusal(gettext_lazy("This login has ended; log in again."), "login_ended")
OUTDATED = Refusal(gettext_lazy("Please log in again."), "token_outdated")
UNKNOWN_USER = Refusal(gettext_lazy("No account matches this token."), "user_not_found")


class TokenRefusedError(TokenError):
    """A well-signed token refused for one of the reasons above; `refusal` says which."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


# One statement, written out: on every authenticated request the ORM took several times
# longer to build the annotated query than PostgreSQL took to answer it.
# Table and column names come from the models; every value is a parameter.
_USERS, _ID, _ENDED = User._meta.db_table, User._meta.pk.column, EndedLogin._meta.db_table
_USER = f"SELECT u.* FROM {_USERS} u WHERE u.{_ID} = %s"  # noqa: S608
_USER_AND_LOGIN = (
    f"SELECT u.*, EXISTS (SELECT 1 FROM {_ENDED} e WHERE e.sid = %s) AS login_ended"  # noqa: S608
    f" FROM {_USERS} u WHERE u.{_ID} = %s"
)


def token_user(*, token: Token) -> User | None:
    """The token's user with what `token_refusal` needs, in one query (None if gone)."""
    try:
        user_id = int(token.get(api_settings.USER_ID_CLAIM))
    except (TypeError, ValueError):
        return None
    sid = token.get(LOGIN_ID_CLAIM)
    if isinstance(sid, str):
        users = User.objects.raw(_USER_AND_LOGIN, [sid, user_id])
    else:
        users = User.objects.raw(_USER, [user_id])
    return next(iter(users), None)


def token_refusal(*, token: Token, user: User | None) -> Refusal | None:
    """Why a well-signed, unexpired token must not be honoured for `user`, or None."""
    if user is None:
        return UNKNOWN_USER
    if not user.is_active:
        return INACTIVE
    if api_settings.CHECK_REVOKE_TOKEN:
        digest = token.get(api_settings.REVOKE_TOKEN_CLAIM)
        # Without a digest nothing tells whether the password changed since it was issued,
        # so it is refused all the same, but saying only that a new login is needed.
        if digest is None:
            return OUTDATED
        if digest != get_md5_hash_password(user.password):
            return PASSWORD_CHANGED
    # Tokens minted outside a login (scripts, tests) carry no login id: no login to end.
    if getattr(user, "login_ended", False):
        return LOGIN_ENDED
    return None


def login_issue(*, user: User) -> RefreshToken:
    """The first refresh token of a new login; its access token is `.access_token`."""
    refresh = RefreshToken.for_user(user)
    refresh[LOGIN_ID_CLAIM] = refresh[api_settings.JTI_CLAIM]
    return refresh


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def login_refresh(*, raw: str) -> TokenPair:
    """Trade a refresh token for the next pair of its login; the one given is blacklisted.

    Raises TokenRefusedError for the refusals above, TokenError when the token is otherwise
    refused, already rotated included."""
    # Signature, expiry, type, and the blacklist as it stands. (simplejwt types the
    # encoded token it parses as a Token.)
    try:
        refresh = RefreshToken(raw)  # type: ignore[arg-type]
    except TokenError:
        # Logging out blacklists the refresh token; say that its login ended, as its access
        # tokens do, rather than only that it is blacklisted.
        payload = _payload(raw)
        if payload is not None and (_login_has_ended(payload) or _end_if_reused(payload)):
            raise TokenRefusedError(LOGIN_ENDED) from None
        raise
    user = token_user(token=refresh)
    refusal = token_refusal(token=refresh, user=user)
    if user is None or refusal is not None:
        raise TokenRefusedError(refusal or UNKNOWN_USER)
    with transaction.atomic():
        _blacklist_once(refresh)
        refresh.set_jti()
        refresh.set_exp()
        refresh.set_iat()
        OutstandingToken.objects.create(
            user=user,
            jti=refresh[api_settings.JTI_CLAIM],
            token=str(refresh),
            created_at=refresh.current_time,
            expires_at=datetime_from_epoch(refresh["exp"]),
        )
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def login_end(*, raw: str, now: datetime.datetime | None = None) -> None:
    """Log out: blacklist the refresh token and end its login, so the access tokens
    issued with it (and with any earlier refresh token of that login) are refused too.

    A refresh token already rotated (a background refresh won the race with logout)
    still ends its login: the owner asked for it, and the signature says whose it is.

    Raises TokenError when the refresh token is refused."""
    now = now or timezone.now()
    payload = _refresh_payload(raw)
    if payload is None:
        RefreshToken(raw)  # type: ignore[arg-type]  # raises, saying why
        raise TokenError(gettext_lazy("Token is invalid"))
    with transaction.atomic():
        # Rotated or logged out already: the login ends all the same.
        with contextlib.suppress(TokenError):
            _blacklist_once(RefreshToken(raw))  # type: ignore[arg-type]
        _end(payload, now=now)
    # Every token of a login that ended this long ago has expired by now.
    EndedLogin.objects.filter(ended_at__lt=now - api_settings.REFRESH_TOKEN_LIFETIME).delete()


def user_set_active(*, user_id: int, active: bool, reason: str, actor: User | None = None) -> bool:
    """Allow or refuse an account's logins; whether that changed anything. Refusing also
    ends its tokens: logins and refreshes are refused, and so is every request with an
    access token already issued. A change is kept as a `LoginAccessChange` naming `actor`
    and `reason`; asking for the state the account is already in changes nothing."""
    changed = User.objects.filter(pk=user_id, is_active=not active).update(is_active=active)
    if changed:
        LoginAccessChange.objects.create(
            user_id=user_id, active=active, changed_by=actor, reason=reason
        )
    return bool(changed)


def _end(payload: dict, *, now: datetime.datetime) -> None:
    sid = payload.get(LOGIN_ID_CLAIM)
    user_id = payload.get(api_settings.USER_ID_CLAIM)
    if isinstance(sid, str) and user_id is not None:
        EndedLogin.objects.get_or_create(sid=sid, defaults={"user_id": user_id, "ended_at": now})


def _payload(raw: str) -> dict | None:
    """The claims of a well-signed, unexpired token of any type, blacklisted or not."""
    try:
        return token_backend.decode(raw)  # type: ignore[arg-type]  # typed as a Token, as above
    except TokenBackendError:
        return None


def _is_refresh(payload: dict) -> bool:
    return payload.get(api_settings.TOKEN_TYPE_CLAIM) == RefreshToken.token_type


def _refresh_payload(raw: str) -> dict | None:
    """The claims of a well-signed, unexpired refresh token, blacklisted or not."""
    payload = _payload(raw)
    return payload if payload is not None and _is_refresh(payload) else None


def _end_if_reused(payload: dict) -> bool:
    """End the login of a refresh token rotated longer than the grace ago; whether it did."""
    if not _is_refresh(payload):
        return False
    now = timezone.now()
    rotated_before = now - settings.JWT_REUSE_GRACE
    reused = BlacklistedToken.objects.filter(
        token__jti=payload.get(api_settings.JTI_CLAIM), blacklisted_at__lt=rotated_before
    ).exists()
    if reused:
        _end(payload, now=now)
    return reused


def _login_has_ended(payload: dict) -> bool:
    """Whether the token of these claims belongs to a login that has ended."""
    sid = payload.get(LOGIN_ID_CLAIM)
    return isinstance(sid, str) and EndedLogin.objects.filter(sid=sid).exists()


def _blacklist_once(refresh: RefreshToken) -> None:
    """Blacklist `refresh`; TokenError if another request blacklisted it first, however
    closely they raced. Call inside a transaction.

    The blacklist holds one row per token (a unique key): of racing inserts the first
    wins and the others, once it commits, fail and find its row. simplejwt's own
    rotation ignored that and went on, so each racer that had read the token as not yet
    blacklisted got a new pair."""
    jti = refresh[api_settings.JTI_CLAIM]
    outstanding = OutstandingToken.objects.filter(jti=jti).first()
    if outstanding is None:
        # Every refresh token this service issues is recorded as outstanding.
        raise TokenError(gettext_lazy("Token is not recognised; log in again."))
    _, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    if not created:
        raise TokenError(gettext_lazy("Token is blacklisted"))
