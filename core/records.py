"""Saving a record with its author in the history, and the refusal to delete one.

Clinical records are archived or closed, never deleted: practice.tenancy.ClinicalRecord
raises `HardDeleteRefused`, which the API answers as a 405 and the admin as a 403.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, router

from .record_checks import clean_known_foreign_keys, condition_holds, fields_known_to_exist

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


class HardDeleteRefused(PermissionDenied):
    pass


def record_save(
    instance: models.Model,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    update_fields: Collection[str] | None = None,
    settled: Collection[str] = (),
) -> None:
    """Validate, then save with `actor` as the history author.

    The admin and API request middleware would supply the user too, but services also
    run from Celery and management commands, where only the caller knows who acted.

    With `update_fields` only those fields are validated: the rest of the row is not
    written, so a value stored under older rules elsewhere in it (a phone number, a
    time zone since renamed) cannot block a write that must always succeed, such as an
    opt-out or a safety stop. Uniqueness and constraints are still checked whole: the
    stored row already satisfies them (the database enforces them), and one that spans
    a written field and an unwritten one (the MRN within its clinic) must be refused
    here with its message, not by the database as an IntegrityError.

    `settled` names unique constraints the caller has just checked itself (a lookup
    under a lock, a list it refused duplicates in): they are not read again. The
    database still enforces them, so a row racing past the caller's check is an
    IntegrityError for the caller to answer.
    """
    skip = frozenset(settled)
    unique = {
        c.name
        for _, constraints in instance.get_constraints()
        for c in constraints
        if isinstance(c, models.UniqueConstraint)
    }
    if not skip <= unique:
        raise ValueError(f"Not unique constraints of {type(instance).__name__}: {skip - unique}")
    if update_fields is None:
        _full_clean(instance, exclude=set(), settled=skip)
    else:
        written = set(update_fields)
        unwritten = {
            f.name
            for f in instance._meta.concrete_fields
            if f.name not in written and f.attname not in written
        }
        _full_clean(instance, exclude=unwritten, partial=True)
        instance.validate_unique()
        _validate_constraints(instance, exclude=set(), settled=skip)
    if actor is not None and actor.is_authenticated:
        instance._history_user = actor  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)


def _full_clean(
    instance: models.Model,
    *,
    exclude: set[str],
    partial: bool = False,
    settled: frozenset[str] = frozenset(),
) -> None:
    """`Model.full_clean`, with the same rules, order and messages, in fewer round trips.

    See core.record_checks: a foreign key to a target the caller holds is not read again,
    and a check constraint of plain comparisons is evaluated here, not in a savepoint.
    `partial` leaves uniqueness and constraints to the caller, as
    `full_clean(validate_unique=False, validate_constraints=False)`.
    """
    using = router.db_for_write(type(instance), instance=instance)
    known = fields_known_to_exist(instance, using=using) - exclude
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=exclude | known)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    errors.update(clean_known_foreign_keys(instance, known))
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # As Django's: uniqueness and constraints only for the fields that passed.
    exclude = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
    if not partial:
        try:
            instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            _validate_constraints(instance, exclude=exclude, settled=settled)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _validate_constraints(
    instance: models.Model, *, exclude: set[str], settled: frozenset[str] = frozenset()
) -> None:
    """`Model.validate_constraints`, asking the database only what it must."""
    using = router.db_for_write(type(instance), instance=instance)
    errors: dict[str, Any] = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.name in settled:
                continue
            try:
                if not _check_holds_here(instance, model_class, constraint, exclude):
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as error:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _check_holds_here(
    instance: models.Model,
    model_class: type[models.Model],
    constraint: models.BaseConstraint,
    exclude: set[str],
) -> bool:
    """True when a check constraint passes here; refused with its message when it fails
    here; False when it must be asked of the database."""
    if type(constraint) is not models.CheckConstraint:
        return False
    condition = constraint.condition
    if not isinstance(condition, models.Q):
        return False
    against = instance._get_field_expression_map(  # type: ignore[attr-defined]
        meta=model_class._meta, exclude=exclude
    )
    holds = condition_holds(condition, against)
    if holds is False:
        raise ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )
    return bool(holds)
