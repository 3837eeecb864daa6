"""Admin lists answer junk in their filters, searches, ordering and page numbers with a
page (Django's "invalid lookup" redirect, the unfiltered list, or a 400), never a 500:
every list filter of every changelist, as the operator (who sees them all), with values
no link would carry."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.config.test_every_admin_page import Page, Walk, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# A word where an id or a date belongs, an id past bigint, and a NUL (a URL cannot carry
# a lone surrogate: invalid UTF-8 arrives as U+FFFD).
JUNK = ["x", "-1", "99999999999999999999", "\x00"]
LIST_PARAMETERS = ["o", "p", "q", "e", "_to_field", "_popup", "all"]


def junk_queries(changelist) -> list[str]:
    names = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    if changelist.date_hierarchy:  # the date links' year, month and day
        names.update(f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    names.update(LIST_PARAMETERS)
    names.update({"id__exact", "clinic__id__exact", "nonexistent__field"})
    return [f"?{urlencode({name: value})}" for name in sorted(names) for value in JUNK]


def test_junk_in_any_admin_list_filter_never_answers_a_server_error(world):  # noqa: F811
    # The operator sees every list and every filter; roles narrow only their choices.
    client = Client(raise_request_exception=False)  # a 500 is recorded, not raised
    client.force_login(world.users["superuser"])
    walk = Walk(client, "superuser")

    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        page = Page(reverse(f"admin:{info}_changelist"), f"{info} list")
        response = walk.get(page)
        if response.status_code != 200:
            continue
        for query in junk_queries(response.context["cl"]):
            walk.get(page, query)

    assert walk.problems == [], "\n".join(walk.problems)
    assert len(walk.opened) > 500  # the walk reached the lists and their filters


def test_a_therapist_filter_value_not_offered_is_an_invalid_lookup_page(world):  # noqa: F811
    client = Client()
    client.force_login(world.users["clinic_admin"])
    url = reverse("admin:appointments_appointment_changelist")
    foreign = world.other.patients[0].primary_therapist_id

    for value in ["abc", str(foreign)]:
        response = client.get(url, {"therapist": value})
        assert response.status_code == 302, value
        assert response["Location"].endswith("?e=1")


def test_a_nul_in_an_admin_search_is_a_400_naming_the_parameter(world):  # noqa: F811
    client = Client()
    client.force_login(world.users["clinic_admin"])

    response = client.get(reverse("admin:patients_patient_changelist"), {"q": "Tr\x00eated"})

    assert response.status_code == 400
    assert response.content.decode() == "q: Must not contain a NUL character (\\u0000)."


@pytest.mark.parametrize("role", ["superuser", "clinic_admin", "physical_therapist"])
def test_every_admin_list_shows_its_filter_counts_alone_and_with_each_filter(
    world,  # noqa: F811
    role,
):
    # "Show counts" sets each filter's value to each of its offered choices in turn.
    client = Client(raise_request_exception=False)  # a 500 is recorded, not raised
    client.force_login(world.users[role])
    walk = Walk(client, role)
    counted = 0

    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        page = Page(reverse(f"admin:{info}_changelist"), f"{info} list")
        response = walk.get(page, "?_facets=True")
        if response.status_code != 200:
            continue
        counted += 1
        changelist = response.context["cl"]
        for spec in changelist.filter_specs:
            for choice in list(spec.choices(changelist))[1:]:
                walk.get(page, choice["query_string"])

    assert walk.problems == [], "\n".join(walk.problems)
    assert counted >= 10  # the walk reached the lists, not only refusals
