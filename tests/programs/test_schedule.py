"""Parsing a program's schedule: weekdays 0-6 and local reminder times as HH:MM."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from programs.schedule import MAX_REMINDER_TIMES, parse_reminder_times, parse_weekdays


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ([0], [0]),
        ([6, 0, 3], [0, 3, 6]),
        (range(7), [0, 1, 2, 3, 4, 5, 6]),
        (["1", "5"], [1, 5]),
        ([" 2 "], [2]),
        ([2, 2, "2"], [2]),
    ],
)
def test_weekdays_are_sorted_and_deduplicated(raw, parsed):
    assert parse_weekdays(raw) == parsed


@pytest.mark.parametrize("day", [7, -1, 42, "7"])
def test_a_weekday_out_of_range_is_refused(day):
    with pytest.raises(ValidationError) as exc:
        parse_weekdays([0, day])
    assert "0 = Monday ... 6 = Sunday" in exc.value.message_dict["weekdays"][0]


@pytest.mark.parametrize("day", ["monday", "", None, "1.5"])
def test_a_weekday_that_is_not_a_number_is_refused(day):
    with pytest.raises(ValidationError) as exc:
        parse_weekdays([day])
    assert "is not a weekday number" in exc.value.message_dict["weekdays"][0]


def test_no_weekdays_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_weekdays([])
    assert "at least one day" in exc.value.message_dict["weekdays"][0]


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        (["08:00"], ["08:00"]),
        (["00:00", "23:59"], ["00:00", "23:59"]),
        (["18:00", "08:00", "08:00"], ["08:00", "18:00"]),
        ([datetime.time(7, 15)], ["07:15"]),
        ([datetime.time(7, 15), "07:15"], ["07:15"]),
        ([], []),
    ],
)
def test_reminder_times_are_normalized_sorted_and_deduplicated(raw, parsed):
    assert parse_reminder_times(raw) == parsed


@pytest.mark.parametrize(
    "value",
    [
        *["25:00", "24:00", "08:60", "8", "08:00 am", "8am", "", "noon", "08:00:00", "-1:00"],
        # The API's rule: one-digit hours or minutes and padded text are refused there too.
        *["8:00", "8:5", "08:5", " 18:30 ", "18:30\n", "\uff10\uff18:00"],
    ],
)
def test_a_reminder_time_that_is_not_hh_mm_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        parse_reminder_times(["09:00", value])
    message = exc.value.message_dict["reminder_times"][0]
    assert repr(value) in message
    assert "HH:MM" in message


def test_at_most_eight_reminder_times_a_day():
    eight = [f"{h:02d}:00" for h in range(8, 8 + MAX_REMINDER_TIMES)]
    assert parse_reminder_times(eight) == eight
    with pytest.raises(ValidationError) as exc:
        parse_reminder_times([*eight, "20:00"])
    assert f"At most {MAX_REMINDER_TIMES}" in exc.value.message_dict["reminder_times"][0]


def test_duplicates_do_not_count_against_the_limit():
    eight = [f"{h:02d}:00" for h in range(8, 8 + MAX_REMINDER_TIMES)]
    assert parse_reminder_times([*eight, "08:00", "09:00"]) == eight


@pytest.mark.parametrize("day", [1.5, True])
def test_a_weekday_that_is_not_a_whole_number_is_refused(day):
    with pytest.raises(ValidationError):
        parse_weekdays([day])
