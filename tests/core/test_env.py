"""Settings come from the environment, parsed strictly: a typing slip stops the process."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_db, env_int, env_int_map, env_list


@pytest.mark.parametrize("value", ["ture", "yes please", "2"])
def test_a_misspelt_boolean_stops_the_process(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False), ("OFF", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("DEBUG", value)
    assert env_bool("DEBUG", not expected) is expected


def test_integers_and_lists_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("CONN_MAX_AGE", "sixty")
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE"):
        env_int("CONN_MAX_AGE", 0)
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.com, ,b.example.com ")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example.com", "b.example.com"]


def test_a_bad_database_url_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nosuchscheme://x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_db("DATABASE_URL", "sqlite:///x")


def test_year_amounts_are_read_as_whole_number_pairs(monkeypatch):
    monkeypatch.setenv("THRESHOLDS", "2025=2410, 2026=2480")
    assert env_int_map("THRESHOLDS", {}) == {2025: 2410, 2026: 2480}
    monkeypatch.delenv("THRESHOLDS")
    assert env_int_map("THRESHOLDS", {2026: 1}) == {2026: 1}


@pytest.mark.parametrize("value", ["2026", "2026=2480.50", "=2480", "2026=2480;2027=2550"])
def test_a_malformed_year_amount_stops_the_process(monkeypatch, value):
    monkeypatch.setenv("THRESHOLDS", value)
    with pytest.raises(ImproperlyConfigured, match="key=value pairs"):
        env_int_map("THRESHOLDS", {})
