"""The test suite: real PostgreSQL and Redis, fast password hashing."""

from core.env import env_db

from .base import *  # noqa: F403 (every setting of base, then this environment's)

DATABASES = {"default": env_db("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sciatica")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come straight from the apps here; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
