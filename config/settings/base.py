"""Settings shared by every profile. Profiles (local, test, production) import this."""

import datetime
from pathlib import Path

from celery.schedules import crontab

from core.env import env_bool, env_cache, env_db, env_email, env_int, env_int_map, env_list, env_str

from .openapi import SPECTACULAR_SETTINGS  # noqa: F401 (a setting: the profiles take it from here)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-never-used-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before the admin, whose forms it gives a field per language.
    "modeltranslation",
    # Django's admin, with the Today page as its start page (config.admin_site).
    "config.apps.PracticeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # Listed for its Spanish catalog (its refusals in the patient's language); no models.
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "phonenumber_field",
    # Our apps, lowest layer first (README, "Layout"); each imports only those above it
    # in this list.
    "practice",
    "audit",
    "patients",
    "education",
    "programs",
    "outcomes",
    "appointments",
    # Visit notes, plan of care and billing (so far: units by the payer's rule).
    "visits",
    "reminders",
    # Its admin re-registers the patient admin with discharge actions (episodes/admin.py).
    "episodes",
    # What leaves the system in others' formats: FHIR R4, iCalendar feeds, handouts.
    "interop",
    # The screens composed from all the apps above (the Today page, the patient summary).
    "workspace",
    "demo",
]

MIDDLEWARE = [
    # First, so every answer (a 500 included) and every log line carries the request id.
    "core.request_id.RequestIdMiddleware",
    # Next, so it sees the final body: an ETag on every GET answer, and a 304 for a
    # matching If-None-Match (the view ran, so the read is in the access log).
    "django.middleware.http.ConditionalGetMiddleware",
    # Below it, so its 304 copies these: /api/ answers are per user and language.
    "core.api.caching.ApiCacheHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Accept-Language chooses the language and sets Content-Language; a patient's own
    # setting, known once the token is read, replaces it in the patient's views.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Once the user is known: admin pages show and read times in the clinic's zone.
    "practice.admin_timezone.ClinicTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so its 400s pass every middleware above (the security headers among them);
    # still before any view, filter or form meets text PostgreSQL cannot store, as none
    # of those above reads the query string or the form.
    "core.unstorable_middleware.UnstorableTextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_db("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling counts in the cache, so several web processes need a shared one.
CACHES = {"default": env_cache("CACHE_URL", "locmemcache://")}

# Bodies and uploads are capped well below what a session log or a profile needs.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

AUTH_USER_MODEL = "practice.User"

# The access log's writer and the model it names patients by. The shared core (admin and
# API base classes) sits below audit and patients, so it reaches both through these
# names, resolved at run time, rather than through imports.
PATIENT_ACCESS_RECORDER = "audit.services.record_access_log"
PATIENT_MODEL = "patients.Patient"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The patient's language (their setting, else the app's Accept-Language) chooses the
# language of library texts, reminders and messages; a text without a translation falls
# back to English field by field. Questionnaires keep their validated versions' language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# None in the profiles that serve static files straight from the apps.
STATIC_ROOT: Path | None = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploads (exercise pictures and videos), served by programs.media_files under MEDIA_URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# An admin login ends after this many hours without a request (each request renews it),
# so a workstation left signed in does not stay open to the next person overnight.
SESSION_COOKIE_AGE = env_int("ADMIN_SESSION_IDLE_HOURS", 12) * 3600
SESSION_SAVE_EVERY_REQUEST = True

_email = env_email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# filemail:///path/to/dir writes each email to a file there (django-environ drops the
# path's leading slash); a bare filemail:// writes under var/mail.
EMAIL_FILE_PATH = (
    "/" + _email["EMAIL_FILE_PATH"] if _email.get("EMAIL_FILE_PATH") else str(VAR_DIR / "mail")
)
# Seconds an SMTP server may take to answer: a hung one must not hold a delivery
# thread until the task's hard time limit.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

PHONENUMBER_DEFAULT_REGION = env_str("PHONENUMBER_DEFAULT_REGION", "US")
PHONENUMBER_DB_FORMAT = "E164"

