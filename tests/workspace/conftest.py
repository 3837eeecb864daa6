"""The clinic's clock for the Today page's tests (tests.workspace.clinic_day)."""

from __future__ import annotations

import pytest
import time_machine

from .clinic_day import EARLY


@pytest.fixture
def clock():
    """07:00 in New York, standing still until a test moves it."""
    with time_machine.travel(EARLY, tick=False) as traveller:
        yield traveller
