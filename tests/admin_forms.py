"""Posting an admin page back as a browser would."""

from __future__ import annotations

from typing import Any


def change_form_data(response: Any) -> dict[str, Any]:
    """What the page's form would post unchanged, inlines and their management forms too."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms_on_page:
        for name, field in form.fields.items():
            bound = form[name]
            value = field.prepare_value(bound.value())
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "on" if value is True else str(value)
    return data
