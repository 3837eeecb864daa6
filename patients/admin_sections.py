"""The parts of the patient admin page that other apps contribute.

The patient page shows records of apps above this one (programs, appointments,
outcomes), which this app may not import. Those apps register their parts here from
their own admin modules instead: `admin.autodiscover` imports every app's admin in
INSTALLED_APPS order when Django starts, so this app's registry is complete before the
first request, and PatientAdmin reads it on every page.

Four kinds of part:

- an inline, a list of related records under the patient's form;
- a panel, a read-only section above the form (a fieldset with one field), shown to
  users holding its permission;
- a link in the page's row of clinical actions (e.g. "Prescribe program"), shown to
  users holding its permission;
- a column of the patient list, shown to users holding its permission, whose values
  for the whole page are read at once (`Column.load`), so the list's queries do not
  grow with its rows.

Each part has an order key; the page shows them in ascending order, this app's own parts
included (admin_patient registers its inlines with the keys 10, 20, 30 and 70, and its
links with 10, 20 and 50).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

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
    # A section whose content depends on who reads it: the field shown to a user. It
    # must answer the same function for the same readers (cache it): the page names
    # the field in its fieldsets and its read-only fields. `field` is then the one the
    # registry is keyed by.
    field_for_user: Callable[[User], Callable[[Patient], str]] | None = None

    def field_for(self, user: User) -> Callable[[Patient], str]:
        return self.field if self.field_for_user is None else self.field_for_user(user)


@dataclass(frozen=True)
class Column:
    """A column of the patient list. `load` reads the values of a page of patients at
    once (patient id: the cell's safe HTML) and is called once per page; a patient it
    leaves out shows `empty`. `name` names the column (its CSS class `column-<name>`)."""

    name: str
    title: str
    load: Callable[[Sequence[Patient]], dict[int, str]]
    permission: str | None = None  # None: every user who opens the list sees it
    empty: str = "-"


@dataclass(frozen=True)
class Link:
    """A clinical action on the patient page: `url` gives the address of the page it
    opens for the patient."""

    label: str
    url: Callable[[Patient], str]
    permission: str | None = None  # None: every user who opens the page sees it
    # Whether the action applies to this patient (e.g. not to an archived one); None: all.
    shown_for: Callable[[Patient], bool] | None = None

    def applies_to(self, patient: Patient) -> bool:
        return self.shown_for is None or self.shown_for(patient)


def add_page(url_name: str) -> Callable[[Patient], str]:
    """The address of an admin add page (`url_name`, e.g. "admin:programs_prescription_add")
    with the patient already picked."""

    def url(patient: Patient) -> str:
        return reverse(url_name) + f"?patient={patient.pk}"

    return url


_inlines: dict[type[InlineModelAdmin[Any, Any]], int] = {}
_panels: dict[str, tuple[int, Panel]] = {}
_links: dict[str, tuple[int, Link]] = {}
_columns: dict[str, tuple[int, Column]] = {}


def register_inline(inline: type[InlineModelAdmin[Any, Any]], *, order: int) -> None:
    """Show `inline` on the page of an existing patient, at `order` among the others."""
    _inlines[inline] = order


def register_panel(panel: Panel, *, order: int) -> None:
    """Show `panel` between the clinical section and the patient's details."""
    _panels[panel.field.__name__] = (order, panel)


def register_link(link: Link, *, order: int) -> None:
    """Show `link` among the clinical actions, at `order` among the others."""
    _links[link.label] = (order, link)


def register_column(column: Column, *, order: int) -> None:
    """Show `column` in the patient list after this app's own, at `order` among the
    others."""
    _columns[column.name] = (order, column)


def patient_inlines() -> list[type[InlineModelAdmin[Any, Any]]]:
    return sorted(_inlines, key=_inlines.__getitem__)


def patient_panels() -> list[Panel]:
    """Every registered panel, in order, whoever may see it."""
    return [panel for _, panel in sorted(_panels.values(), key=lambda entry: entry[0])]


def panels_shown_to(user: User) -> list[Panel]:
    return [p for p in patient_panels() if p.permission is None or user.has_perm(p.permission)]


def links_shown_to(user: User) -> tuple[Link, ...]:
    """The clinical actions `user` may see, in order."""
    ordered = [link for _, link in sorted(_links.values(), key=lambda entry: entry[0])]
    return tuple(
        link for link in ordered if link.permission is None or user.has_perm(link.permission)
    )


def columns_shown_to(user: User) -> tuple[Column, ...]:
    """The list columns `user` may see, in order."""
    ordered = [column for _, column in sorted(_columns.values(), key=lambda entry: entry[0])]
    return tuple(c for c in ordered if c.permission is None or user.has_perm(c.permission))
