"""The compose stack makes the operator say how many proxies sit in front of `web`."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

# Compose's "${VAR:?message}": stop with the message when VAR is unset or empty.
REQUIRED = re.compile(r"\$\{NUM_PROXIES:\?(?P<message>[^}]+)\}")


def test_compose_stops_without_num_proxies_and_says_what_to_set():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    value = compose["x-app"]["environment"]["NUM_PROXIES"]

    required = REQUIRED.fullmatch(value)
    assert required, f"NUM_PROXIES must have no default in docker-compose.yml, got {value!r}"
    assert "0 with nothing in front" in required["message"]
    assert "1 behind one TLS proxy" in required["message"]


def test_the_readme_names_num_proxies_1_where_it_asks_for_a_tls_proxy():
    readme = " ".join((ROOT / "README.md").read_text().split())

    assert "Terminate TLS in front of `web`, set `NUM_PROXIES=1` for that one proxy" in readme
