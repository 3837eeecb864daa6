"""Saving a record with its author in the history, and the refusal to delete one.

Clinical records are archived or closed, never deleted: practice.tenancy.ClinicalRecord
raises `HardDeleteRefused`, which the API answers as a 405 and the admin as a 403.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models

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
    """
    if update_fields is None:
        instance.full_clean()
    else:
        written = set(update_fields)
        unwritten = [
            f.name
            for f in instance._meta.concrete_fields
            if f.name not in written and f.attname not in written
        ]
        instance.full_clean(exclude=unwritten, validate_unique=False, validate_constraints=False)
        instance.validate_unique()
        instance.validate_constraints()
    if actor is not None and actor.is_authenticated:
        instance._history_user = actor  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)
