"""Celery entry points of the outcomes app: thin wrappers around outcomes.progress_review."""

from __future__ import annotations

from celery import shared_task

from . import progress_review


@shared_task(name="outcomes.review_progress")
def review_progress() -> int:
    """Daily: the no-improvement review of every program 6+ weeks old; alerts raised."""
    return progress_review.progress_review_all()
