"""The library in the Django admin: clinicians and clinic admins read it, only
superusers edit it, and nobody deletes a topic (it is deactivated)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from education.models import Topic
from practice.models import Role, User
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:education_topic_changelist")


def _change_url(topic: Topic) -> str:
    return reverse("admin:education_topic_change", args=[topic.pk])


@pytest.fixture
def topic():
    return Topic.objects.get(slug="spinal-stenosis")


@pytest.fixture
def superuser_client(client):
    client.force_login(
        User.objects.create_superuser(username="root", password="x" * 20, email="r@example.com")
    )
    return client


def _form(topic: Topic, **changes) -> dict:
    data = {
        "slug": topic.slug,
        "title": topic.title,
        "summary": topic.summary,
        "body": topic.body,
        "causes": '["spinal_stenosis"]',
        "phases": "[]",
        "order": topic.order,
        "is_active": "on",
    }
    return {**data, **changes}


@pytest.mark.parametrize("role", [Role.PHYSICAL_THERAPIST, Role.CLINIC_ADMIN])
def test_clinicians_and_clinic_admins_read_the_library(client, clinic, topic, role):
    client.force_login(make_staff(clinic=clinic, role=role).user)

    listing = client.get(CHANGELIST)
    page = client.get(_change_url(topic))

    assert listing.status_code == 200
    assert topic.title in listing.text
    assert "Spinal stenosis" in listing.text  # the causes column, by label
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # view-only


def test_a_clinician_cannot_change_or_add_a_topic(client, therapist, topic):
    client.force_login(therapist.user)

    response = client.post(_change_url(topic), _form(topic, title="Changed"))

    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.title != "Changed"
    assert client.get(reverse("admin:education_topic_add")).status_code == 403


def test_the_front_desk_does_not_see_the_library(client, front_desk):
    client.force_login(front_desk.user)
    assert client.get(CHANGELIST).status_code == 403


def test_a_superuser_edits_a_topic_and_the_history_says_who(superuser_client, topic):
    response = superuser_client.post(_change_url(topic), _form(topic, title="Narrow canal"))

    assert response.status_code == 302, response.content
    topic.refresh_from_db()
    assert topic.title == "Narrow canal"
    assert topic.history.first().history_user.username == "root"


def test_the_slug_the_app_links_to_cannot_be_renamed(superuser_client, topic):
    assert superuser_client.get(_change_url(topic)).status_code == 200
    response = superuser_client.post(_change_url(topic), _form(topic, slug="narrow-canal"))

    assert response.status_code == 302, response.content
    topic.refresh_from_db()
    assert topic.slug == "spinal-stenosis"


def test_a_new_topic_is_added_with_its_slug(superuser_client):
    add = reverse("admin:education_topic_add")
    assert superuser_client.get(add).status_code == 200
    form = {
        "slug": "sleeping-positions",
        "title": "Sleeping",
        "summary": "s",
        "body": "b",
        "causes": "[]",
        "phases": "[]",
        "order": 70,
        "is_active": "on",
    }

    assert superuser_client.post(add, form).status_code == 302
    assert Topic.objects.get(slug="sleeping-positions").title == "Sleeping"


def test_an_unknown_cause_is_a_form_error_not_a_crash(superuser_client, topic):
    response = superuser_client.post(_change_url(topic), _form(topic, causes='["slipped"]'))

    assert response.status_code == 200
    assert "Unknown causes: &#x27;slipped&#x27;" in response.text
    topic.refresh_from_db()
    assert topic.causes == ["spinal_stenosis"]


def test_nobody_deletes_a_topic(superuser_client, topic):
    url = reverse("admin:education_topic_delete", args=[topic.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_only_a_superuser_edits_even_with_the_permission_granted(client, therapist, topic):
    therapist.user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="education", codename__in=["add_topic", "change_topic"]
        )
    )
    client.force_login(therapist.user)

    assert client.post(_change_url(topic), _form(topic, title="Changed")).status_code == 403
    assert client.get(reverse("admin:education_topic_add")).status_code == 403
    topic.refresh_from_db()
    assert topic.title != "Changed"
