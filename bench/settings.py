"""Settings for bench.api_load's gunicorn: the test settings plus a ping route."""

from config.settings.test import *  # noqa: F403 (the test settings, then the bench's)

ROOT_URLCONF = "bench.api_urls"
