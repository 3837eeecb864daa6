"""Celery entry points of the practice: thin wrappers that pass ids to its services."""

from __future__ import annotations

from celery import shared_task

from . import passwords


@shared_task(name="practice.password_reset_email")
def password_reset_email(user_id: int, language: str | None = None) -> bool:
    return passwords.password_reset_email_send(user_id=user_id, language=language)
