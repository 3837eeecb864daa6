"""The server's own reset page, for whoever opens an emailed link without the app:
Django's views, refusing a link to an archived account as the API does."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from . import passwords


class PasswordResetConfirmPage(auth_views.PasswordResetConfirmView):
    template_name = "practice/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def get_user(self, uidb64: str) -> Any:
        return passwords.password_reset_user(uidb64=uidb64)


class PasswordResetCompletePage(auth_views.PasswordResetCompleteView):
    template_name = "practice/password_reset_complete.html"
