"""A hand-edited or stale admin URL never fails: junk in any changelist's filter, date
hierarchy, sort or page parameter is ignored (the list, or Django's redirect to
the unfiltered list with `?e=1`) or refused with a 400, never a 500, for every
registered admin.

The parameters are read from each changelist's own filters, so a new admin or filter is
tried without editing this file."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.db import models
from django.test import Client
from django.urls import reverse

from practice.models import Role, User
from tests.audit.admin_records import build_records
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

# Not a number (and an injection attempt), negative, not whole, past bigint, empty.
JUNK = ["abc' OR 1=1 --", "-1", "1.5", "9" * 30, ""]


@pytest.fixture
def records(clinic, therapist, other_clinic, other_therapist):
    build_records(other_clinic, other_therapist, name="Faraway")
    return build_records(clinic, therapist, name="Treated")


def _url(model: type[models.Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _parameters(response) -> dict[str, bool]:
    """Every query parameter the changelist reads (its filters', its date hierarchy's,
    sorting and paging), each with whether its choices depend on who asks (a
    SimpleListFilter's lookups get the request)."""
    changelist = response.context["cl"]
    found = {
        name: isinstance(spec, SimpleListFilter)
        for spec in changelist.filter_specs
        for name in spec.expected_parameters()
    }
    hierarchy = changelist.date_hierarchy
    if hierarchy:
        found |= {f"{hierarchy}__{part}": False for part in ("year", "month", "day")}
    return found | {ORDER_VAR: False, PAGE_VAR: False}


def _fine(response, url: str) -> bool:
    if response.status_code in (200, 400):
        return True
    # Django's answer to a lookup it cannot make: back to the unfiltered list.
    return response.status_code == 302 and response["Location"] == f"{url}?e=1"


def _lists(client: Client) -> dict[str, dict[str, bool]]:
    """The parameters of each changelist the client's user may open, by its URL."""
    found = {}
    for model in admin.site._registry:
        url = _url(model)
        response = client.get(url)
        if response.status_code == 200:
            found[url] = _parameters(response)
    return found


def _junk_problems(client: Client, lists: dict[str, list[str]]) -> tuple[list[str], int]:
    problems, tried = [], 0
    for url, names in lists.items():
        for name in names:
            for value in JUNK:
                response = client.get(url, {name: value})
                tried += 1
                if not _fine(response, url):
                    problems.append(f"{url}?{name}={value!r}: {response.status_code}")
    return problems, tried


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is recorded, not raised
    client.force_login(user)
    return client


def test_junk_in_any_changelist_parameter_is_ignored_for_a_clinic_admin(records, clinic):
    client = _client(make_staff(clinic=clinic, role=Role.CLINIC_ADMIN).user)
    lists = _lists(client)

    problems, tried = _junk_problems(client, {url: list(names) for url, names in lists.items()})

    assert problems == [], "\n".join(problems)
    assert len(lists) > 15  # the lists were opened, not refused
    assert tried > 300  # and their filters found


def test_junk_in_a_therapists_own_filters_is_ignored(records, clinic, therapist):
    """A therapist's lists differ from the clinic admin's in the filters whose choices
    depend on the user and in the lists only clinicians open: those are tried here (the
    rest reads the same code as the clinic admin's test)."""
    admin_lists = _lists(_client(make_staff(clinic=clinic, role=Role.CLINIC_ADMIN).user))
    client = _client(therapist.user)
    own = {
        url: [
            name
            for name, per_user in names.items()
            if per_user or name not in admin_lists.get(url, {})
        ]
        for url, names in _lists(client).items()
    }

    problems, tried = _junk_problems(client, own)

    assert problems == [], "\n".join(problems)
    assert tried > 30


def test_a_junk_value_comes_back_to_the_unfiltered_list(records, client, therapist):
    client.force_login(therapist.user)
    url = reverse("admin:appointments_appointment_changelist")

    response = client.get(url, {"therapist": "abc"}, follow=True)

    assert response.redirect_chain == [(f"{url}?e=1", 302)]
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == changelist.full_result_count == 1
