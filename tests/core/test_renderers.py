"""The API's JSON renderer (orjson) answers the same JSON values as DRF's own, in the
same bytes but for the spelling of a few small floats."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from core.api.renderers import ORJSONRenderer

VALUES = {
    "decimal": decimal.Decimal("12.50"),
    "utc_datetime": datetime.datetime(2025, 3, 4, 2, 30, 5, 123456, tzinfo=datetime.UTC),
    "zoned_datetime": datetime.datetime(2025, 3, 4, 2, 30, tzinfo=ZoneInfo("America/New_York")),
    "naive_datetime": datetime.datetime(2025, 3, 4, 2, 30),  # noqa: DTZ001 (as a view may pass one)
    "date": datetime.date(2025, 3, 4),
    "time": datetime.time(7, 5, 1, 500),
    "timedelta": datetime.timedelta(hours=1, seconds=3),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy_string": gettext_lazy("Patients"),
    "ip_address": ipaddress.ip_address("203.0.113.7"),
    "tuple": (1, 2),
    "int_keys": {1: "a"},
    "line_separators": "Zoë \u2028 \u2029 ☃",
    "floats": [1.1, 1e16, 0.1 + 0.2, 3.0],
    "big_int": 2**63,
    "nested": {"a": [{"b": decimal.Decimal("1"), "c": None, "d": True}]},
}


def test_the_api_renders_json_with_orjson():
    renderers = api_settings.DEFAULT_RENDERER_CLASSES

    assert renderers == [ORJSONRenderer]


@pytest.mark.parametrize("name", list(VALUES))
def test_each_kind_of_value_renders_to_the_same_bytes_as_drfs_renderer(name):
    data = {name: VALUES[name]}

    assert ORJSONRenderer().render(data) == JSONRenderer().render(data)


def test_a_whole_body_of_every_kind_renders_to_the_same_bytes():
    assert ORJSONRenderer().render(VALUES) == JSONRenderer().render(VALUES)


@pytest.mark.parametrize(
    ("value", "orjson_text", "drf_text"), [(1e-7, b"1e-7", b"1e-07"), (1e-5, b"0.00001", b"1e-05")]
)
def test_a_small_float_is_spelled_otherwise_but_is_the_same_number(value, orjson_text, drf_text):
    ours = ORJSONRenderer().render({"f": value})
    drfs = JSONRenderer().render({"f": value})

    assert (ours, drfs) == (b'{"f":' + orjson_text + b"}", b'{"f":' + drf_text + b"}")
    assert json.loads(ours) == json.loads(drfs) == {"f": value}


def test_an_indented_answer_is_indented_as_drf_indents_it():
    media_type = "application/json; indent=4"

    rendered = ORJSONRenderer().render({"a": [1]}, media_type)

    assert rendered == JSONRenderer().render({"a": [1]}, media_type)
    assert rendered == b'{\n    "a": [\n        1\n    ]\n}'


def test_no_data_is_an_empty_body():
    assert ORJSONRenderer().render(None) == b""


def test_text_that_cannot_be_utf8_fails_as_it_does_with_drfs_renderer():
    data = {"note": "\ud800"}

    with pytest.raises(UnicodeEncodeError):
        JSONRenderer().render(data)
    with pytest.raises(UnicodeEncodeError):
        ORJSONRenderer().render(data)
