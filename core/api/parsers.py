"""The API's JSON parser: bodies a client could not mean, refused as a 400 before any view.

- Nesting deeper than `MAX_DEPTH` arrays and objects. No body of ours nests more than a
  few levels, and Python's json module recurses once per level, so 100,000 `[` would
  end in a RecursionError (a 500). The depth is counted on the raw text, before parsing.
- A NUL character or an unpaired UTF-16 surrogate (`"\\ud800"`) in any string, key or
  value, at any depth (`core.unstorable` says why). JSON's `\\u` escapes allow both. The
  message names the field, nested as DRF's serializers nest theirs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

from core.unstorable import unstorable_errors

MAX_DEPTH = 64

# A JSON string, escapes included; what is left outside them are the brackets to count.
# Possessive, and an unterminated string runs to the end, so the scan stays linear
# whatever the text (no backtracking, no restart inside a string).
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects in the JSON `text` nest deeper than `limit`, counting
    brackets outside strings; it stops at the first level past the limit, so a huge body
    costs no more than a deep one. Malformed text is left to the parser to refuse."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with the checks above; everything else is as DRF parses JSON."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            # bytes.decode takes text encodings only: a charset such as base64 or zlib
            # in the Content-Type would make codecs.decode answer bytes, not text.
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        if nesting_depth_exceeds(text):
            raise exceptions.ParseError(
                f"JSON nests arrays and objects more than {MAX_DEPTH} levels deep."
            )
        parse_constant = drf_json.strict_constant if self.strict else None
        try:
            data = json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        errors = unstorable_errors(data)
        if errors is not None:
            detail = errors if isinstance(errors, dict) else {"non_field_errors": errors}
            raise exceptions.ValidationError(detail)
        return data
