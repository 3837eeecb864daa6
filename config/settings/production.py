"""Production: refuses to start without its secrets; passes `check --deploy` cleanly."""

from urllib.parse import urlsplit

from core.env import env_bool, env_cache, env_db, env_int, env_list, env_str

from .base import *  # noqa: F403 (every setting of base, then this environment's)

SECRET_KEY = env_str("SECRET_KEY")
DATABASES = {"default": env_db("DATABASE_URL", env_str("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names this service answers to.")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# Throttles must count across web processes: a Redis cache, the broker's by default.
CACHES = {
    "default": env_cache(
        "CACHE_URL",
        CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "locmemcache://",
    )
}

# Client addresses (the login throttles count per address) come from X-Forwarded-For,
# past exactly this many proxies: too high and a client picks its own address, too low
# and every client is the proxy. No default can be right, so it must be said.
_num_proxies = env_str("NUM_PROXIES")
if not _num_proxies.isascii() or not _num_proxies.isdigit():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"NUM_PROXIES={_num_proxies!r} is not a whole number: set it to how many proxies "
        "sit in front of the web process (0 when clients reach it directly)."
    )
# base.py has read it into REST_FRAMEWORK["NUM_PROXIES"].

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_LOOPBACK = ("localhost", "127.0.0.1", "::1")

# A configured provider without its credentials would fail every send, and an
# unverifiable STOP webhook would be open to anyone: refuse to start instead.
_PROVIDER_SECRETS = {
    "reminders.channels.TwilioSmsTransport": (
        "SMS_ACCOUNT_SID",
        "SMS_AUTH_TOKEN",
        "SMS_FROM_NUMBER",
    ),
    "reminders.channels.FcmPushTransport": ("PUSH_API_URL", "PUSH_SERVICE_ACCOUNT_FILE"),
}
for _transport in REMINDERS_TRANSPORTS.values():  # noqa: F405 (a setting of base)
    for _name in _PROVIDER_SECRETS.get(_transport, ()):
        if not globals()[_name]:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{_transport} needs {_name}.")

# Twilio signs each status callback with the URL we gave it, built from SITE_URL: it must
# be the public https address (a placeholder would make every receipt unverifiable, and
# an http one would carry the signed receipts in the clear).
if "reminders.channels.TwilioSmsTransport" in REMINDERS_TRANSPORTS.values():  # noqa: F405
    _site = urlsplit(SITE_URL)  # noqa: F405 (a setting of base)
    if _site.scheme != "https" or not _site.hostname or _site.hostname in _LOOPBACK:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "reminders.channels.TwilioSmsTransport needs SITE_URL, the public https "
            "address Twilio posts status callbacks to."
        )


def _service_account_problem(path: str) -> str:
    """Why the push key file cannot serve, or "" (FCM needs a service account's key)."""
    import json  # noqa: PLC0415 (only when FCM is configured)

    try:
        with open(path, encoding="utf-8") as handle:
            key = json.load(handle)
    except (OSError, ValueError) as exc:
        return f"cannot be read as JSON ({exc})"
    if not isinstance(key, dict) or key.get("type") != "service_account":
        return "is not a service account key"
    missing = [
        f for f in ("project_id", "private_key", "client_email", "token_uri") if not key.get(f)
    ]
    return f"lacks {', '.join(missing)}" if missing else ""


if "reminders.channels.FcmPushTransport" in REMINDERS_TRANSPORTS.values():  # noqa: F405
    _problem = _service_account_problem(PUSH_SERVICE_ACCOUNT_FILE)  # noqa: F405
    if _problem:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"PUSH_SERVICE_ACCOUNT_FILE {_problem}.")