# Celery: Redis in tests and production; the local profile switches to the filesystem
# transport so a first run needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Below REMINDERS_LEASE (a system check says so): a batch still sending keeps its rows.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat only ticks; the outbox holds the work. Ticks that could not run in time expire
# instead of piling up behind a stopped worker.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # At the start of every wall-clock minute, not every 60 s from beat's start: reminder
    # times are whole minutes, and an interval tick could fall just before one and leave
    # its rows waiting almost a minute before anything claims them.
    "reminders-tick": {
        "task": "reminders.tick",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    "reminders-plan": {
        "task": "reminders.plan",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "reminders-archive": {
        "task": "reminders.archive",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 23 * 60 * 60},
    },
    # No improvement after 6 weeks of good adherence: once a day is soon enough.
    "outcomes-review-progress": {
        "task": "outcomes.review_progress",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 23 * 60 * 60},
    },
    # Plan-of-care deadlines and RTM data days: hourly, so each clinic's and patient's
    # new day is seen within the hour of its midnight; each alert is raised once.
    "visits-watch-deadlines": {
        "task": "visits.watch_deadlines",
        "schedule": crontab(minute=5),
        "options": {"expires": 55 * 60},
    },
    "visits-watch-rtm": {
        "task": "visits.watch_rtm",
        "schedule": crontab(minute=10),
        "options": {"expires": 55 * 60},
    },
}
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object]
if CELERY_BROKER_URL.startswith(("amqp://", "amqps://", "pyamqp://")):
    # RabbitMQ: a publish returns once the broker has confirmed it, so a dispatch that
    # committed its claim and enqueued without an error left the task on the broker
    # (persistent, on the durable queue: it outlives a broker restart). A killed worker's
    # unacknowledged tasks come back when its connection drops; the broker's
    # consumer_timeout (30 min by default) stays far above the task time limit.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
else:
    # Redis: above the longest task's hard limit, so Redis does not hand a running task
    # to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
CELERY_TASK_ROUTES = {
    "reminders.deliver": {"queue": "celery"},
    "reminders.deliver_batch": {"queue": "celery"},
}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.request_id.RequestIdFilter"},
        "feed_token": {"()": "interop.ical.logs.FeedTokenFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django logs the path of every 4xx and 5xx answer; a calendar feed's holds its token.
    "loggers": {"django.request": {"filters": ["feed_token"]}},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt's, also refusing tokens of an ended login (practice/logins.py).
        "practice.api.authentication.LoginJWTAuthentication",
        # The browsable API and the docs page reuse the admin login.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.SafeJSONParser"],
    "DEFAULT_THROTTLE_RATES": {
        "login_ip": env_str("LOGIN_RATE_PER_IP", "30/min"),
        "login_username": env_str("LOGIN_RATE_PER_USERNAME", "10/min"),
        "activate": env_str("ACTIVATE_RATE_PER_IP", "10/min"),
        "password_reset_ip": env_str("PASSWORD_RESET_RATE_PER_IP", "10/min"),
        "password_reset_email": env_str("PASSWORD_RESET_RATE_PER_EMAIL", "5/hour"),
        # Calendar feeds (interop.ical): a calendar service fetches many people's feeds
        # from few addresses, so the limit is wide; it caps load, the token stops guessing.
        "calendar_feed_ip": env_str("CALENDAR_FEED_RATE_PER_IP", "120/min"),
    },
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": datetime.timedelta(days=env_int("JWT_REFRESH_DAYS", 30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    # Tokens carry a digest of the password hash: a new password ends every earlier token.
    "CHECK_REVOKE_TOKEN": True,
}
# A rotated refresh token presented again this long after its rotation was copied: its
# whole login ends (practice.logins). Sooner, it is a phone retrying or racing itself.
JWT_REUSE_GRACE = datetime.timedelta(seconds=env_int("JWT_REUSE_GRACE_SECONDS", 30))

