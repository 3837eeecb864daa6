"""Login throttles, per IP and per username, shared by the API's token login and the
admin's login form: both count in the same cache entries, so a guesser gains nothing by
spreading attempts over the two doors.

A guesser spreading attempts over many addresses still hits the username limit."""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any, cast

from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle


def typed_username(request: HttpRequest) -> str | None:
    """The username a login request carries: the API's parsed body, or the admin's form."""
    data: Any = getattr(request, "data", None)  # DRF's Request; a Django request has none
    if data is None:
        data = request.POST
    username = data.get("username") if isinstance(data, dict) else None
    if not isinstance(username, str) or not username.strip():
        return None
    return username


class LoginIPThrottle(SimpleRateThrottle):
    scope = "login_ip"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUsernameThrottle(SimpleRateThrottle):
    scope = "login_username"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        username = typed_username(request)
        if username is None:
            return None  # nothing to count; the serializer or form refuses the request
        return self.cache_format % {"scope": self.scope, "ident": _folded_hash(username)}


def _folded_hash(text: str) -> str:
    """A cache key's ident for a typed name: NFKC as Django normalises usernames, so
    look-alike spellings (a fullwidth "p", U+FF50) share one counter, ignoring case.
    Hashed: a name may hold any character, a cache key may not."""
    name = unicodedata.normalize("NFKC", text).strip().casefold()
    return hashlib.sha256(name.encode()).hexdigest()


class LoginCallerThrottle(LoginUsernameThrottle):
    """The signed-in caller's password checks (a password change) count against their
    username's login limit: a stolen access token buys no more guesses than the login
    form gives."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": _folded_hash(user.username)}


class PasswordResetIPThrottle(LoginIPThrottle):
    scope = "password_reset_ip"


class PasswordResetEmailThrottle(SimpleRateThrottle):
    """Reset requests per address, whoever sends them: nobody floods an inbox."""

    scope = "password_reset_email"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        data: Any = getattr(request, "data", None)
        email = data.get("email") if isinstance(data, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None  # nothing to count; the serializer refuses the request
        return self.cache_format % {"scope": self.scope, "ident": _folded_hash(email)}


LOGIN_THROTTLES: tuple[type[SimpleRateThrottle], ...] = (LoginIPThrottle, LoginUsernameThrottle)


def login_throttle_wait(*, request: HttpRequest) -> float | None:
    """Counts one login attempt against every login throttle, as DRF's views do; the
    seconds to wait when any of them is exhausted, else None."""
    waits = []
    for throttle_class in LOGIN_THROTTLES:
        throttle = throttle_class()
        # DRF's throttles read only the request's META and, here, its POST data.
        if not throttle.allow_request(cast(Any, request), cast(Any, None)):
            waits.append(throttle.wait() or 0.0)
    return max(waits) if waits else None
