"""The admin's login form, throttled like the API's token login (practice/throttles.py):
per IP and per username, at the same rates and in the same counters."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from .throttles import login_throttle_wait


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    def clean(self) -> dict[str, Any]:
        # Counted before the password is checked: a throttled guess learns nothing.
        wait = login_throttle_wait(request=self.request) if self.request else None
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise ValidationError(
                "Too many login attempts. Try again in %(seconds)d seconds.",
                code="throttled",
                params={"seconds": seconds},
            )
        return super().clean()
