from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import health
from practice import password_pages
from practice.admin_login import ThrottledAdminLoginForm
from programs.media_files import UPLOAD_DIR, exercise_media_file
from reminders import webhooks

admin.site.site_header = "Sciatica practice"
admin.site.site_title = "Sciatica practice"
admin.site.index_title = "Clinic administration"
# No public site: the header's "View site" would lead to a 404.
admin.site.site_url = None
# Throttled like the API's token login, in the same counters.
admin.site.login_form = ThrottledAdminLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # Read-only FHIR R4 for other systems (interop/fhir): its own errors and formats.
    path("fhir/R4/", include("interop.fhir.urls")),
    # Calendar feeds (interop/ical): the token in the URL is the credential.
    path("ical/", include("interop.ical.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("webhooks/sms/", webhooks.inbound_sms, name="sms-webhook"),
    path("webhooks/sms/status/", webhooks.sms_status, name="sms-status-webhook"),
    # Where emailed reset links lead by default (PASSWORD_RESET_URL).
    path(
        "account/reset/done/",
        password_pages.PasswordResetCompletePage.as_view(),
        name="password-reset-complete",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        password_pages.PasswordResetConfirmPage.as_view(),
        name="password-reset-page",
    ),
    # Uploaded exercise pictures and videos (MEDIA_URL); the drawings are static files.
    path(f"media/{UPLOAD_DIR}/<path:name>", exercise_media_file, name="exercise-media-file"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

handler400 = "core.api.errors.bad_request"
handler403 = "core.api.errors.permission_denied"
handler404 = "core.api.errors.not_found"
handler500 = "core.api.errors.server_error"
