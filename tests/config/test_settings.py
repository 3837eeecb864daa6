"""Settings come from the environment, strictly; production refuses to run without secrets."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": "postgres://practice:secret@db.internal:5432/practice",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "clinic.example.com",
    "NUM_PROXIES": "1",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", tempfile.gettempdir())}
    return subprocess.run(  # noqa: S603  this interpreter on manage.py, with arguments of the tests
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the tests read the exit code
    )


def test_production_passes_deploy_checks_without_warnings():
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    del env[missing]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize("value", [None, "", "-1", "one", "1.5", "+1", "1_0", "\u0661"])
def test_production_refuses_to_start_without_a_whole_number_of_proxies(value):
    """Client addresses for the login throttles depend on it; no default fits all."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    del env["NUM_PROXIES"]
    if value is not None:
        env["NUM_PROXIES"] = value
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "NUM_PROXIES" in result.stderr


@pytest.mark.parametrize("value", ["0", "2"])
def test_production_counts_the_proxies_it_is_told(value):
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50), "NUM_PROXIES": value}
    shown = "from django.conf import settings; print(settings.REST_FRAMEWORK['NUM_PROXIES'])"
    result = _manage("shell", "-c", shown, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == value


def test_production_refuses_an_sms_provider_without_its_credentials():
    env = {
        **PRODUCTION_ENV,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "REMINDERS_SMS_TRANSPORT": "reminders.channels.TwilioSmsTransport",
        "SMS_ACCOUNT_SID": "AC123",
    }
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SMS_AUTH_TOKEN" in result.stderr


TWILIO_ENV = {
    "REMINDERS_SMS_TRANSPORT": "reminders.channels.TwilioSmsTransport",
    "SMS_ACCOUNT_SID": "AC123",
    "SMS_AUTH_TOKEN": "token",
    "SMS_FROM_NUMBER": "+12025550143",
}


@pytest.mark.parametrize(
    "site_url",
    [None, "http://clinic.example.com", "https://localhost:8000", "https://", "clinic.example.com"],
)
def test_production_refuses_twilio_without_a_public_https_site_url(site_url):
    """Twilio signs status callbacks with the URL built from SITE_URL."""
    env = {**PRODUCTION_ENV, **TWILIO_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "needs SITE_URL" in result.stderr


def test_production_starts_twilio_with_a_public_https_site_url():
    env = {
        **PRODUCTION_ENV,
        **TWILIO_ENV,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://clinic.example.com",
    }
    result = _manage("check", env=env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("key", "said"),
    [
        (None, "needs PUSH_SERVICE_ACCOUNT_FILE"),
        ("absent", "cannot be read"),
        ({"type": "authorized_user"}, "is not a service account key"),
        ({"type": "service_account", "project_id": "p"}, "lacks private_key"),
    ],
)
def test_production_refuses_fcm_without_a_service_account_key(tmp_path, key, said):
    env = {
        **PRODUCTION_ENV,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "REMINDERS_PUSH_TRANSPORT": "reminders.channels.FcmPushTransport",
    }
    if key is not None:
        path = tmp_path / "key.json"
        if key != "absent":
            path.write_text(json.dumps(key))
        env["PUSH_SERVICE_ACCOUNT_FILE"] = str(path)
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert said in result.stderr


def test_production_starts_fcm_with_a_service_account_key(tmp_path):
    key = {
        "type": "service_account",
        "project_id": "clinic-app",
        "private_key": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n",
        "client_email": "sender@clinic-app.iam.gserviceaccount.com",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    (tmp_path / "key.json").write_text(json.dumps(key))
    env = {
        **PRODUCTION_ENV,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "REMINDERS_PUSH_TRANSPORT": "reminders.channels.FcmPushTransport",
        "PUSH_SERVICE_ACCOUNT_FILE": str(tmp_path / "key.json"),
    }
    result = _manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_local_development_needs_no_environment():
    result = _manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.local"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("profile", ["local", "test"])
def test_the_settings_names_deployments_already_use_still_load(profile):
    env = {
        "DJANGO_SETTINGS_MODULE": f"practice.settings.{profile}",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = _manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_wsgi_name_deployments_already_use_is_the_projects_application():
    import config.wsgi  # noqa: PLC0415 (loads the project once the test settings are set)
    import practice.wsgi  # noqa: PLC0415 (as above)

    assert practice.wsgi.application is config.wsgi.application


@pytest.mark.parametrize(
    ("url", "folder"), [("filemail:///srv/clinic-mail", "/srv/clinic-mail"), ("filemail://", "")]
)
def test_a_file_email_url_writes_where_it_says(tmp_path, url, folder):
    env = {
        "EMAIL_URL": url,
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.EMAIL_FILE_PATH)", env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (folder or str(tmp_path / "mail"))
