"""The parts of `Model.full_clean` that `record_save` runs without a database round trip.

Django checks each foreign key with a `SELECT 1` on its target and each check constraint
with a `SELECT 1 WHERE <condition>`, inside a savepoint when a transaction is open: three
round trips per constraint. The rules stay; two of these reads are answered here instead:

- A foreign key whose target the caller holds, read from or saved to this database, with
  the same key and no `limit_choices_to`, exists: the read would only confirm it (and the
  database's own foreign key still refuses a row deleted since).
- A check constraint made of plain comparisons (`exact`, `lt`, `lte`, `gt`, `gte`,
  `isnull`, `in`) of fields with constants or other fields, joined by AND, OR and NOT, is
  evaluated here with SQL's three-valued logic, as PostgreSQL would: a comparison with a
  NULL is unknown, and an unknown condition passes (`COALESCE(condition, true)`, as
  Django's check). Anything else (functions, string ordering, which depends on the
  collation, mixed types) returns `None`, and the caller asks the database as before.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import F, Value

_NUMBERS = (int, float, Decimal)
_ORDERED = (datetime.datetime, datetime.date, datetime.time)
_UNKNOWN = None  # SQL's third truth value
_LOOKUP_PAIR = 2  # a Q's child ("field__lookup", value)


class _UndecidedError(Exception):
    """The condition holds something this module does not evaluate."""


def fields_known_to_exist(instance: models.Model, *, using: str) -> set[str]:
    """Names of the foreign keys of `instance` whose target it holds, as stored."""
    known: set[str] = set()
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.remote_field.parent_link:
            continue
        # A subclass may add rules to validate(); only the stock one is replaced here.
        if type(field).validate is not models.ForeignKey.validate:
            continue
        if field.get_limit_choices_to():
            continue
        value = getattr(instance, field.attname)
        if value is None or not field.is_cached(instance):
            continue
        target = field.get_cached_value(instance)
        if target is None or target._state.adding or target._state.db != using:
            continue
        if getattr(target, field.target_field.attname) != value:
            continue
        known.add(field.name)
    return known


def clean_known_foreign_keys(instance: models.Model, names: set[str]) -> dict[str, Any]:
    """`clean_fields` for those foreign keys: every rule but the existence read."""
    errors: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        if not isinstance(field, models.ForeignKey):
            raise TypeError(name)
        raw = getattr(instance, field.attname)
        if field.blank and raw in field.empty_values:
            continue
        try:
            value = field.to_python(raw)
            # Field.validate: editable, choices, null and blank; ForeignKey.validate
            # would add only the read of the target.
            models.Field.validate(field, value, instance)
            field.run_validators(value)
        except ValidationError as error:
            errors[field.name] = error.error_list
        else:
            setattr(instance, field.attname, value)
    return errors


def condition_holds(condition: models.Q, against: Mapping[str, Any]) -> bool | None:
    """Whether a check constraint passes for these values, or None when not evaluated here.

    `against` is `Model._get_field_expression_map`: field names to `Value`s.
    """
    try:
        return _truth(condition, against) is not False
    except _UndecidedError:
        return None


def _truth(node: models.Q, against: Mapping[str, Any]) -> bool | None:
    if node.connector not in (models.Q.AND, models.Q.OR):
        raise _UndecidedError
    results = []
    for child in node.children:
        if isinstance(child, models.Q):
            results.append(_truth(child, against))
        elif isinstance(child, tuple) and len(child) == _LOOKUP_PAIR:
            results.append(_lookup(child[0], child[1], against))
        else:
            raise _UndecidedError
    if node.connector == models.Q.AND:
        if False in results:
            result: bool | None = False
        else:
            result = _UNKNOWN if _UNKNOWN in results else True
    elif True in results:
        result = True
    else:
        result = _UNKNOWN if _UNKNOWN in results else False
    if node.negated and result is not _UNKNOWN:
        return not result
    return result


def _value(name: str, against: Mapping[str, Any]) -> Any:
    expression = against.get(name)
    if type(expression) is not Value:
        raise _UndecidedError
    return expression.value


def _operand(rhs: Any, against: Mapping[str, Any]) -> Any:
    if type(rhs) is F:
        return _value(str(rhs.name), against)  # type: ignore[attr-defined]
    if rhs is None or isinstance(rhs, (str, bool, *_NUMBERS, *_ORDERED)):
        return rhs
    raise _UndecidedError


def _comparable(left: Any, right: Any, *, ordered: bool) -> bool:
    kinds = {type(left), type(right)}
    if bool in kinds:
        comparable = kinds == {bool} and not ordered
    elif isinstance(left, _NUMBERS) and isinstance(right, _NUMBERS):
        # PostgreSQL compares numeric with double precision as doubles, Python exactly.
        comparable = not kinds >= {float, Decimal}
    elif isinstance(left, str) and isinstance(right, str):
        comparable = not ordered  # ordering strings depends on the collation
    elif isinstance(left, _ORDERED) and type(left) is type(right):
        naive = [getattr(v, "tzinfo", None) is None for v in (left, right)]
        comparable = naive[0] == naive[1]
    else:
        comparable = False
    return comparable


_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _lookup(lookup: str, rhs: Any, against: Mapping[str, Any]) -> bool | None:
    name, _, kind = lookup.partition(LOOKUP_SEP)
    kind = kind or "exact"
    left = _value(name, against)
    if kind == "isnull":
        if not isinstance(rhs, bool):
            raise _UndecidedError
        return (left is None) == rhs
    if kind == "in":
        return _within(left, rhs, against)
    if kind == "exact" and rhs is None:
        return left is None  # Django reads `field=None` as IS NULL
    compare = _COMPARISONS.get(kind)
    right = _operand(rhs, against)
    if compare is None:
        raise _UndecidedError
    if left is None or right is None:
        return _UNKNOWN
    if not _comparable(left, right, ordered=kind != "exact"):
        raise _UndecidedError
    return bool(compare(left, right))


def _within(left: Any, rhs: Any, against: Mapping[str, Any]) -> bool | None:
    if not isinstance(rhs, (list, tuple)) or not rhs:
        raise _UndecidedError
    items = [_operand(item, against) for item in rhs]
    if left is None:
        return _UNKNOWN
    if None in items or not all(_comparable(left, item, ordered=False) for item in items):
        raise _UndecidedError
    return left in items
