"""A `?flag=` query parameter that is true, false or a 400.

django-filter's BooleanFilter reads any other value as "not given" and answers the
whole list, so a typo (`?unread=yes please`) would silently show what was not asked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

TRUE, FALSE = ("true", "1"), ("false", "0")


class _StrictBooleanField(forms.Field):
    default_error_messages = {"invalid": _("Use true or false.")}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = _StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # BooleanFilter's widget turns any other value into "not given" before the field
        # could refuse it; the plain input hands the field what was sent.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)
