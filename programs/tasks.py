"""Celery entry points of the programs app: thin wrappers around programs.safety."""

from __future__ import annotations

from celery import shared_task

from . import safety


@shared_task(name="programs.review_progress")
def review_progress() -> int:
    """Daily: the no-improvement review of every program 6+ weeks old; alerts raised."""
    return safety.progress_review_all()
