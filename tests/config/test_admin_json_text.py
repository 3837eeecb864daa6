"""JSON typed into an admin form is checked for text PostgreSQL cannot store: the escape
`\\u0000` or `\\ud800` decodes to a NUL or a lone surrogate, which is a form error naming
where it is (a 200 showing what was typed), never a 500, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django import forms
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from core.forms import StorableJSONField
from education.models import Topic
from programs.models import Exercise
from reminders.models import ClinicReminderSettings
from tests.admin_forms import change_form_data
from tests.factories import make_user
from tests.factories.reminders import make_reminder_settings

pytestmark = pytest.mark.django_db

NUL = "Must not contain a NUL character (\\u0000)."
SURROGATE = "Must not contain an unpaired UTF-16 surrogate (\\ud800 to \\udfff)."
KEY = "Field names must not contain a NUL character or an unpaired UTF-16 surrogate."
# What is typed into the form: JSON text holding the escapes, as six plain characters.
BAD_VALUES = [
    ('["a\\u0000b"]', f"0: {NUL}"),
    ('["\\ud800"]', f"0: {SURROGATE}"),
    ('{"k\\u0000": 1}', f"k\ufffd: {KEY}"),
]


def _admin_forms(request) -> Iterator[tuple[str, type[models.Model], type[forms.ModelForm]]]:
    """Every form the admin shows, its inlines' too: (admin's name, model, form class)."""
    for model, model_admin in admin.site._registry.items():
        yield type(model_admin).__name__, model, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield type(inline).__name__, inline.model, inline.get_formset(request).form


def _json_form_fields(request) -> dict[str, forms.Field]:
    """Every form field any admin form offers for a JSON column, by admin and name."""
    found = {}
    for admin_name, model, form in _admin_forms(request):
        for name, field in form.base_fields.items():
            column = next((f for f in model._meta.fields if f.name == name), None)
            if isinstance(column, models.JSONField):
                found[f"{admin_name}.{name}"] = field
    return found


def test_every_admin_form_that_decodes_json_refuses_unstorable_text(rf):
    request = rf.get("/admin/")
    request.user = make_user(is_superuser=True, is_staff=True)

    fields = _json_form_fields(request)

    decoding = {name for name, field in fields.items() if isinstance(field, forms.JSONField)}
    assert decoding == set(JSON_FORMS), "a new admin JSON field: add its form below"
    plain = [name for name in decoding if not isinstance(fields[name], StorableJSONField)]
    assert not plain


def _exercise() -> Exercise:
    return Exercise.objects.order_by("pk")[0]


def _topic() -> Topic:
    return Topic.objects.order_by("pk")[0]


def _reminder_settings() -> ClinicReminderSettings:
    return make_reminder_settings()


# The admin forms holding a JSON form field: the object to post for, and the field.
JSON_FORMS = {
    "ExerciseAdmin.methods": (_exercise, "methods"),
    "TopicAdmin.causes": (_topic, "causes"),
    "TopicAdmin.phases": (_topic, "phases"),
    "ClinicReminderSettingsAdmin.appointment_lead_hours": (
        _reminder_settings,
        "appointment_lead_hours",
    ),
}


@pytest.mark.parametrize("page", ["add", "change"])
@pytest.mark.parametrize(("typed", "message"), BAD_VALUES)
@pytest.mark.parametrize("form_name", sorted(JSON_FORMS))
def test_unstorable_text_in_admin_json_is_a_form_error_and_nothing_is_written(
    form_name, typed, message, page
):
    make_obj, field = JSON_FORMS[form_name]
    obj = make_obj()
    model = type(obj)
    client = Client(raise_request_exception=False)
    client.force_login(make_user(is_superuser=True, is_staff=True))
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    # The add form is posted with the values of an existing object, the JSON field aside.
    data = change_form_data(client.get(reverse(f"{info}_change", args=[obj.pk])))
    url = reverse(f"{info}_add") if page == "add" else reverse(f"{info}_change", args=[obj.pk])
    before = list(model._default_manager.order_by("pk").values())

    response = client.post(url, {**data, field: typed})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert escape(typed) in response.content.decode(), "what was typed is shown again"
    assert list(model._default_manager.order_by("pk").values()) == before
