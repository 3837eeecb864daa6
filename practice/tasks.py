"""Celery entry points of the practice: thin wrappers that pass ids to its services."""

from __future__ import annotations

from celery import shared_task

from . import passwords


@shared_task(name="practice.password_reset_emails")
def password_reset_emails(email: str, language: str | None = None) -> int:
    return passwords.password_reset_emails_send(email=email, language=language)


# Kept for the messages queued before the accounts were looked up in the task.
@shared_task(name="practice.password_reset_email")
def password_reset_email(user_id: int, language: str | None = None) -> bool:
    return passwords.password_reset_email_send(user_id=user_id, language=language)
