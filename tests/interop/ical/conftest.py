"""Reading a calendar feed back as a calendar app would."""

from __future__ import annotations

import pytest
from django.test import Client
from icalendar import Calendar, Event


def feed_path(token: str) -> str:
    return f"/ical/{token}.ics"


def read_feed(client: Client, token: str) -> tuple[bytes, Calendar]:
    response = client.get(feed_path(token))
    assert response.status_code == 200, response.content
    return response.content, Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list[Event]:
    return [e for e in calendar.walk("VEVENT") if isinstance(e, Event)]


def event_of(calendar: Calendar, uid: str) -> Event:
    found = [e for e in events(calendar) if str(e["UID"]) == uid]
    assert len(found) == 1, [str(e["UID"]) for e in events(calendar)]
    return found[0]


@pytest.fixture
def feed_client() -> Client:
    """A calendar app: no login, no cookies."""
    return Client()
