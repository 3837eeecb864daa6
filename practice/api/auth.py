"""Token login, rotation and logout for staff and patients alike.

Refresh tokens rotate and the old one is blacklisted, so a stolen refresh token that
has been used once is refused. Login is throttled per IP and per username: a guesser
spreading attempts over many addresses still hits the username limit.
"""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt.views import (
    TokenBlacklistView,
    TokenObtainPairView,
    TokenRefreshView,
)


class LoginIPThrottle(SimpleRateThrottle):
    scope = "login_ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUsernameThrottle(SimpleRateThrottle):
    scope = "login_username"

    def get_cache_key(self, request, view) -> str | None:
        data = request.data if isinstance(request.data, dict) else {}
        username = data.get("username")
        if not isinstance(username, str) or not username.strip():
            return None  # nothing to count; the serializer refuses the request
        # Hashed: a username may hold any character, a cache key may not.
        ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenView(TokenObtainPairView):
    """Log in with username and password; answers an access and a refresh token."""

    throttle_classes = [LoginIPThrottle, LoginUsernameThrottle]


class RefreshView(TokenRefreshView):
    """Trade a refresh token for a new pair; the old refresh token stops working."""

    throttle_classes = [LoginIPThrottle]


class LogoutView(TokenBlacklistView):
    """Blacklist a refresh token, ending that login on this device."""

    throttle_classes = [LoginIPThrottle]
