"""Text PostgreSQL cannot store, refused at the door: a NUL character, or an unpaired
UTF-16 surrogate, in any string a request carries.

PostgreSQL's text types hold neither (a NUL fails the whole query), and no UTF-8 encoder
writes a lone surrogate back out, so either would surface as a 500 in whatever filter,
search or form field first met it. One rule for every way text comes in: the API's JSON
parser (`core.api.parsers`) applies it to bodies, `core.unstorable_middleware` to query
strings (API filters, admin list filters and searches) and the SMS provider's webhook
posts, naming the parameter it found, and `core.forms.StorableJSONField` to the JSON the
admin's forms decode (where a `\\u0000` escape typed as six characters becomes a NUL).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext, gettext_noop

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# The English texts; the answer carries them in the caller's language (see `gettext` below).
NUL_MESSAGE = gettext_noop("Must not contain a NUL character (\\u0000).")
SURROGATE_MESSAGE = gettext_noop(
    "Must not contain an unpaired UTF-16 surrogate (\\ud800 to \\udfff)."
)
NAME_MESSAGE = gettext_noop(
    "Names must not contain a NUL character or an unpaired UTF-16 surrogate."
)
KEY_MESSAGE = gettext_noop(
    "Field names must not contain a NUL character or an unpaired UTF-16 surrogate."
)


def unstorable_message(text: str) -> str | None:
    """Why `text` cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return gettext(NUL_MESSAGE if found.group() == "\x00" else SURROGATE_MESSAGE)


def safe_name(name: str) -> str:
    """`name` fit to go back in an answer (which must itself be encodable)."""
    return _UNSTORABLE.sub("\ufffd", name)


def parameter_errors(params: MultiValueDict) -> dict[str, list[str]]:
    """The errors of a query string's or a form's parameters, by name."""
    errors: dict[str, list[str]] = {}
    for name, values in params.lists():
        if unstorable_message(name):
            errors[safe_name(name)] = [gettext(NAME_MESSAGE)]
            continue
        for value in values:
            message = unstorable_message(value) if isinstance(value, str) else None
            if message:
                errors[name] = [message]
                break
    return errors


def unstorable_errors(value: Any) -> dict[str, Any] | list[Any] | None:
    """The errors of every unstorable string in parsed JSON, nested as DRF nests a
    serializer's (objects by key, arrays by index), or None when there is none."""
    if isinstance(value, str):
        message = unstorable_message(value)
        return [message] if message else None
    if isinstance(value, Mapping):
        errors: dict[str, Any] = {}
        for key, item in value.items():
            if unstorable_message(key):
                errors[safe_name(key)] = [gettext(KEY_MESSAGE)]
                continue
            found = unstorable_errors(item)
            if found:
                errors[key] = found
        return errors or None
    if isinstance(value, list):
        by_index = {
            str(i): found for i, item in enumerate(value) if (found := unstorable_errors(item))
        }
        return by_index or None
    return None
