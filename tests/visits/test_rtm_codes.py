"""RTM codes from the days with data and the clinicians' minutes."""

from __future__ import annotations

import pytest

from visits.rtm_codes import management_codes, supply_code


@pytest.mark.parametrize(
    ("days", "short_codes", "expected"),
    [
        (30, True, "98977"),
        (16, True, "98977"),
        (16, False, "98977"),
        (15, True, "98985"),
        (2, True, "98985"),
        (15, False, None),
        (1, True, None),
        (0, True, None),
    ],
)
def test_the_days_with_data_decide_the_supply_code(days, short_codes, expected):
    billed = supply_code(days_with_data=days, accepts_short_codes=short_codes)
    assert (billed.code if billed else None) == expected


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (9, []),
        (12, [("98979", 1)]),
        (19, [("98979", 1)]),
        (20, [("98980", 1)]),
        (25, [("98980", 1)]),
        (39, [("98980", 1)]),
        (40, [("98980", 1), ("98981", 1)]),
        (45, [("98980", 1), ("98981", 1)]),
        (60, [("98980", 1), ("98981", 2)]),
    ],
)
def test_interactive_minutes_decide_the_management_codes(minutes, expected):
    billed = management_codes(minutes=minutes, interactive=True, accepts_short_codes=True)
    assert [(b.code, b.units) for b in billed] == expected


def test_no_interactive_communication_bills_no_management_time():
    assert management_codes(minutes=45, interactive=False, accepts_short_codes=True) == []


def test_a_payer_without_the_2026_codes_pays_nothing_below_20_minutes():
    assert management_codes(minutes=12, interactive=True, accepts_short_codes=False) == []
    assert [
        b.code for b in management_codes(minutes=20, interactive=True, accepts_short_codes=False)
    ] == ["98980"]
