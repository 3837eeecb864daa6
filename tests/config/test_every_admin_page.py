"""Every admin page, as every role, on demo-like data: no page answers 5xx, another
clinic's objects are never shown, a refusal is a 403 page that links back, and the
front desk never reads a diagnosis, a screening or a session on any page it can open.

The pages are discovered from the admin's URL patterns, so a new model or custom view
is walked without editing this file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db import models, transaction
from django.db.models import F
from django.test import Client
from django.urls import URLPattern, reverse

from audit.models import RecordAccess
from outcomes.models import QuestionnaireResponse
from patients.models import Patient
from practice.models import Clinic, User
from programs.models import Prescription
from tests.admin_world import ROLES, SECRET_TEXTS, World, build_world

pytestmark = pytest.mark.django_db

STANDARD_VIEWS = {"changelist", "add", "change", "history", "delete", "simple_history"}
OBJECTS_PER_MODEL = 2


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at the end;
    each test runs in a savepoint of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Page:
    url: str
    what: str


def _in_clinic(model: type[models.Model], clinic: Clinic) -> models.QuerySet:
    manager = model._default_manager
    if model is Clinic:
        return manager.filter(pk=clinic.pk)
    if model is User:
        return manager.filter(staff_profile__clinic=clinic)
    if hasattr(model, "clinic_path"):
        return manager.filter(**{model.clinic_path: clinic.pk})
    return manager.none()


def _objects(model: type[models.Model], clinic: Clinic, *, foreign: bool = False) -> list:
    scoped = _in_clinic(model, clinic)
    if model is Patient:
        return list(scoped.order_by("pk"))  # every kind of patient the world holds
    if model is Clinic or model is User or hasattr(model, "clinic_path"):
        return list(scoped.order_by("-pk")[:OBJECTS_PER_MODEL])
    if foreign:
        return []  # shared rows (the library) belong to no clinic
    return list(model._default_manager.order_by("pk")[:1])


def _extra_kwargs(obj: models.Model) -> dict[str, int | str]:
    """Values for the URL parameters of custom views beyond the object's id."""
    if isinstance(obj, Prescription):
        # The exercise the pain rule stopped, where there is one.
        item = obj.exercises.order_by(F("stopped_for_pain_at").desc(nulls_last=True), "pk")
        item_id = item.values_list("pk", flat=True).first()
        assert item_id is not None, f"{obj} has no exercise"
        return {"item_id": item_id}
    if isinstance(obj, QuestionnaireResponse):
        # The in-clinic pages are the patient's, for each instrument.
        return {"patient_id": obj.patient_id, "code": obj.code}
    return {}


def _object_pages(model_admin: admin.ModelAdmin, obj: models.Model) -> list[Page]:
    info = f"{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}"
    label = f"{info} #{obj.pk}"
    pages = [
        Page(reverse(f"admin:{info}_change", args=[obj.pk]), f"{label} change"),
        Page(reverse(f"admin:{info}_history", args=[obj.pk]), f"{label} history"),
    ]
    version = getattr(obj, "history", None)
    if version is not None and hasattr(version, "order_by"):
        latest = version.order_by("-history_id").first()
        if latest is not None:
            url = reverse(f"admin:{info}_simple_history", args=[obj.pk, latest.history_id])
            pages.append(Page(url, f"{label} history version"))
    extra = _extra_kwargs(obj)
    for pattern in model_admin.urls:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        view = pattern.name.removeprefix(f"{info}_")
        if view in STANDARD_VIEWS or view == pattern.name:
            continue
        params = set(pattern.pattern.converters)
        if not params:
            continue  # a page of the model, not of one object: see _model_pages
        kwargs = {k: v for k, v in {"object_id": obj.pk, **extra}.items() if k in params}
        if not kwargs or params != set(kwargs):
            raise AssertionError(f"No value for the parameters of {pattern.name}: {params}")
        pages.append(Page(reverse(f"admin:{pattern.name}", kwargs=kwargs), f"{label} {view}"))
    return pages


