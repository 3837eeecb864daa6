"""/api/v1/: each app contributes its routes; login and activation are mounted here."""

from django.urls import include, path

from patients.api import activation
from practice.api import auth, passwords

app_name = "api"

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/token/refresh/", auth.RefreshView.as_view(), name="token-refresh"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/activate/", activation.ActivateView.as_view(), name="activate"),
    path("auth/password/change/", passwords.PasswordChangeView.as_view(), name="password-change"),
    path("auth/password/reset/", passwords.PasswordResetView.as_view(), name="password-reset"),
    path(
        "auth/password/reset/confirm/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("", include("practice.api.urls")),
    path("", include("appointments.api.urls")),
    path("", include("patients.api.urls")),
    path("", include("education.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("reminders.api.urls")),
    path("", include("outcomes.api.urls")),
    path("", include("visits.api.urls")),
    path("", include("episodes.api.urls")),
    path("", include("interop.ical.api_urls")),
    path("", include("interop.handouts.urls")),
]
