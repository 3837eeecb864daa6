"""Each role clicks through the admin from its start page, two links deep (GET only), on
demo-like data: no page fails, no link leads to a refusal, a refusal met anyway is the
admin's page saying why, the front desk reads no clinical text anywhere, and every
patient a page shows is in the access log.

The pages are found by following the links the pages themselves offer
(tests/admin_crawl.py), so new pages are walked as soon as they are linked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from audit.models import RecordAccess
from tests.admin_crawl import REDIRECTS, Crawl, Page
from tests.admin_world import (
    DIAGNOSIS_CODE,
    DIAGNOSIS_NOTE,
    ROLES,
    SECRET_TEXTS,
    SESSION_NOTE,
    World,
    build_world,
)

pytestmark = pytest.mark.django_db

# The access log names the patients whose records were read; reading it is not a read
# of their records (and logging it would grow the log on every look at it).
NOT_A_RECORD = ("/admin/audit/",)


class Walks:
    """One walk per role, made the first time a test asks for it."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._done: dict[str, list[Page]] = {}

    def of(self, role: str) -> list[Page]:
        if role not in self._done:
            user = self.world.users[role]
            client = Client(raise_request_exception=False)  # a 500 is recorded, not raised
            client.force_login(user)
            crawl = Crawl(
                client,
                user_id=user.pk,
                patients=self.world.own.patients,
                secrets=SECRET_TEXTS,
                # The front desk's walk is short and must open every patient's page,
                # where clinical records would show.
                per_shape=len(self.world.own.patients) if role == "front_desk" else 2,
            )
            self._done[role] = crawl.walk()
            assert crawl.left_out == 0, f"the walk was cut short: {crawl.left_out} pages"
        return self._done[role]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walks(world) -> Walks:
    return Walks(world)


def _where(page: Page) -> str:
    return f"{page.url} (linked from {page.referrer or 'nowhere'}): {page.status}"


@pytest.mark.parametrize("role", ROLES)
def test_no_page_two_links_from_the_start_page_fails(walks, role):
    pages = walks.of(role)

    failed = [_where(p) for p in pages if p.status >= 500 or p.status == 404]

    assert failed == [], "\n".join(failed)
    assert len(pages) > 40  # the walk went past the start page
    assert {p.depth for p in pages} == {0, 1, 2}


@pytest.mark.parametrize("role", ROLES)
def test_no_link_a_role_is_offered_leads_to_a_refusal(walks, role):
    """A link the role cannot use is not shown: neither a 403 (least of all a bare one,
    not the admin's page saying why) nor a bounce straight back to the page it was on
    (a refused action's message)."""
    pages = walks.of(role)

    dead_ends = [
        _where(p)
        for p in pages
        if p.status == 403 or (p.status in REDIRECTS and p.location == p.referrer)
    ]
    bare = [_where(p) for p in pages if p.status == 403 and not p.admin_refusal]

    assert bare == [], "\n".join(bare)
    assert dead_ends == [], "\n".join(dead_ends)


def test_the_front_desk_reads_no_clinical_text_on_any_page_it_reaches(walks, world):
    pages = walks.of("front_desk")

    leaks = [f"{p.url}: {', '.join(p.secrets)}" for p in pages if p.secrets]

    assert leaks == [], "\n".join(leaks)
    # It opened every patient's own page, where the clinical records would show.
    opened = {p.url for p in pages if p.status == 200}
    patient_pages = {
        reverse("admin:patients_patient_change", args=[p.pk]) for p in world.own.patients
    }
    assert patient_pages <= opened


def test_pages_the_front_desk_reads_without_clinical_text_show_it_to_a_clinician(walks):
    # The watched texts are on pages both walks reach (the patient's page shows a
    # clinician the diagnosis): their absence above means something.
    desk = {p.url for p in walks.of("front_desk") if p.status == 200}

    shown = {s for p in walks.of("physical_therapist") if p.url in desk for s in p.secrets}

    assert DIAGNOSIS_CODE in shown
    # The notes are on the clinical records' own pages, which the front desk cannot open.
    everywhere = {s for p in walks.of("physical_therapist") for s in p.secrets}
    assert everywhere >= {DIAGNOSIS_NOTE, SESSION_NOTE}


@pytest.mark.parametrize("role", ROLES)
def test_every_patient_a_page_shows_is_in_the_access_log(walks, role):
    pages = [p for p in walks.of(role) if not p.url.startswith(NOT_A_RECORD)]

    unlogged = [f"{p.url}: {sorted(p.shown - p.logged)}" for p in pages if p.shown - p.logged]

    assert unlogged == [], "\n".join(unlogged)
    assert sum(len(p.shown) for p in pages) > 10  # the walk met patients on its pages


def test_a_clinic_admin_reads_the_access_log_of_the_own_clinic_only(client, world):
    other = world.other
    client.force_login(other.therapist.user)
    client.get(reverse("admin:patients_patient_change", args=[other.patients[0].pk]))
    client.force_login(world.users["physical_therapist"])
    client.get(reverse("admin:patients_patient_change", args=[world.own.patients[0].pk]))
    client.force_login(world.users["clinic_admin"])

    response = client.get(reverse("admin:audit_recordaccess_changelist"))

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert world.own.patients[0].pk in {row.patient_id for row in rows}
    assert {row.clinic_id for row in rows} == {world.own.clinic.pk}
    assert RecordAccess.objects.filter(clinic=other.clinic).exists()
    assert other.patients[0].mrn not in response.text


@pytest.mark.parametrize("role", ["physical_therapist", "front_desk"])
def test_other_roles_are_refused_the_access_log_with_the_reason(client, world, role):
    client.force_login(world.users[role])

    response = client.get(reverse("admin:audit_recordaccess_changelist"))

    assert response.status_code == 403
    assert response.templates[0].name == "admin/403.html"