def _model_pages(model_admin: admin.ModelAdmin) -> list[Page]:
    """The admin's custom pages that name no object (the appointments' calendar)."""
    info = f"{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}"
    return [
        Page(reverse(f"admin:{pattern.name}"), pattern.name)
        for pattern in model_admin.urls
        if isinstance(pattern, URLPattern)
        and pattern.name
        and pattern.name.removeprefix(f"{info}_") not in STANDARD_VIEWS
        and pattern.name != pattern.name.removeprefix(f"{info}_")
        and not pattern.pattern.converters
    ]


class Walk:
    def __init__(self, client: Client, role: str) -> None:
        self.client = client
        self.role = role
        self.problems: list[str] = []
        self.opened: list[tuple[Page, int]] = []
        self.foreign_pages = 0

    def get(self, page: Page, query: str = ""):
        response = self.client.get(page.url + query)
        self.opened.append((page, response.status_code))
        where = f"{page.what} ({page.url}{query})"
        if response.status_code >= 500:
            self.problems.append(f"{where}: {response.status_code}")
        if response.status_code == 403 and 'href="/admin/"' not in response.text:
            self.problems.append(f"{where}: 403 page without a link back to the admin")
        if self.role == "front_desk" and response.status_code == 200:
            for secret in SECRET_TEXTS:
                if secret in response.text:
                    self.problems.append(f"{where}: the front desk reads {secret!r}")
        return response

    def changelist(self, model_admin: admin.ModelAdmin, info: str) -> None:
        page = Page(reverse(f"admin:{info}_changelist"), f"{info} list")
        response = self.get(page)
        if response.status_code != 200:
            return
        if model_admin.search_fields:
            self.get(page, "?q=Treated")
        changelist = response.context["cl"]
        for spec in changelist.filter_specs:
            choices = list(spec.choices(changelist))
            if len(choices) > 1:
                self.get(page, choices[-1]["query_string"])

    def foreign(self, page: Page) -> None:
        self.foreign_pages += 1
        status = self.get(page).status_code
        if status not in (302, 403, 404):
            self.problems.append(f"{page.what} of another clinic ({page.url}): {status}")


def walk_every_page(client: Client, world: World, role: str) -> Walk:
    walk = Walk(client, role)
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        walk.changelist(model_admin, info)
        walk.get(Page(reverse(f"admin:{info}_add"), f"{info} add"))
        for page in _model_pages(model_admin):
            walk.get(page)
        for obj in _objects(model, world.own.clinic):
            for page in _object_pages(model_admin, obj):
                walk.get(page)
        if role == "superuser":
            continue  # the operator sees every clinic
        for obj in _objects(model, world.other.clinic, foreign=True):
            for page in _object_pages(model_admin, obj):
                walk.foreign(page)
    walk.get(Page(reverse("admin:index"), "index"))
    return walk


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_every_admin_page_opens_for_every_role_without_an_error_or_a_leak(world, role):
    client = Client(raise_request_exception=False)  # a 500 is recorded, not raised
    client.force_login(world.users[role])

    walk = walk_every_page(client, world, role)

    assert walk.problems == [], "\n".join(walk.problems)
    assert len(walk.opened) > 200  # the walk reached the pages, not only the index
    if role != "superuser":
        assert walk.foreign_pages > 50  # and tried the other clinic's


def test_clinicians_open_every_patient_page_and_each_read_is_logged(client, world):
    user = world.users["osteopathic_physician"]
    client.force_login(user)
    for patient in world.own.patients:
        response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
        assert response.status_code == 200, patient
        assert patient.mrn in response.text
        assert RecordAccess.objects.filter(user=user, patient=patient).exists(), patient


def test_the_front_desk_is_refused_a_diagnosis_with_a_page_that_links_back(client, world):
    client.force_login(world.users["front_desk"])
    diagnosis = world.own.patients[0].diagnoses.get()

    response = client.get(reverse("admin:patients_diagnosis_change", args=[diagnosis.pk]))

    assert response.status_code == 403
    assert 'href="/admin/"' in response.text
    assert diagnosis.icd10_code not in response.text


def test_another_clinics_patient_is_not_found_on_any_of_its_pages(client, world):
    client.force_login(world.users["physical_therapist"])
    other = world.other.patients[0]
    model_admin = admin.site._registry[Patient]

    for page in _object_pages(model_admin, other):
        response = client.get(page.url)
        assert response.status_code == 404, page
        assert other.mrn not in response.text
