"""Celery entry points of the visits app: thin wrappers around visits.watch.

Both run every hour although each acts once a day at most: a clinic's day (and a
patient's) begins at its own midnight, so an hourly pass reaches every zone within the
hour of its new day; the passes between raise nothing new."""

from __future__ import annotations

from celery import shared_task

from . import watch


@shared_task(name="visits.watch_deadlines")
def watch_deadlines() -> int:
    """Plan-of-care recertification and progress-note alerts; how many raised."""
    return watch.deadline_alerts_raise()


@shared_task(name="visits.watch_rtm")
def watch_rtm() -> int:
    """Remote monitoring periods at risk of too few data days; how many alerts raised."""
    return watch.rtm_alerts_raise()
