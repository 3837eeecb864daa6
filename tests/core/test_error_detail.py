"""The envelope's `detail` names the first field in error by its full path, list items by
their index, whichever way DRF nests a list's errors."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from core.api.errors import exception_handler


def _detail(errors: Any) -> str:
    response = exception_handler(ValidationError(errors), {})
    assert response is not None
    return response.data["detail"]


def test_a_list_serializers_errors_skip_the_valid_items_and_keep_the_index():
    # One entry per item, `{}` for each valid one, as list serializers have written them.
    errors = {"exercises": [{}, {}, {"sets": ["A valid integer is required."]}]}

    assert _detail(errors) == "exercises.2.sets: A valid integer is required."


def test_a_list_fields_errors_keyed_by_index_keep_the_index():
    errors = {"exercises": {"1": {"sets": ["A valid integer is required."]}}}

    assert _detail(errors) == "exercises.1.sets: A valid integer is required."


def test_the_first_item_in_error_is_named_by_index_zero():
    errors = {"exercises": [{"sets": ["A valid integer is required."]}, {}]}

    assert _detail(errors) == "exercises.0.sets: A valid integer is required."


class _Item(serializers.Serializer):
    sets = serializers.IntegerField()


class _Body(serializers.Serializer):
    exercises = _Item(many=True)


def test_a_body_of_many_items_names_the_first_item_in_error_by_its_index():
    serializer = _Item(many=True, data=[{"sets": 1}, {"sets": "x"}])
    assert not serializer.is_valid()

    assert _detail(serializer.errors) == "1.sets: A valid integer is required."


def test_a_nested_many_serializer_names_the_item_in_error():
    serializer = _Body(data={"exercises": [{"sets": 1}, {"sets": "x"}]})
    assert not serializer.is_valid()

    assert _detail(serializer.errors) == "exercises.1.sets: A valid integer is required."
