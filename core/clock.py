"""Times of day (quiet hours, reminder times) written as text: HH:MM, 24-hour.

One rule for every way in (the API, the admin, the services), so none of them takes a
time another would refuse.
"""

from __future__ import annotations

import datetime
import re

# Two-digit hour and minute: what every answer contains, and all that is accepted
# (`strptime("%H:%M")` alone would also take "8:5").
CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_CLOCK_TIME = re.compile(CLOCK_TIME_PATTERN)


def parse_clock_time(text: object) -> datetime.time | None:
    """The time of day `text` writes as HH:MM; None for anything else."""
    # fullmatch: `$` alone would also let a trailing newline through.
    if not isinstance(text, str) or not _CLOCK_TIME.fullmatch(text):
        return None
    return datetime.time(int(text[:2]), int(text[3:]))
