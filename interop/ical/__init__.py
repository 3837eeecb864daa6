"""A person's appointments as an iCalendar feed a phone subscribes to (GET /ical/<token>.ics)."""
