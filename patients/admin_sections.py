"""The parts of the patient admin page that other apps contribute.

The patient page shows records of apps above this one (programs, appointments,
outcomes), which this app may not import. Those apps register their parts here from
their own admin modules instead: `admin.autodiscover` imports every app's admin in
INSTALLED_APPS order when Django starts, so this app's registry is complete before the
first request, and PatientAdmin reads it on every page.

Two kinds of part:

- an inline, a list of related records under the patient's form;
- a panel, a read-only section above the form (a fieldset with one field), shown to
  users holding its permission.

Each part has an order key; the page shows them in ascending order, this app's own parts
included (admin_patient registers them with the keys 10, 20, 30 and 70).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.admin.options import InlineModelAdmin

    from practice.models import User

    from .models import Patient


@dataclass(frozen=True)
class Panel:
    """A read-only section of the patient page.

    `field` renders the section's one field from the patient (safe HTML); decorate it with
    `admin.display(description=...)` for its label. Its `__name__` names the row, so the
    page's stylesheet can address it as `.field-<name>`."""

    title: str
    field: Callable[[Patient], str]
    description: str = ""
    permission: str | None = None  # None: every user who opens the page sees it


_inlines: dict[type[InlineModelAdmin[Any, Any]], int] = {}
_panels: dict[str, tuple[int, Panel]] = {}


def register_inline(inline: type[InlineModelAdmin[Any, Any]], *, order: int) -> None:
    """Show `inline` on the page of an existing patient, at `order` among the others."""
    _inlines[inline] = order


def register_panel(panel: Panel, *, order: int) -> None:
    """Show `panel` between the clinical section and the patient's details."""
    _panels[panel.field.__name__] = (order, panel)


def patient_inlines() -> list[type[InlineModelAdmin[Any, Any]]]:
    return sorted(_inlines, key=_inlines.__getitem__)


def patient_panels() -> list[Panel]:
    """Every registered panel, in order, whoever may see it."""
    return [panel for _, panel in sorted(_panels.values(), key=lambda entry: entry[0])]


def panels_shown_to(user: User) -> list[Panel]:
    return [p for p in patient_panels() if p.permission is None or user.has_perm(p.permission)]
