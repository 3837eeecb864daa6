"""Strict readers for settings that come from the environment.

django-environ parses URLs well but treats any unknown boolean spelling as False;
a typo such as DEBUG=ture must stop the process instead of silently flipping a switch.
"""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}

_env = environ.Env()


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None) -> str:
    """The variable's value; `default` when it is unset or blank, and with no default a
    variable that must be set."""
    value = _raw(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of true/false/1/0.")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_map(name: str, default: dict[int, int]) -> dict[int, int]:
    """`2025=2410,2026=2480`: whole-number keys to whole-number values."""
    value = _raw(name)
    if value is None:
        return dict(default)
    parsed: dict[int, int] = {}
    for item in value.split(","):
        key, _, number = item.partition("=")
        try:
            parsed[int(key)] = int(number)
        except ValueError:  # no "=" leaves `number` empty, which int() refuses too
            raise ImproperlyConfigured(
                f"{name}={value!r}: write key=value pairs of whole numbers, e.g. 2026=2480."
            ) from None
    return parsed


def env_db(name: str, default: str) -> dict:
    value = _raw(name) or default
    scheme = value.split(":", 1)[0]
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(f"{name} has an unknown database scheme {scheme!r}.")
    try:
        config = _env.db_url_config(value)
    except Exception as exc:  # django-environ raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    return config


def env_email(name: str, default: str) -> dict:
    value = _raw(name) or default
    try:
        return _env.email_url_config(value)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not a valid email URL: {exc}") from None


def env_cache(name: str, default: str) -> dict:
    value = _raw(name) or default
    scheme = value.split(":", 1)[0]
    if scheme not in environ.Env.CACHE_SCHEMES:
        raise ImproperlyConfigured(f"{name} has an unknown cache scheme {scheme!r}.")
    return _env.cache_url_config(value)