# Medicare's yearly outpatient therapy threshold for physical therapy and speech-language
# pathology together, in dollars: a patient's claims above it carry the KX modifier
# (Bipartisan Budget Act of 2018; the amounts on CMS's Therapy Services page: $2,410 for
# 2025, $2,480 for 2026). A new year's amount is added here or in the environment.
THERAPY_KX_THRESHOLDS = env_int_map("THERAPY_KX_THRESHOLDS", {2025: 2410, 2026: 2480})

# Patient invitations: a one-time code, valid this long.
PATIENT_INVITE_HOURS = env_int("PATIENT_INVITE_HOURS", 72)

# Reminders: the outbox pipeline (reminders/).
REMINDERS_PLAN_HORIZON = datetime.timedelta(minutes=env_int("REMINDERS_PLAN_HORIZON_MINUTES", 120))
# Rows claimed per statement by the dispatcher (one transaction each).
REMINDERS_BATCH_SIZE = env_int("REMINDERS_BATCH_SIZE", 500)
# Rows delivered by one Celery task: one start statement, one load, one write per outcome.
REMINDERS_DELIVERY_BATCH_SIZE = env_int("REMINDERS_DELIVERY_BATCH_SIZE", 100)
# Messages of one batch handed to providers at once (threads per delivery task).
REMINDERS_SEND_THREADS = env_int("REMINDERS_SEND_THREADS", 32)
# Done rows (sent, cancelled, failed) older than this leave the hot outbox table.
REMINDERS_RETENTION = datetime.timedelta(days=env_int("REMINDERS_RETENTION_DAYS", 400))
REMINDERS_MAX_ATTEMPTS = env_int("REMINDERS_MAX_ATTEMPTS", 5)
# A claimed row not delivered within this long (a lost task, a killed worker) is
# dispatched again; the delivery's own guard keeps it from going out twice.
REMINDERS_LEASE = datetime.timedelta(seconds=env_int("REMINDERS_LEASE_SECONDS", 600))
REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY = env_int("REMINDERS_MAX_SMS_PER_PATIENT_PER_DAY", 6)
REMINDERS_OUTBOX_FILE = env_str("REMINDERS_OUTBOX_FILE", "")
# Where links in staff emails point.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Password reset links: this base, then `<uidb64>/<token>/`. By default the server's own
# page (practice.password_pages); an app that handles the link itself sets its own.
PASSWORD_RESET_URL = env_str("PASSWORD_RESET_URL", f"{SITE_URL.rstrip('/')}/account/reset/")
# Where the FHIR API's identifier systems and canonical URLs are rooted (the public
# address), so a reader can tell this deployment's MRNs and definitions from another's.
FHIR_SYSTEM_BASE = env_str("FHIR_SYSTEM_BASE", SITE_URL).rstrip("/")
# Seconds a reset link works; Django's default (three days) is long for health records.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
REMINDERS_APP_LINK = env_str("REMINDERS_APP_LINK", "https://app.example.com/open")
REMINDERS_TRANSPORTS = {
    "email": env_str("REMINDERS_EMAIL_TRANSPORT", "reminders.channels.EmailTransport"),
    "sms": env_str("REMINDERS_SMS_TRANSPORT", "reminders.channels.ConsoleTransport"),
    "push": env_str("REMINDERS_PUSH_TRANSPORT", "reminders.channels.ConsoleTransport"),
}
SMS_API_URL = env_str("SMS_API_URL", "https://api.twilio.com")
SMS_ACCOUNT_SID = env_str("SMS_ACCOUNT_SID", "")
SMS_AUTH_TOKEN = env_str("SMS_AUTH_TOKEN", "")
SMS_FROM_NUMBER = env_str("SMS_FROM_NUMBER", "")
# Firebase Cloud Messaging HTTP v1: the service account's JSON key (its project_id and
# token_uri are used); the API's base URL can be pointed elsewhere.
PUSH_API_URL = env_str("PUSH_API_URL", "https://fcm.googleapis.com")
PUSH_SERVICE_ACCOUNT_FILE = env_str("PUSH_SERVICE_ACCOUNT_FILE", "")
