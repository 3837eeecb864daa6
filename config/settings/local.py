"""Local development: SQLite and Celery's filesystem transport, no servers, no secrets."""

from core.env import env_bool, env_str

from .base import *  # noqa: F403 (every setting of base, then this environment's)
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Without this, kombu keeps its exchange table in ./control.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }

# Static files come straight from the apps here; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
